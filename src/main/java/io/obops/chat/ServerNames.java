package io.obops.chat;

import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ClusterSnapshot;
import io.obops.cluster.ObServer;
import io.obops.task.TaskInstance;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Server id → "ip:rpc_port" for a task, as shown on boards and in the graph: the addresses the task
 * was approved for (what it acts on), else the inventory's.
 */
final class ServerNames {

  private final ApprovedServers approved;
  private final ClusterInventory inventory;

  ServerNames(ApprovedServers approved, ClusterInventory inventory) {
    this.approved = approved;
    this.inventory = inventory;
  }

  Map<Long, String> of(TaskInstance task) {
    List<ClusterSnapshot.Server> servers = approved.of(task.id());
    if (!servers.isEmpty()) {
      return servers.stream()
          .collect(
              Collectors.toMap(
                  ClusterSnapshot.Server::id, ClusterSnapshot.Server::address, (a, b) -> a));
    }
    if (task.target() == null) {
      return Map.of();
    }
    return inventory.find(task.target().id()).map(c -> c.servers()).orElse(List.of()).stream()
        .collect(Collectors.toMap(ObServer::id, ObServer::address, (a, b) -> a));
  }

  /** Server id → zone name for a task, from the same source as {@link #of}. */
  Map<Long, String> zones(TaskInstance task) {
    List<ClusterSnapshot.Server> servers = approved.of(task.id());
    if (!servers.isEmpty()) {
      return servers.stream()
          .collect(
              Collectors.toMap(
                  ClusterSnapshot.Server::id, ClusterSnapshot.Server::zone, (a, b) -> a));
    }
    if (task.target() == null) {
      return Map.of();
    }
    return inventory.find(task.target().id()).map(c -> c.servers()).orElse(List.of()).stream()
        .collect(Collectors.toMap(ObServer::id, ObServer::zoneName, (a, b) -> a));
  }
}
