package io.obops.obcluster;

import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ClusterSnapshot;
import io.obops.task.SubtaskInstance;
import io.obops.task.TaskInstance;
import io.obops.task.TaskTemplate;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a cluster task was approved for, against what the inventory file says now (including a
 * change that waits for the task to end): the approval flow asks before the last approval, the
 * operations layer before a retry, so nothing runs again on servers that changed since approval.
 */
public final class ApprovedTargets {

  /** The templates of cluster tasks; each names its per-server nodes by split key. */
  private static final List<TaskTemplate> TEMPLATES =
      List.of(StopClusterTemplate.TEMPLATE, StartClusterTemplate.TEMPLATE);

  /** Handler key → true for nodes that run once per server (split by {@code server_ids}). */
  private static final Map<String, Boolean> PER_SERVER =
      TEMPLATES.stream()
          .flatMap(t -> t.stages().stream())
          .filter(s -> StopClusterTemplate.SERVER_IDS.equals(s.splitKey()))
          .collect(Collectors.toMap(s -> s.node().handler(), s -> true, (a, b) -> a));

  private final ApprovedServers approved;
  private final ClusterInventory inventory;

  public ApprovedTargets(ApprovedServers approved, ClusterInventory inventory) {
    this.approved = approved;
    this.inventory = inventory;
  }

  /**
   * How the servers that {@code toRun} act on differ from what the task was approved for, one line
   * per difference; empty when they do not (or the task acts on no server).
   */
  public List<String> changesForRetry(TaskInstance task, Collection<SubtaskInstance> toRun) {
    if (task.target() == null) {
      return List.of();
    }
    Set<Long> servers = new HashSet<>();
    List<String> ids = task.context().list(StopClusterTemplate.SERVER_IDS);
    for (SubtaskInstance s : toRun) {
      if (PER_SERVER.containsKey(s.handler())
          && s.parallelIdx() >= 0
          && s.parallelIdx() < ids.size()) {
        servers.add(Long.parseLong(ids.get(s.parallelIdx())));
      }
    }
    if (servers.isEmpty()) {
      return List.of();
    }
    return changes(approved, inventory, task.id(), task.target().id(), servers);
  }

  /** The differences for these servers ({@code null}: the whole cluster). */
  static List<String> changes(
      ApprovedServers approved,
      ClusterInventory inventory,
      long taskId,
      long clusterId,
      Set<Long> serverIds) {
    List<ClusterSnapshot.Server> servers = approved.of(taskId);
    if (servers.isEmpty()) {
      return List.of(); // a task created before approvals recorded servers
    }
    Optional<ClusterSnapshot> latest = inventory.latest(clusterId);
    if (latest.isEmpty()) {
      return List.of("cluster " + clusterId + " is no longer in the inventory");
    }
    ClusterSnapshot was =
        new ClusterSnapshot(
            clusterId,
            latest.get().clusterName(),
            latest.get().obClusterId(),
            "",
            servers.stream().map(ClusterSnapshot.Server::zone).distinct().toList(),
            servers);
    return was.changesTo(latest.get(), serverIds);
  }
}
