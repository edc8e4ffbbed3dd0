package io.obops.audit;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Appends to and reads the audit log. {@link #record} joins the caller's Spring transaction when
 * there is one (the entry commits or rolls back with the change it describes) and commits on its
 * own otherwise. There is deliberately no update or delete.
 */
public class AuditLog {

  private static final int DETAIL_MAX = 4096;

  private final JdbcClient jdbc;
  private final Clock clock;

  public AuditLog(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  public void record(AuditEntry e) {
    String detail = e.detail();
    if (detail != null && detail.length() > DETAIL_MAX) {
      detail = detail.substring(0, DETAIL_MAX - 1) + "…";
    }
    jdbc.sql(
            "insert into audit_event (occurred_at, principal, surface, action, outcome, cluster_id,"
                + " request_id, task_id, detail) values (?, ?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            OffsetDateTime.now(clock),
            e.principal(),
            e.surface(),
            e.action(),
            e.outcome(),
            e.clusterId(),
            e.requestId(),
            e.taskId(),
            detail)
        .update();
  }

  /** One page, newest first. {@code page} is 1-based. */
  public Page find(AuditQuery q, int page, int size) {
    Where w = where(q);
    long total =
        jdbc.sql("select count(*) from audit_event" + w.sql)
            .params(w.args)
            .query(Long.class)
            .single();
    var args = new ArrayList<Object>(w.args);
    args.add(size);
    args.add((long) (page - 1) * size);
    List<AuditEvent> contents =
        jdbc.sql(
                "select * from audit_event"
                    + w.sql
                    + " order by occurred_at desc, id desc limit ? offset ?")
            .params(args)
            .query(AuditLog::map)
            .list();
    return new Page(contents, total);
  }

  /** Every matching event, oldest first, read in chunks so a large log streams. */
  public void export(AuditQuery q, Consumer<AuditEvent> sink) {
    Where w = where(q);
    long after = 0;
    while (true) {
      var args = new ArrayList<Object>(w.args);
      args.add(after);
      List<AuditEvent> chunk =
          jdbc.sql(
                  "select * from audit_event"
                      + (w.sql.isEmpty() ? " where" : w.sql + " and")
                      + " id > ? order by id limit 500")
              .params(args)
              .query(AuditLog::map)
              .list();
      chunk.forEach(sink);
      if (chunk.size() < 500) {
        return;
      }
      after = chunk.get(chunk.size() - 1).id();
    }
  }

  /** A page of events and how many match in all. */
  public record Page(List<AuditEvent> contents, long totalElements) {}

  private record Where(String sql, List<Object> args) {}

  private static Where where(AuditQuery q) {
    var clauses = new ArrayList<String>();
    var args = new ArrayList<Object>();
    if (q.clusterId() != null) {
      clauses.add("cluster_id = ?");
      args.add(q.clusterId());
    }
    if (q.principal() != null) {
      clauses.add("principal = ?");
      args.add(q.principal());
    }
    if (q.from() != null) {
      clauses.add("occurred_at >= ?");
      args.add(q.from());
    }
    if (q.to() != null) {
      clauses.add("occurred_at < ?");
      args.add(q.to());
    }
    if (q.visibleClusters() != null) {
      var visible = new StringBuilder("(");
      for (Long id : q.visibleClusters()) {
        visible.append("cluster_id = ? or ");
        args.add(id);
      }
      visible.append("(cluster_id is null and principal = ?))");
      args.add(q.viewer() == null ? "" : q.viewer());
      clauses.add(visible.toString());
    }
    if (q.requestId() != null) {
      clauses.add("request_id = ?");
      args.add(q.requestId());
    }
    return new Where(clauses.isEmpty() ? "" : " where " + String.join(" and ", clauses), args);
  }

  private static AuditEvent map(ResultSet rs, int row) throws SQLException {
    return new AuditEvent(
        rs.getLong("id"),
        rs.getObject("occurred_at", OffsetDateTime.class),
        rs.getString("principal"),
        rs.getString("surface"),
        rs.getString("action"),
        rs.getString("outcome"),
        rs.getObject("cluster_id", Long.class),
        rs.getObject("request_id", Long.class),
        rs.getObject("task_id", Long.class),
        rs.getString("detail"));
  }
}
