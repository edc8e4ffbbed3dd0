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
 * <p>The pre-flight plan: {@link io.obops.obcluster.Preflight} surveys every approved server at
 * once, read-only ({@link io.obops.obcluster.ObserverProcessControl#survey}), under one deadline
 * ({@link io.obops.obcluster.PreflightProperties}, {@code obops.preflight.*}), and turns what came
 * back into a {@link io.obops.cluster.PreflightPlan} with its anomalies (stale or foreign pid file,
 * a port held while no observer runs, an observer not listening, a host unreachable or with an
 * unexpected key); a server that does not answer is in the plan as such, never a reason to refuse
 * the request. {@link io.obops.obcluster.PreflightPlans} keeps the latest plan per task ({@code
 * preflight_plan}); {@code StopClusterService.inspect} and {@code plan} are the {@code
 * ApprovableAction} seam's plan methods. Without a remote executor there is no plan.
 *
 * <p>The remote steps act on the servers as approved ({@link io.obops.cluster.ApprovedServers}),
 * never on a later inventory lookup; {@link io.obops.obcluster.ApprovedTargets} tells a retry (or
 * the last approval) how the servers changed since. Observer processes are reached through the
 * {@link io.obops.obcluster.ObserverProcessControl} port; its SSH implementation lives in {@code
 * io.obops.remote}. Without one, {@link io.obops.obcluster.NoRemoteExecutor} fails the remote
 * steps: never a pretend success.
 */
package io.obops.obcluster;
