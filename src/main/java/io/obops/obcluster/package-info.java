/**
 * OceanBase operations on the task engine: the "Stop OB cluster" template ({@link
 * io.obops.obcluster.StopClusterTemplate}, the 11-node graph of OCP's sample, fanned out per zone
 * and per server), its idempotent handlers ({@link io.obops.obcluster.StopClusterHandlers}, which
 * record an {@link io.obops.obcluster.ObserverStopped} milestone per server stopped), and {@link
 * io.obops.obcluster.StopClusterService}, which checks a cluster, creates the task and reserves the
 * cluster in one transaction.
 *
 * <p>Observer processes are reached through the {@link io.obops.obcluster.ObserverProcessControl}
 * port; its SSH implementation lives in {@code io.obops.remote}. Without one, {@link
 * io.obops.obcluster.NoRemoteExecutor} fails the remote steps: never a pretend success.
 */
package io.obops.obcluster;
