package io.obops.approval;

import io.obops.cluster.ObCluster;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObZone;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * Exactly what a stop request asks for, as approvers see it: the cluster, its zones and servers,
 * and the inventory hash they were read under. {@link #hash} binds an approval to these values.
 */
public record StopParameters(
    long clusterId,
    String clusterName,
    long obClusterId,
    String inventoryHash,
    List<String> zones,
    List<Server> servers) {

  /** One observer that the stop would kill. */
  public record Server(long id, String zone, String address) {}

  public StopParameters {
    zones = List.copyOf(zones);
    servers = List.copyOf(servers);
  }

  public static StopParameters of(ObCluster c) {
    return new StopParameters(
        c.id(),
        c.name(),
        c.obClusterId(),
        c.inventoryHash(),
        c.zones().stream().map(ObZone::name).toList(),
        c.servers().stream()
            .map((ObServer s) -> new Server(s.id(), s.zoneName(), s.address()))
            .toList());
  }

  /** SHA-256 over the action and every field, in a fixed order. */
  public String hash(String action) {
    var text = new StringBuilder(action);
    text.append('|').append(clusterId).append('|').append(clusterName);
    text.append('|').append(obClusterId).append('|').append(inventoryHash);
    zones.forEach(z -> text.append("|z:").append(z));
    servers.forEach(
        s ->
            text.append("|s:")
                .append(s.id())
                .append('@')
                .append(s.zone())
                .append('/')
                .append(s.address()));
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
