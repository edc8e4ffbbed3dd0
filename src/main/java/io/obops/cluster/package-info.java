/**
 * The inventory: clusters → zones → servers, as {@code config/clusters.yml} describes them ({@link
 * io.obops.cluster.InventoryLoader}, strict validation of everything that reaches a remote shell),
 * kept in the database with OCP's statuses ({@link io.obops.cluster.ClusterInventory}).
 *
 * <p>Seams: the file is read once at start-up and synchronised (idempotent upsert that keeps
 * statuses). Operations reserve a cluster with {@code acquireOperation} and move its statuses
 * through {@code setClusterStatus}, {@code setZoneStatus}, {@code setServerStatus}. {@code
 * inventoryHash} changes whenever the description of a cluster changes (approvals bind to it).
 */
package io.obops.cluster;
