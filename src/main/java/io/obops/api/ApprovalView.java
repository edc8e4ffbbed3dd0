package io.obops.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.obops.approval.ApprovalRequest;
import io.obops.approval.StopParameters;
import java.time.ZoneId;
import java.util.List;

/**
 * An approval request on the API, OCP-style (keys alphabetical, OCP timestamps). {@code taskId} is
 * set once approved; {@code GET /api/v2/tasks/instances/{taskId}} serves the task.
 */
@JsonPropertyOrder(alphabetic = true)
public record ApprovalView(
    String action,
    int approvals,
    int approvalsRequired,
    List<String> approverPermissions,
    String closeDetail,
    String closeReason,
    Cluster cluster,
    String createTime,
    List<DecisionView> decisions,
    String expireTime,
    String finishTime,
    long id,
    StopParameters parameters,
    String parametersHash,
    String reason,
    String requester,
    String requesterSurface,
    String state,
    Long taskId) {

  @JsonPropertyOrder(alphabetic = true)
  public record Cluster(long id, String name) {}

  @JsonPropertyOrder(alphabetic = true)
  public record DecisionView(
      String comment, String decision, String principal, String surface, String time) {}

  static ApprovalView of(ApprovalRequest r, ZoneId zone) {
    return new ApprovalView(
        r.action(),
        r.approvals(),
        r.approvalsRequired(),
        r.approverPermissions(),
        r.closeDetail(),
        r.closeReason() == null ? null : r.closeReason().name(),
        new Cluster(r.cluster().id(), r.cluster().name()),
        OcpTime.format(r.createTime(), zone),
        r.decisions().stream()
            .map(
                d ->
                    new DecisionView(
                        d.comment(),
                        d.verdict().name(),
                        d.principal(),
                        d.surface().wire(),
                        OcpTime.format(d.time(), zone)))
            .toList(),
        OcpTime.format(r.expireTime(), zone),
        OcpTime.format(r.finishTime(), zone),
        r.id(),
        r.parameters(),
        r.paramsHash(),
        r.reason(),
        r.requester(),
        r.requesterSurface().wire(),
        r.state().name(),
        r.taskId());
  }
}
