/**
 * The inventory: clusters → zones → servers, as {@code config/clusters.yml} describes them ({@link
 * io.obops.cluster.InventoryLoader}, strict validation of everything that reaches a remote shell),
 * kept in the database with OCP's statuses ({@link io.obops.cluster.ClusterInventory}).
 *
 * <p>Seams: the file is read at start-up and synchronised (idempotent upsert that keeps statuses).
 * Operations reserve a cluster with {@code acquireOperation}, move its statuses through {@code
 * setClusterStatus}, {@code setZoneStatus}, {@code setServerStatus}, and let it go ({@code
 * setClusterStatus} with release, or {@code releaseOperation}). A change of the file to a cluster
 * an operation holds is not applied: it is logged, kept in {@code inventory_deferred} and applied
 * by whichever instance releases the cluster; {@code latest} answers with it meanwhile.
 *
 * <p>{@link io.obops.cluster.ClusterSnapshot} is a cluster's description without statuses (what
 * approvers see, with a hash and a diff); {@link io.obops.cluster.ApprovedServers} keeps, per task,
 * the servers it was approved for, which its remote steps act on. {@link
 * io.obops.cluster.PreflightPlan} is what a read-only inspection found on those servers (data only,
 * with its hash and summary; {@code obcluster} makes it), shown to approvers and bound to their
 * approval.
 */
package io.obops.cluster;
