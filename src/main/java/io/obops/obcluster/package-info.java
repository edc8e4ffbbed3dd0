/**
 * OceanBase operations on the task engine: the "Stop OB cluster" template ({@link
 * io.obops.obcluster.StopClusterTemplate}, the 11-node graph of OCP's sample, fanned out per zone
 * and per server), its idempotent handlers ({@link io.obops.obcluster.StopClusterHandlers}, which
 * record an {@link io.obops.obcluster.ObserverStopped} milestone per server stopped), and {@link
 * io.obops.obcluster.StopClusterService}, approval's {@link io.obops.approval.ApprovableAction} for
 * {@code cluster.stop}: it checks a cluster, creates the task gated, reserves the cluster and
 * records the approved servers in one transaction, opens the gate on approval and ends the task
 * (releasing the cluster) otherwise.
 *
 * <p>The remote steps act on the servers as approved ({@link io.obops.cluster.ApprovedServers}),
 * never on a later inventory lookup; {@link io.obops.obcluster.ApprovedTargets} tells a retry (or
 * the last approval) how the servers changed since. Observer processes are reached through the
 * {@link io.obops.obcluster.ObserverProcessControl} port; its SSH implementation lives in {@code
 * io.obops.remote}. Without one, {@link io.obops.obcluster.NoRemoteExecutor} fails the remote
 * steps: never a pretend success.
 */
package io.obops.obcluster;
