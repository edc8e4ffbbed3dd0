package io.obops.cluster;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The servers a task was approved for, kept per task ({@code approved_server}): what its remote
 * steps act on, whatever the inventory says later. Written in the transaction that creates the
 * task; never changed afterwards.
 */
public class ApprovedServers {

  private static final String COLUMNS =
      "server_id, zone_name, ip, ssh_port, ssh_user, home_path, mysql_port, rpc_port";

  private final JdbcClient jdbc;

  public ApprovedServers(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** Records every server of the snapshot for the task. */
  public void save(long taskId, ClusterSnapshot snapshot) {
    for (ClusterSnapshot.Server s : snapshot.servers()) {
      jdbc.sql(
              "insert into approved_server (task_id, cluster_id, "
                  + COLUMNS
                  + ") values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
          .params(
              taskId,
              snapshot.clusterId(),
              s.id(),
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

  /** The task's approved servers, by id; empty for a task that has none. */
  public List<ClusterSnapshot.Server> of(long taskId) {
    return jdbc.sql(
            "select " + COLUMNS + " from approved_server where task_id = ? order by server_id")
        .param(taskId)
        .query((rs, n) -> row(rs))
        .list();
  }

  /** One approved server of the task. */
  public Optional<ClusterSnapshot.Server> find(long taskId, long serverId) {
    return jdbc.sql(
            "select " + COLUMNS + " from approved_server where task_id = ? and server_id = ?")
        .params(taskId, serverId)
        .query((rs, n) -> row(rs))
        .optional();
  }

  private static ClusterSnapshot.Server row(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new ClusterSnapshot.Server(
        rs.getLong("server_id"),
        rs.getString("zone_name"),
        rs.getString("ip"),
        rs.getInt("ssh_port"),
        rs.getString("ssh_user"),
        rs.getString("home_path"),
        rs.getInt("mysql_port"),
        rs.getInt("rpc_port"));
  }
}
