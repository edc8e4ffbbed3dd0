package io.obops.cluster;

import java.util.List;

/**
 * A cluster as the inventory describes it, with its current OCP status. {@code operationTaskId} is
 * the task that holds the cluster (null when none); {@code inventoryHash} changes whenever the
 * inventory's description of the cluster (zones, servers, hosts, paths, ports) changes.
 */
public record ObCluster(
    long id,
    String name,
    long obClusterId,
    List<String> tags,
    ObClusterStatus status,
    Long operationTaskId,
    String inventoryHash,
    List<ObZone> zones,
    List<ObServer> servers) {

  public ObCluster {
    tags = List.copyOf(tags);
    zones = List.copyOf(zones);
    servers = List.copyOf(servers);
  }

  public List<ObServer> serversIn(String zone) {
    return servers.stream().filter(s -> s.zoneName().equals(zone)).toList();
  }
}
