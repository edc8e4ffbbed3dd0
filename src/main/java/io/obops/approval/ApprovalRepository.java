package io.obops.approval;

import io.obops.access.Surface;
import io.obops.cluster.ClusterSnapshot;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.support.GeneratedKeyHolder;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** SQL for requests and decisions. Callers hold the transaction; nothing here opens one. */
final class ApprovalRepository {

  /** A row of approval_request, before its decisions are attached. */
  record Row(
      long id,
      String action,
      long clusterId,
      String clusterName,
      String requester,
      Set<String> requesterRoles,
      Surface requesterSurface,
      String reason,
      int approvalsRequired,
      List<String> approverPermissions,
      String paramsHash,
      String params,
      ApprovalState state,
      CloseReason closeReason,
      String closeDetail,
      OffsetDateTime createdAt,
      OffsetDateTime expiresAt,
      OffsetDateTime finishedAt,
      Long taskId,
      String chatRefs) {}

  record NewRequest(
      String action,
      long clusterId,
      String clusterName,
      String requester,
      String requesterPerson,
      Set<String> requesterRoles,
      Surface surface,
      String reason,
      int approvalsRequired,
      List<String> approverPermissions,
      ClusterSnapshot snapshot,
      long taskId,
      OffsetDateTime createdAt,
      OffsetDateTime expiresAt) {}

  /** One decision as stored: the person it was counted for then, and who made it. */
  record DecisionRow(String person, ApprovalRequest.Decision decision) {}

  private static final JsonMapper JSON =
      JsonMapper.builder().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

  private final JdbcClient jdbc;
  private final Clock clock;

