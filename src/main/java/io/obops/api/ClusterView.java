package io.obops.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObServer;
import java.util.List;

/**
 * A cluster in OCP's vocabulary: zones with their observers ({@code sqlPort} is the mysql port,
 * {@code svrPort} the rpc port), statuses as OCP names them, and the task holding the cluster.
 */
@JsonPropertyOrder(alphabetic = true)
record ClusterView(
    long id,
    String name,
    long obClusterId,
    Long operationTaskId,
    String status,
    List<String> tags,
    List<ZoneView> zones) {

  @JsonPropertyOrder(alphabetic = true)
  public record ZoneView(String name, List<ServerView> servers, String status) {}

  @JsonPropertyOrder(alphabetic = true)
  public record ServerView(
      long id, String ip, int sqlPort, String status, int svrPort, String zone) {
    static ServerView of(ObServer s) {
      return new ServerView(
          s.id(), s.ip(), s.mysqlPort(), s.status().name(), s.rpcPort(), s.zoneName());
    }
  }

  public static ClusterView of(ObCluster c) {
    return new ClusterView(
        c.id(),
        c.name(),
        c.obClusterId(),
        c.operationTaskId(),
        c.status().name(),
        c.tags(),
        c.zones().stream()
            .map(
                z ->
                    new ZoneView(
                        z.name(),
                        c.serversIn(z.name()).stream().map(ServerView::of).toList(),
                        z.status().name()))
            .toList());
  }
}
