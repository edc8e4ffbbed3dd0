package io.obops.obcluster;

import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObClusterStatus;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObZone;
import io.obops.task.Creator;
import io.obops.task.TaskClient;
import io.obops.task.TaskContext;
import io.obops.task.TaskInstance;
import io.obops.task.TaskTarget;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Starts "Stop OB cluster": checks the cluster, creates the task and reserves the cluster for it,
 * in one transaction — the caller's if it has one (an approval commits with the task it starts).
 * Nobody calls this without an approval; the approval layer is the only production caller.
 */
public class StopClusterService {

  private final ClusterInventory inventory;
  private final TaskClient tasks;
  private final TransactionTemplate tx;

  public StopClusterService(ClusterInventory inventory, TaskClient tasks, TransactionTemplate tx) {
    this.inventory = inventory;
    this.tasks = tasks;
    this.tx = tx;
  }

  /** Refuses, with a message saying what to do, a cluster that cannot be stopped now. */
  public ObCluster check(long clusterId) {
    ObCluster cluster =
        inventory
            .find(clusterId)
            .orElseThrow(
                () ->
                    new ClusterOperationException(
                        ClusterOperationException.Reason.NOT_FOUND,
                        "cluster "
                            + clusterId
                            + " does not exist; GET /api/v2/ob/clusters lists the clusters",
                        null));
    if (cluster.operationTaskId() != null) {
      throw new ClusterOperationException(
          ClusterOperationException.Reason.CONFLICT,
          "cluster "
              + clusterId
              + " ("
              + cluster.name()
              + ") already has an operation in flight: task "
              + cluster.operationTaskId()
              + "; follow it with GET /api/v2/tasks/instances/"
              + cluster.operationTaskId()
              + ", retry or skip its failed subtasks",
          cluster.operationTaskId());
    }
    if (cluster.status() != ObClusterStatus.RUNNING) {
      throw new ClusterOperationException(
          ClusterOperationException.Reason.CONFLICT,
          "cluster "
              + clusterId
              + " ("
              + cluster.name()
              + ") is "
              + cluster.status()
              + "; only a RUNNING cluster can be stopped",
          null);
    }
    return cluster;
  }

  /** Creates and starts the task; returns it as stored (RUNNING, first subtask READY). */
  public TaskInstance start(long clusterId, Creator creator) {
    TaskInstance task =
        tx.execute(
            status -> {
              ObCluster cluster = check(clusterId);
              long taskId =
                  tasks.submit(
                      StopClusterTemplate.TEMPLATE,
                      context(cluster),
                      creator,
                      new TaskTarget(cluster.id(), cluster.name(), cluster.obClusterId()));
              if (!inventory.acquireOperation(clusterId, taskId)) {
                // Someone else reserved it between the check and now: roll the task back.
                status.setRollbackOnly();
                return null;
              }
              if (TransactionSynchronizationManager.isSynchronizationActive()) {
                TransactionSynchronizationManager.registerSynchronization(
                    new TransactionSynchronization() {
                      @Override
                      public void afterCommit() {
                        tasks.wakeUp();
                      }
                    });
              }
              return tasks.find(taskId).orElseThrow();
            });
    if (task == null) {
      check(clusterId); // says who holds it now
      throw new ClusterOperationException(
          ClusterOperationException.Reason.CONFLICT,
          "cluster " + clusterId + " was reserved by another operation; try again",
          null);
    }
    return task;
  }

  /** The context exactly as OCP prints it for this task. */
  static TaskContext context(ObCluster cluster) {
    return TaskContext.builder()
        .put(StopClusterTemplate.CLUSTER_NAME, cluster.name())
        .put(StopClusterTemplate.CLUSTER_ID, String.valueOf(cluster.id()))
        .put(StopClusterTemplate.FORMER_CLUSTER_STATUS, cluster.status().name())
        .putList(
            StopClusterTemplate.SERVER_IDS,
            cluster.zones().stream()
                .flatMap(z -> cluster.serversIn(z.name()).stream())
                .map(ObServer::id)
                .toList())
        .putList(
            StopClusterTemplate.ZONE_NAMES, cluster.zones().stream().map(ObZone::name).toList())
        .build();
  }
}
