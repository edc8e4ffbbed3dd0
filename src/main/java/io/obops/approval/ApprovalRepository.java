package io.obops.approval;

import io.obops.access.Surface;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.ObjectMapper;

/** SQL for requests and decisions. Callers hold the transaction; nothing here opens one. */
final class ApprovalRepository {

  /** A row of approval_request, before its decisions are attached. */
  record Row(
      long id,
      String action,
      long clusterId,
      String clusterName,
      String requester,
      String requesterPerson,
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
      Surface surface,
      String reason,
      int approvalsRequired,
      List<String> approverPermissions,
      String inventoryHash,
      String paramsHash,
      String params,
      OffsetDateTime createdAt,
      OffsetDateTime expiresAt) {}

  private final JdbcClient jdbc;
  private final Clock clock;
  private final ObjectMapper json;

  ApprovalRepository(JdbcClient jdbc, Clock clock, ObjectMapper json) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.json = json;
  }

  long insert(NewRequest r) {
    var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
    jdbc.sql(
            "insert into approval_request (action, cluster_id, cluster_name, requester,"
                + " requester_person, requester_surface, reason, approvals_required,"
                + " approver_permissions, inventory_hash, params_hash, params, state, created_at,"
                + " expires_at, pending_cluster_id) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                + " 'PENDING', ?, ?, ?)")
        .params(
            r.action(),
            r.clusterId(),
            r.clusterName(),
            r.requester(),
            r.requesterPerson(),
            r.surface().wire(),
            r.reason(),
            r.approvalsRequired(),
            String.join(",", r.approverPermissions()),
            r.inventoryHash(),
            r.paramsHash(),
            r.params(),
            r.createdAt(),
            r.expiresAt(),
            r.clusterId())
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

  Optional<Row> pendingFor(long clusterId) {
    return jdbc.sql("select * from approval_request where pending_cluster_id = ?")
        .param(clusterId)
        .query(this::row)
        .optional();
  }

  List<Row> list(ApprovalState state, int limit) {
    return state == null
        ? jdbc.sql("select * from approval_request order by id desc limit ?")
            .param(limit)
            .query(this::row)
            .list()
        : jdbc.sql("select * from approval_request where state = ? order by id desc limit ?")
            .params(state.name(), limit)
            .query(this::row)
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

  void setTask(long id, long taskId) {
    jdbc.sql("update approval_request set task_id = ? where id = ?").params(taskId, id).update();
  }

  void setChatRefs(long id, String chatRefs) {
    jdbc.sql("update approval_request set chat_refs = ? where id = ?")
        .params(chatRefs, id)
        .update();
  }

  Optional<ApprovalRequest.Decision> decisionOf(long requestId, String person) {
    return jdbc.sql("select * from approval_decision where request_id = ? and person = ?")
        .params(requestId, person)
        .query(this::decision)
        .optional();
  }

  void insertDecision(
      long requestId,
      String person,
      String principal,
      Surface surface,
      ApprovalRequest.Verdict verdict,
      String comment,
      OffsetDateTime now) {
    jdbc.sql(
            "insert into approval_decision (request_id, person, principal, surface, decision,"
                + " comment, decided_at) values (?, ?, ?, ?, ?, ?, ?)")
        .params(requestId, person, principal, surface.wire(), verdict.name(), comment, now)
        .update();
  }

  List<ApprovalRequest.Decision> decisions(long requestId) {
    return jdbc.sql("select * from approval_decision where request_id = ? order by id")
        .param(requestId)
        .query(this::decision)
        .list();
  }

  ApprovalRequest toRequest(Row r) {
    List<ApprovalRequest.Decision> decisions = decisions(r.id());
    int approvals =
        (int)
            decisions.stream().filter(d -> d.verdict() == ApprovalRequest.Verdict.APPROVE).count();
    return new ApprovalRequest(
        r.id(),
        r.action(),
        new ApprovalRequest.Cluster(r.clusterId(), r.clusterName()),
        r.requester(),
        r.requesterSurface(),
        r.reason(),
        r.state(),
        r.closeReason(),
        r.closeDetail(),
        r.approvalsRequired(),
        approvals,
        r.approverPermissions(),
        decisions,
        r.paramsHash(),
        json.readValue(r.params(), StopParameters.class),
        r.createdAt(),
        r.expiresAt(),
        r.finishedAt(),
        r.taskId(),
        r.chatRefs());
  }

  private Row row(ResultSet rs, int n) throws SQLException {
    String closeReason = rs.getString("close_reason");
    return new Row(
        rs.getLong("id"),
        rs.getString("action"),
        rs.getLong("cluster_id"),
        rs.getString("cluster_name"),
        rs.getString("requester"),
        rs.getString("requester_person"),
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

  private ApprovalRequest.Decision decision(ResultSet rs, int n) throws SQLException {
    return new ApprovalRequest.Decision(
        rs.getString("principal"),
        Surface.fromWire(rs.getString("surface")),
        ApprovalRequest.Verdict.valueOf(rs.getString("decision")),
        rs.getString("comment"),
        time(rs, "decided_at"));
  }

  private OffsetDateTime time(ResultSet rs, String column) throws SQLException {
    OffsetDateTime t = rs.getObject(column, OffsetDateTime.class);
    return t == null ? null : t.atZoneSameInstant(clock.getZone()).toOffsetDateTime();
  }

  static String truncate(String s, int max) {
    return s == null || s.length() <= max ? s : s.substring(0, max - 1) + "…";
  }
}