  ApprovalRepository(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  long insert(NewRequest r) {
    var keys = new GeneratedKeyHolder();
    jdbc.sql(
            "insert into approval_request (action, cluster_id, cluster_name, requester,"
                + " requester_person, requester_roles, requester_surface, reason,"
                + " approvals_required, approver_permissions, inventory_hash, params_hash, params,"
                + " state, created_at, expires_at, pending_cluster_id, task_id) values (?, ?, ?,"
                + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'PENDING', ?, ?, ?, ?)")
        .params(
            r.action(),
            r.clusterId(),
            r.clusterName(),
            r.requester(),
            r.requesterPerson(),
            String.join(",", r.requesterRoles().stream().sorted().toList()),
            r.surface().wire(),
            r.reason(),
            r.approvalsRequired(),
            String.join(",", r.approverPermissions()),
            r.snapshot().inventoryHash(),
            r.snapshot().hash(r.action()),
            JSON.writeValueAsString(r.snapshot()),
            r.createdAt(),
            r.expiresAt(),
            r.clusterId(),
            r.taskId())
        .update(keys, "id");
    return keys.getKey().longValue();
  }

  Optional<Row> find(long id) {
    return jdbc.sql("select * from approval_request where id = ?")
        .param(id)
        .query(this::row)
        .optional();
  }

  /** Locks the row until the transaction ends: decisions on one request are serialized. */
  Optional<Row> lock(long id) {
    return jdbc.sql("select * from approval_request where id = ? for update")
        .param(id)
        .query(this::row)
        .optional();
  }

  /** The request that created this task, if any. */
  Optional<Row> byTask(long taskId) {
    return jdbc.sql("select * from approval_request where task_id = ?")
        .param(taskId)
        .query(this::row)
        .optional();
  }

  /** Requests on these clusters, newest first, one page; {@code state} null for all. */
  List<Row> list(Collection<Long> clusters, ApprovalState state, int limit, long offset) {
    if (clusters.isEmpty()) {
      return List.of();
    }
    var args = new ArrayList<Object>(clusters);
    String where = where(clusters, state, args);
    args.add(limit);
    args.add(offset);
    return jdbc.sql("select * from approval_request" + where + " order by id desc limit ? offset ?")
        .params(args)
        .query(this::row)
        .list();
  }

  long count(Collection<Long> clusters, ApprovalState state) {
    if (clusters.isEmpty()) {
      return 0;
    }
    var args = new ArrayList<Object>(clusters);
    return jdbc.sql("select count(*) from approval_request" + where(clusters, state, args))
        .params(args)
        .query(Long.class)
        .single();
  }

  private static String where(Collection<Long> clusters, ApprovalState state, List<Object> args) {
    String where =
        " where cluster_id in ("
            + String.join(", ", Collections.nCopies(clusters.size(), "?"))
            + ")";
    if (state != null) {
      args.add(state.name());
      where += " and state = ?";
    }
    return where;
  }

  /** Clusters that have requests, with the name they had (for clusters gone from the inventory). */
  List<ApprovalRequest.Cluster> clustersWithRequests() {
    return jdbc.sql(
            "select cluster_id, max(cluster_name) from approval_request group by cluster_id")
        .query((rs, n) -> new ApprovalRequest.Cluster(rs.getLong(1), rs.getString(2)))
        .list();
  }

  List<Long> dueForExpiry(OffsetDateTime now) {
    return jdbc.sql(
            "select id from approval_request where state = 'PENDING' and expires_at <= ? order by"
                + " id")
        .param(now)
        .query(Long.class)
        .list();
  }

  /**
   * Moves a PENDING request to a final state; false if it was no longer PENDING (someone else
   * decided first). The only way a state ever changes.
   */
  boolean close(long id, ApprovalState to, CloseReason reason, String detail, OffsetDateTime now) {
    return jdbc.sql(
                "update approval_request set state = ?, close_reason = ?, close_detail = ?,"
                    + " finished_at = ?, pending_cluster_id = null where id = ? and state ="
                    + " 'PENDING'")
            .params(to.name(), reason.name(), truncate(detail, 2048), now, id)
            .update()
        == 1;
  }

  void setChatRefs(long id, String chatRefs) {
    jdbc.sql("update approval_request set chat_refs = ? where id = ?")
        .params(chatRefs, id)
        .update();
  }

  void insertDecision(
      long requestId,
      String person,
      String principal,
      Surface surface,
      ApprovalRequest.Verdict verdict,
      String comment,
      OffsetDateTime now,
      String planHash) {
    jdbc.sql(
            "insert into approval_decision (request_id, person, principal, surface, decision,"
                + " comment, decided_at, plan_hash) values (?, ?, ?, ?, ?, ?, ?, ?)")
        .params(
            requestId, person, principal, surface.wire(), verdict.name(), comment, now, planHash)
        .update();
  }

  /**
   * Moves a person's earlier approval of another pre-flight plan to {@code planHash} (one decision
   * per person and request); false when they have none to move.
   */
  boolean moveApproval(
      long requestId,
      String person,
      String principal,
      Surface surface,
      OffsetDateTime now,
      String planHash) {
    return jdbc.sql(
                "update approval_decision set principal = ?, surface = ?, decided_at = ?,"
                    + " plan_hash = ? where request_id = ? and person = ? and decision = 'APPROVE'"
                    + " and plan_hash is not null and plan_hash <> ?")
            .params(principal, surface.wire(), now, planHash, requestId, person, planHash)
            .update()
        == 1;
  }

  List<DecisionRow> decisions(long requestId) {
    return jdbc.sql("select * from approval_decision where request_id = ? order by id")
        .param(requestId)
        .query((rs, n) -> new DecisionRow(rs.getString("person"), decision(rs)))
        .list();
  }

  static ClusterSnapshot snapshot(Row r) {
    return JSON.readValue(r.params(), ClusterSnapshot.class);
  }

  private Row row(ResultSet rs, int n) throws SQLException {
    String closeReason = rs.getString("close_reason");
    String roles = rs.getString("requester_roles");
    return new Row(
        rs.getLong("id"),
        rs.getString("action"),
        rs.getLong("cluster_id"),
        rs.getString("cluster_name"),
        rs.getString("requester"),
        roles == null || roles.isEmpty() ? Set.of() : Set.of(roles.split(",")),
        Surface.fromWire(rs.getString("requester_surface")),
        rs.getString("reason"),
        rs.getInt("approvals_required"),
        Arrays.asList(rs.getString("approver_permissions").split(",")),
        rs.getString("params_hash"),
        rs.getString("params"),
        ApprovalState.valueOf(rs.getString("state")),
        closeReason == null ? null : CloseReason.valueOf(closeReason),
        rs.getString("close_detail"),
        time(rs, "created_at"),
        time(rs, "expires_at"),
        time(rs, "finished_at"),
        rs.getObject("task_id", Long.class),
        rs.getString("chat_refs"));
  }

  private ApprovalRequest.Decision decision(ResultSet rs) throws SQLException {
    return new ApprovalRequest.Decision(
        rs.getString("principal"),
        Surface.fromWire(rs.getString("surface")),
        ApprovalRequest.Verdict.valueOf(rs.getString("decision")),
        rs.getString("comment"),
        time(rs, "decided_at"),
        rs.getString("plan_hash"));
  }

  private OffsetDateTime time(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.atZoneSameInstant(clock.getZone()).toOffsetDateTime();
  }

  static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
