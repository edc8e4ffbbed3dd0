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
import tools.jackson.databind.json.JsonMapper;

/**
 * The clusters obops manages, kept in the database: loaded from the inventory file at start
 * (idempotent upsert that keeps runtime statuses), read by everyone, and moved through OCP's
 * statuses by the operations' subtasks.
 *
 * <p>Why one file: loading the file (upsert, deferral while a cluster is held), reserving a cluster
 * for one operation and moving OCP's statuses are conditional updates of the same three tables
 * whose invariants (one operation per cluster, statuses of held clusters untouched by a sync) hold
 * only if they are read side by side.
 */
public class ClusterInventory {

  private static final Logger log = LoggerFactory.getLogger(ClusterInventory.class);
  private static final JsonMapper JSON = JsonMapper.builder().build();

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
   * file are removed.
   *
   * <p>A cluster an operation holds is not changed: what its task was approved for stays what the
   * inventory says until the task ends. Its new description (or its removal) is kept in {@code
   * inventory_deferred} and logged; whichever instance ends the operation applies it in the same
   * transaction ({@link #releaseOperation}, {@link #setClusterStatus} with release). The same holds
   * for a cluster that would take over a server of a held cluster.
   */
  public void sync(List<InventoryLoader.ClusterSpec> specs) {
    tx.executeWithoutResult(
        s -> {
          OffsetDateTime now = OffsetDateTime.now(clock);
          for (InventoryLoader.ClusterSpec c : specs) {
            upsertOrDefer(c, now);
          }
          Set<Long> inFile =
              specs.stream().map(InventoryLoader.ClusterSpec::id).collect(Collectors.toSet());
          for (ObCluster gone : all()) {
            if (!inFile.contains(gone.id())) {
              removeOrDefer(gone.id(), now);
            }
          }
        });
  }

  /** Applies the spec, or defers it while an operation holds the cluster or one of its servers. */
  private void upsertOrDefer(InventoryLoader.ClusterSpec c, OffsetDateTime now) {
    Optional<Held> holder = holder(c);
    if (holder.isEmpty()) {
      upsert(c, now);
      dropDeferred(c.id());
      return;
    }
    Held h = holder.get();
    String stored =
        jdbc.sql("select inventory_hash from ob_cluster where id = ?")
            .param(c.id())
            .query(String.class)
            .optional()
            .orElse(null);
    if (h.clusterId() == c.id() && hash(c).equals(stored)) {
      dropDeferred(c.id()); // the file says what the database says: nothing waits
      return;
    }
    defer(c.id(), JSON.writeValueAsString(c), h, now);
    log.warn(
        "inventory: cluster {} ({}) changed in the inventory file, but task {} holds {}; the change"
            + " is deferred until that task ends (kept in the database, applied by the obops"
            + " instance that ends it)",
        c.id(),
        c.name(),
        h.taskId(),
        h.clusterId() == c.id() ? "it" : "cluster " + h.clusterId() + ", which has its servers");
  }

  private void removeOrDefer(long clusterId, OffsetDateTime now) {
    Long task = operationOf(clusterId);
    if (task == null) {
      jdbc.sql("delete from ob_cluster where id = ?").param(clusterId).update();
      dropDeferred(clusterId);
      log.info("inventory: cluster {} removed: no longer in the inventory file", clusterId);
      return;
    }
    defer(clusterId, null, new Held(clusterId, task), now);
    log.warn(
        "inventory: cluster {} is no longer in the inventory file, but task {} holds it; it is"
            + " removed when that task ends",
        clusterId,
        task);
  }

  /** An operation holding a cluster. */
  private record Held(long clusterId, long taskId) {}

  /**
   * The operation that blocks applying {@code c}: its own, or that of a cluster with its servers.
   */
  private Optional<Held> holder(InventoryLoader.ClusterSpec c) {
    Long own = operationOf(c.id());
    if (own != null) {
      return Optional.of(new Held(c.id(), own));
    }
    for (InventoryLoader.ServerSpec s : c.servers()) {
      Optional<Held> other =
          jdbc.sql(
                  "select c.id, c.operation_task_id from ob_server s join ob_cluster c on c.id ="
                      + " s.cluster_id where s.id = ? and c.id <> ? and c.operation_task_id is not"
                      + " null")
              .params(s.id(), c.id())
              .query((rs, n) -> new Held(rs.getLong(1), rs.getLong(2)))
              .optional();
      if (other.isPresent()) {
        return other;
      }
    }
    return Optional.empty();
  }

  private Long operationOf(long clusterId) {
    return jdbc.sql("select operation_task_id from ob_cluster where id = ?")
        .param(clusterId)
        .query((rs, n) -> rs.getObject(1, Long.class))
        .optional()
        .orElse(null);
  }

  private void defer(long clusterId, String spec, Held holder, OffsetDateTime now) {
    dropDeferred(clusterId);
    jdbc.sql(
            "insert into inventory_deferred (cluster_id, spec, waits_for, holder_task_id,"
                + " deferred_at) values (?, ?, ?, ?, ?)")
        .params(clusterId, spec, holder.clusterId(), holder.taskId(), now)
        .update();
  }

  private void dropDeferred(long clusterId) {
    jdbc.sql("delete from inventory_deferred where cluster_id = ?").param(clusterId).update();
  }

  /**
   * Applies what waited for the operation on {@code clusterId} to end. The caller holds the
   * transaction that released the cluster.
   */
  private void applyDeferred(long clusterId) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    var waiting =
        jdbc.sql(
                "select cluster_id, spec from inventory_deferred where waits_for = ? or cluster_id"
                    + " = ? order by cluster_id")
            .params(clusterId, clusterId)
            .query((rs, n) -> new String[] {rs.getString(1), rs.getString(2)})
            .list();
    for (String[] row : waiting) {
      long id = Long.parseLong(row[0]);
      if (row[1] == null) {
        removeOrDefer(id, now);
      } else {
        InventoryLoader.ClusterSpec spec =
            JSON.readValue(row[1], InventoryLoader.ClusterSpec.class);
        upsertOrDefer(spec, now);
        log.info(
            "inventory: applied the deferred change of cluster {} ({}) now that its operation"
                + " ended",
            spec.id(),
            spec.name());
      }
    }
  }

  /**
   * The cluster as the inventory file last described it: a change deferred while an operation holds
   * it, else the database's description; empty when the file no longer lists it.
   */
  public Optional<ClusterSnapshot> latest(long clusterId) {
    var deferred =
        jdbc.sql("select spec from inventory_deferred where cluster_id = ?")
            .param(clusterId)
            .query((rs, n) -> Optional.ofNullable(rs.getString(1)))
            .optional();
    if (deferred.isPresent()) {
      return deferred
          .get()
          .map(json -> ClusterSnapshot.of(JSON.readValue(json, InventoryLoader.ClusterSpec.class)));
    }
    return find(clusterId).map(ClusterSnapshot::of);
  }

  private void upsert(InventoryLoader.ClusterSpec c, OffsetDateTime now) {
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
   * The task that last moved the cluster to a status and let it go ({@link #setClusterStatus} with
   * release: a finished stop or start); empty when none did.
   */
  public Optional<Long> lastOperation(long clusterId) {
    return jdbc
        .sql("select last_operation_task_id from ob_cluster where id = ?")
        .param(clusterId)
        .query((rs, n) -> rs.getLong(1))
        .list()
        .stream()
        .filter(id -> id != 0)
        .findFirst();
  }

  /**
   * Reserves a RUNNING cluster for a task (a stop): {@link #acquireOperation(long, long,
   * ObClusterStatus)} from RUNNING.
   */
  public boolean acquireOperation(long clusterId, long taskId) {
    return acquireOperation(clusterId, taskId, ObClusterStatus.RUNNING);
  }

  /**
   * Reserves the cluster for a task: succeeds only if the cluster's status is {@code from} (RUNNING
   * for a stop, STOPPED for a start) and no other operation holds it. Returns false otherwise
   * (nothing changed).
   */
  public boolean acquireOperation(long clusterId, long taskId, ObClusterStatus from) {
    return jdbc.sql(
                "update ob_cluster set operation_task_id = ? where id = ? and status = ?"
                    + " and operation_task_id is null")
            .params(taskId, clusterId, from.name())
            .update()
        == 1;
  }

  /**
   * Sets the cluster's status on behalf of the task that holds it; false if another task holds the
   * cluster (or none does). {@code release} lets the cluster go at the same time.
   */
  public boolean setClusterStatus(
      long clusterId, long taskId, ObClusterStatus status, boolean release) {
    return Boolean.TRUE.equals(
        tx.execute(
            s -> {
              boolean set =
                  jdbc.sql(
                              "update ob_cluster set status = ?, updated_at = ?"
                                  + (release
                                      ? ", last_operation_task_id = operation_task_id,"
                                          + " operation_task_id = null"
                                      : "")
                                  + " where id = ? and operation_task_id = ?")
                          .params(status.name(), OffsetDateTime.now(clock), clusterId, taskId)
                          .update()
                      == 1;
              if (set && release) {
                applyDeferred(clusterId);
              }
              return set;
            }));
  }

  /**
   * Lets the cluster go without changing its status (an operation that ended before it began);
   * false if {@code taskId} did not hold it. Applies inventory changes that waited for it.
   */
  public boolean releaseOperation(long clusterId, long taskId) {
    return Boolean.TRUE.equals(
        tx.execute(
            s -> {
              boolean released =
                  jdbc.sql(
                              "update ob_cluster set operation_task_id = null, updated_at = ? where"
                                  + " id = ? and operation_task_id = ?")
                          .params(OffsetDateTime.now(clock), clusterId, taskId)
                          .update()
                      == 1;
              if (released) {
                applyDeferred(clusterId);
              }
              return released;
            }));
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
