package io.obops.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * A cluster's description at one moment, without statuses: what approvers are shown and what an
 * approved task then acts on (every server's zone, address, SSH port and user, home path and
 * ports). {@link #hash} binds an approval to it; {@link #changesTo} says in words how a later
 * description differs.
 */
public record ClusterSnapshot(
    long clusterId,
    String clusterName,
    long obClusterId,
    String inventoryHash,
    List<String> zones,
    List<Server> servers) {

  /** One server as described: everything a remote step needs to reach its observer. */
  public record Server(
      long id,
      String zone,
      String ip,
      int sshPort,
      String sshUser,
      String homePath,
      int mysqlPort,
      int rpcPort) {

    /** How OCP and obd name a server: {@code ip:rpc_port}. */
    public String address() {
      return ip + ":" + rpcPort;
    }

    /** The server as the remote port takes it, with a status for display only. */
    public ObServer toObServer(long clusterId, ObServerStatus status) {
      return new ObServer(
          id, clusterId, zone, ip, sshPort, sshUser, homePath, mysqlPort, rpcPort, status);
    }

    static Server of(ObServer s) {
      return new Server(
          s.id(),
          s.zoneName(),
          s.ip(),
          s.sshPort(),
          s.sshUser(),
          s.homePath(),
          s.mysqlPort(),
          s.rpcPort());
    }

    static Server of(InventoryLoader.ServerSpec s) {
      return new Server(
          s.id(),
          s.zone(),
          s.ip(),
          s.sshPort(),
          s.sshUser(),
          s.homePath(),
          s.mysqlPort(),
          s.rpcPort());
    }
  }

  public ClusterSnapshot {
    zones = List.copyOf(zones);
    servers = List.copyOf(servers);
  }

  /** The cluster as the inventory describes it now. */
  public static ClusterSnapshot of(ObCluster c) {
    return new ClusterSnapshot(
        c.id(),
        c.name(),
        c.obClusterId(),
        c.inventoryHash(),
        c.zones().stream().map(ObZone::name).toList(),
        c.servers().stream().map(Server::of).toList());
  }

  static ClusterSnapshot of(InventoryLoader.ClusterSpec c) {
    return new ClusterSnapshot(
        c.id(),
        c.name(),
        c.obClusterId(),
        ClusterInventory.hash(c),
        c.zones(),
        c.servers().stream().map(Server::of).toList());
  }

  /** SHA-256 over the action and every field but the inventory hash, in a fixed order. */
  public String hash(String action) {
    var text = new StringBuilder(action);
    text.append('|').append(clusterId).append('|').append(clusterName);
    text.append('|').append(obClusterId);
    zones.forEach(z -> text.append("|z:").append(z));
    servers.forEach(s -> text.append("|s:").append(s));
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(text.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * How {@code now} differs from this snapshot, one line per difference ("server 3: ip 10.0.0.7 →
   * 10.0.0.9"), limited to {@code serverIds} (null: every server, and the zones). Empty when equal.
   */
  public List<String> changesTo(ClusterSnapshot now, Set<Long> serverIds) {
    var changes = new ArrayList<String>();
    if (serverIds == null && !Set.copyOf(zones).equals(Set.copyOf(now.zones()))) {
      changes.add("zones " + zones + " -> " + now.zones());
    }
    Map<Long, Server> later = byId(now.servers());
    for (Server s : servers) {
      if (serverIds != null && !serverIds.contains(s.id())) {
        continue;
      }
      Server n = later.get(s.id());
      if (n == null) {
        changes.add("server " + s.id() + " (" + s.address() + ") is gone");
        continue;
      }
      var fields = new ArrayList<String>();
      diff(fields, "zone", s.zone(), n.zone());
      diff(fields, "ip", s.ip(), n.ip());
      diff(fields, "ssh_port", s.sshPort(), n.sshPort());
      diff(fields, "ssh_user", s.sshUser(), n.sshUser());
      diff(fields, "home_path", s.homePath(), n.homePath());
      diff(fields, "mysql_port", s.mysqlPort(), n.mysqlPort());
      diff(fields, "rpc_port", s.rpcPort(), n.rpcPort());
      if (!fields.isEmpty()) {
        changes.add("server " + s.id() + " (" + s.address() + "): " + String.join(", ", fields));
      }
    }
    if (serverIds == null) {
      Map<Long, Server> before = byId(servers);
      now.servers().stream()
          .filter(s -> !before.containsKey(s.id()))
          .forEach(s -> changes.add("server " + s.id() + " (" + s.address() + ") is new"));
    }
    return changes;
  }

  private static Map<Long, Server> byId(List<Server> servers) {
    return servers.stream()
        .collect(
            Collectors.toMap(Server::id, Function.identity(), (a, b) -> a, LinkedHashMap::new));
  }

  private static void diff(List<String> out, String field, Object before, Object after) {
    if (!before.equals(after)) {
      out.add(field + " " + before + " -> " + after);
    }
  }
}
