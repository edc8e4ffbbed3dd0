package io.obops.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The clusters obops manages, kept in the database: loaded from the inventory file at start
 * (idempotent upsert that keeps runtime statuses), read by everyone, and moved through OCP's
 * statuses by the operations' subtasks.
 */
public class ClusterInventory {

  private static final Logger log = LoggerFactory.getLogger(ClusterInventory.class);

  private final JdbcClient jdbc;
  private final TransactionTemplate tx;
  private final Clock clock;

  public ClusterInventory(JdbcClient jdbc, TransactionTemplate tx, Clock clock) {
    this.jdbc = jdbc;
    this.tx = tx;
    this.clock = clock;
  }

  // ---------------------------------------------------------------- loading

  /**
   * Makes the database match the inventory file: new clusters, zones and servers are added as
   * RUNNING; existing ones keep their status and get the file's description; ones gone from the
   * file are removed, except a cluster with an operation in flight, which is kept (and logged).
   */
  public void sync(List<InventoryLoader.ClusterSpec> specs) {
    tx.executeWithoutResult(s -> doSync(specs));
  }

  private void doSync(List<InventoryLoader.ClusterSpec> specs) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    for (InventoryLoader.ClusterSpec c : specs) {
      String hash = hash(c);
      String tags = String.join(",", c.tags());
      int updated =
          jdbc.sql(
                  "update ob_cluster set name = ?, ob_cluster_id = ?, tags = ?, inventory_hash = ?,"
                      + " updated_at = ? where id = ?")
              .params(c.name(), c.obClusterId(), tags, hash, now, c.id())
              .update();
      if (updated == 0) {
        jdbc.sql(
                "insert into ob_cluster (id, name, ob_cluster_id, tags, status, inventory_hash,"
                    + " updated_at) values (?, ?, ?, ?, 'RUNNING', ?, ?)")
            .params(c.id(), c.name(), c.obClusterId(), tags, hash, now)
            .update();
      }
      List<String> existingZones =
          jdbc.sql("select name from ob_zone where cluster_id = ?")
              .param(c.id())
              .query(String.class)
              .list();
      for (String zone : c.zones()) {
        if (!existingZones.contains(zone)) {
          jdbc.sql("insert into ob_zone (cluster_id, name, status) values (?, ?, 'RUNNING')")
              .params(c.id(), zone)
              .update();
        }
      }
      for (String zone : existingZones) {
        if (!c.zones().contains(zone)) {
          jdbc.sql("delete from ob_zone where cluster_id = ? and name = ?")
              .params(c.id(), zone)
              .update();
        }
      }
      for (InventoryLoader.ServerSpec s : c.servers()) {
        int n =
            jdbc.sql(
                    "update ob_server set cluster_id = ?, zone_name = ?, ip = ?, ssh_port = ?,"
                        + " ssh_user = ?, home_path = ?, mysql_port = ?, rpc_port = ? where id = ?")
                .params(
                    c.id(),
                    s.zone(),
                    s.ip(),
                    s.sshPort(),
                    s.sshUser(),
                    s.homePath(),
                    s.mysqlPort(),
                    s.rpcPort(),
                    s.id())
                .update();
        if (n == 0) {
          jdbc.sql(
                  "insert into ob_server (id, cluster_id, zone_name, ip, ssh_port, ssh_user,"
                      + " home_path, mysql_port, rpc_port, status) values (?, ?, ?, ?, ?, ?, ?,"
                      + " ?, ?, 'RUNNING')")
              .params(
                  s.id(),
                  c.id(),
                  s.zone(),
                  s.ip(),
                  s.sshPort(),
                  s.sshUser(),
                  s.homePath(),
                  s.mysqlPort(),
                  s.rpcPort())
              .update();
        }
      }
      Set<Long> keep =
          c.servers().stream().map(InventoryLoader.ServerSpec::id).collect(Collectors.toSet());
      for (Long id :
          jdbc.sql("select id from ob_server where cluster_id = ?")
              .param(c.id())
              .query(Long.class)
              .list()) {
        if (!keep.contains(id)) {
          jdbc.sql("delete from ob_server where id = ?").param(id).update();
        }
      }
    }
    Set<Long> inFile =
        specs.stream().map(InventoryLoader.ClusterSpec::id).collect(Collectors.toSet());
    for (ObCluster gone : all()) {
      if (inFile.contains(gone.id())) {
        continue;
      }
      if (gone.operationTaskId() != null) {
        log.warn(
            "cluster {} ({}) is no longer in the inventory but task {} holds it; kept until that"
                + " task is done",
            gone.id(),
            gone.name(),
            gone.operationTaskId());
      } else {
        jdbc.sql("delete from ob_cluster where id = ?").param(gone.id()).update();
        log.info("cluster {} ({}) removed: no longer in the inventory", gone.id(), gone.name());
      }
    }
  }

  /** A digest of everything the inventory says about a cluster; changes with any of it. */
  static String hash(InventoryLoader.ClusterSpec c) {
    var text = new StringBuilder();
    text.append(c.id()).append('|').append(c.name()).append('|').append(c.obClusterId());
    text.append('|').append(c.tags()).append('|').append(c.zones());
    for (InventoryLoader.ServerSpec s : c.servers()) {
      text.append('|').append(s);
    }
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(text.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  // ---------------------------------------------------------------- reading

  public Optional<ObCluster> find(long id) {
    return jdbc.sql(
            "select id, name, ob_cluster_id, tags, status, operation_task_id, inventory_hash from"
                + " ob_cluster where id = ?")
        .param(id)
        .query((rs, n) -> clusterRow(rs))
        .optional()
        .map(this::withMembers);
  }

  public List<ObCluster> all() {
    return jdbc
        .sql(
            "select id, name, ob_cluster_id, tags, status, operation_task_id, inventory_hash from"
                + " ob_cluster order by id")
        .query((rs, n) -> clusterRow(rs))
        .list()
        .stream()
        .map(this::withMembers)
        .toList();
  }

  public Optional<ObServer> server(long id) {
    return jdbc.sql(SERVER_SELECT + " where id = ?")
        .param(id)
        .query((rs, n) -> serverRow(rs))
        .optional();
  }

  private static final String SERVER_SELECT =
      "select id, cluster_id, zone_name, ip, ssh_port, ssh_user, home_path, mysql_port, rpc_port,"
          + " status from ob_server";

  private ObCluster clusterRow(ResultSet rs) throws SQLException {
    long op = rs.getLong("operation_task_id");
    Long operation = rs.wasNull() ? null : op;
    String tags = rs.getString("tags");
    return new ObCluster(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getLong("ob_cluster_id"),
        tags.isEmpty() ? List.of() : Arrays.asList(tags.split(",")),
        ObClusterStatus.valueOf(rs.getString("status")),
        operation,
        rs.getString("inventory_hash"),
        List.of(),
        List.of());
  }

  private ObCluster withMembers(ObCluster c) {
    List<ObZone> zones =
        jdbc.sql("select name, status from ob_zone where cluster_id = ?")
            .param(c.id())
            .query(
                (rs, n) ->
                    new ObZone(c.id(), rs.getString(1), ObZoneStatus.valueOf(rs.getString(2))))
            .list();
    List<ObServer> servers =
        jdbc.sql(SERVER_SELECT + " where cluster_id = ? order by id")
            .param(c.id())
            .query((rs, n) -> serverRow(rs))
            .list();
    // Zones in the order their first server appears; zone names break ties.
    var ordered = new ArrayList<>(zones);
    ordered.sort(
        (a, b) -> {
          int ia = firstServerIndex(servers, a.name());
          int ib = firstServerIndex(servers, b.name());
          return ia != ib ? Integer.compare(ia, ib) : a.name().compareTo(b.name());
        });
    return new ObCluster(
        c.id(),
        c.name(),
        c.obClusterId(),
        c.tags(),
        c.status(),
        c.operationTaskId(),
        c.inventoryHash(),
        ordered,
        servers);
  }

  private static int firstServerIndex(List<ObServer> servers, String zone) {
    for (int i = 0; i < servers.size(); i++) {
      if (servers.get(i).zoneName().equals(zone)) {
        return i;
      }
    }
    return Integer.MAX_VALUE;
  }

  private static ObServer serverRow(ResultSet rs) throws SQLException {
    return new ObServer(
        rs.getLong("id"),
        rs.getLong("cluster_id"),
        rs.getString("zone_name"),
        rs.getString("ip"),
        rs.getInt("ssh_port"),
        rs.getString("ssh_user"),
        rs.getString("home_path"),
        rs.getInt("mysql_port"),
        rs.getInt("rpc_port"),
        ObServerStatus.valueOf(rs.getString("status")));
  }

  // ---------------------------------------------------------------- status changes

  /**
   * Reserves the cluster for a task: succeeds only if the cluster is RUNNING and no other operation
   * holds it. Returns false otherwise (nothing changed).
   */
  public boolean acquireOperation(long clusterId, long taskId) {
    return jdbc.sql(
                "update ob_cluster set operation_task_id = ? where id = ? and status = 'RUNNING'"
                    + " and operation_task_id is null")
            .params(taskId, clusterId)
            .update()
        == 1;
  }

  /**
   * Sets the cluster's status on behalf of the task that holds it; false if another task holds the
   * cluster (or none does). {@code release} lets the cluster go at the same time.
   */
  public boolean setClusterStatus(
      long clusterId, long taskId, ObClusterStatus status, boolean release) {
    return jdbc.sql(
                "update ob_cluster set status = ?, updated_at = ?"
                    + (release ? ", operation_task_id = null" : "")
                    + " where id = ? and operation_task_id = ?")
            .params(status.name(), OffsetDateTime.now(clock), clusterId, taskId)
            .update()
        == 1;
  }

  public void setZoneStatus(long clusterId, String zone, ObZoneStatus status) {
    jdbc.sql("update ob_zone set status = ? where cluster_id = ? and name = ?")
        .params(status.name(), clusterId, zone)
        .update();
  }

  public void setServerStatus(long serverId, ObServerStatus status) {
    jdbc.sql("update ob_server set status = ? where id = ?")
        .params(status.name(), serverId)
        .update();
  }
}
