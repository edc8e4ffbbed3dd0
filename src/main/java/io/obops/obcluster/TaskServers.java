package io.obops.obcluster;

import static io.obops.obcluster.StopClusterTemplate.CLUSTER_ID;
import static io.obops.obcluster.StopClusterTemplate.SERVER_IDS;

import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObClusterStatus;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObServerStatus;
import io.obops.cluster.ObZoneStatus;
import io.obops.task.SubtaskExecution;

/**
 * What a cluster task's subtask acts on: its cluster (the inventory's, for statuses) and its server
 * as approved ({@link ApprovedServers}), never a live lookup of addresses, so a retry or the
 * reaper's re-run reaches exactly the hosts, users and paths the approvers were shown.
 */
final class TaskServers {

  private final ClusterInventory inventory;
  private final ApprovedServers approved;

  TaskServers(ClusterInventory inventory, ApprovedServers approved) {
    this.inventory = inventory;
    this.approved = approved;
  }

  static long clusterId(SubtaskExecution e) {
    return Long.parseLong(e.context().string(CLUSTER_ID));
  }

  ObCluster cluster(SubtaskExecution e, String verb) {
    long id = clusterId(e);
    return inventory
        .find(id)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "cluster " + id + " is no longer in the inventory; nothing to " + verb));
  }

  /** The subtask's server as approved, with its current status (for display). */
  ObServer server(SubtaskExecution e) {
    long id = Long.parseLong(e.parallelValue(SERVER_IDS));
    long clusterId = clusterId(e);
    return approved
        .find(e.taskId(), id)
        .map(
            s ->
                s.toObServer(
                    clusterId,
                    inventory.server(id).map(ObServer::status).orElse(ObServerStatus.UNAVAILABLE)))
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "task "
                        + e.taskId()
                        + " has no approved description of server "
                        + id
                        + "; nothing runs on a server nobody approved (skip this subtask if that"
                        + " is intended)"));
  }

  /**
   * Refuses to go on unless the cluster is reserved for this task: "held by task N" or "not
   * reserved", with what to do.
   */
  static void requireHeldBy(ObCluster cluster, long taskId) {
    if (cluster.operationTaskId() == null || cluster.operationTaskId() != taskId) {
      throw new IllegalStateException(
          named(cluster)
              + " is "
              + (cluster.operationTaskId() == null
                  ? "not reserved for this task"
                  : "held by task " + cluster.operationTaskId())
              + "; finish or retry that operation first");
    }
  }

  /**
   * "Prepare … cluster" of a whole-cluster task: refuses a cluster this task does not hold, or that
   * is neither in {@code from} nor already in {@code moving} (a re-run of this very task); records
   * the former status once; marks the cluster {@code moving}.
   */
  static void moveCluster(
      SubtaskExecution e,
      ObCluster cluster,
      ClusterInventory inventory,
      ObClusterStatus from,
      ObClusterStatus moving,
      String verb) {
    requireHeldBy(cluster, e.taskId());
    boolean rerun = cluster.status() == moving;
    if (cluster.status() != from && !rerun) {
      throw new IllegalStateException(
          named(cluster)
              + " is "
              + cluster.status()
              + "; only a "
              + from
              + " cluster can be "
              + verb);
    }
    if (e.context().string(StopClusterTemplate.FORMER_CLUSTER_STATUS) == null) {
      e.putContextString(StopClusterTemplate.FORMER_CLUSTER_STATUS, cluster.status().name());
    }
    inventory.setClusterStatus(cluster.id(), e.taskId(), moving, false);
    e.log()
        .append(
            "cluster "
                + cluster.name()
                + " ("
                + cluster.zones().size()
                + " zones, "
                + cluster.servers().size()
                + " servers): "
                + (rerun ? "already " + moving : from + " -> " + moving));
  }

  /** A zone of the task's cluster moves to {@code status} ("zone zone1 -> STOPPING"). */
  static void moveZone(SubtaskExecution e, ClusterInventory inventory, ObZoneStatus status) {
    String zone = e.parallelValue(StopClusterTemplate.ZONE_NAMES);
    inventory.setZoneStatus(clusterId(e), zone, status);
    e.log().append("zone " + zone + " -> " + status);
  }

  /**
   * "Update OB cluster status": the cluster reaches {@code status} and is released by this task;
   * already there and released is a re-run's no-op; held by another task is refused.
   */
  static void finishCluster(
      SubtaskExecution e, ObCluster cluster, ClusterInventory inventory, ObClusterStatus status) {
    if (cluster.status() == status && cluster.operationTaskId() == null) {
      e.log().append("cluster " + cluster.name() + " already " + status);
      return;
    }
    if (!inventory.setClusterStatus(cluster.id(), e.taskId(), status, true)) {
      throw new IllegalStateException(
          "cluster "
              + cluster.id()
              + " is held by task "
              + cluster.operationTaskId()
              + ", not this one; its status was left as "
              + cluster.status());
    }
    e.log().append("cluster " + cluster.name() + " -> " + status);
  }

  /** "cluster 1 (demo)", as messages name it. */
  private static String named(ObCluster cluster) {
    return "cluster " + cluster.id() + " (" + cluster.name() + ")";
  }
}
