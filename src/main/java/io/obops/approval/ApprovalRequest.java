package io.obops.approval;

import io.obops.access.Surface;
import io.obops.cluster.ClusterSnapshot;
import io.obops.cluster.PreflightPlan;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A request as stored, with its decisions. {@code approvals} counts the distinct people, as the
 * access file maps principals to people now, who approved (never the requester); {@code snapshot}
 * is the cluster as approvers are shown it and as its task acts on it; {@code taskId} is the task
 * created (gated) with the request. {@code chatRefs} is opaque JSON the chat layer keeps here.
 * {@code plan} is the task's latest pre-flight plan (null when the action made none); an approval
 * is given for one plan, and counts only while the plan found the same.
 */
public record ApprovalRequest(
    long id,
    String action,
    Cluster cluster,
    String requester,
    Surface requesterSurface,
    String reason,
    ApprovalState state,
    CloseReason closeReason,
    String closeDetail,
    int approvalsRequired,
    int approvals,
    List<String> approverPermissions,
    List<Decision> decisions,
    String paramsHash,
    ClusterSnapshot snapshot,
    OffsetDateTime createTime,
    OffsetDateTime expireTime,
    OffsetDateTime finishTime,
    Long taskId,
    String chatRefs,
    PreflightPlan plan) {

  /** The cluster, in OCP's shape. */
  public record Cluster(long id, String name) {}

  /**
   * One principal's decision; {@code planHash} is the hash of the pre-flight plan an approval was
   * given for (null without a plan).
   */
  public record Decision(
      String principal,
      Surface surface,
      Verdict verdict,
      String comment,
      OffsetDateTime time,
      String planHash) {}

  public enum Verdict {
    APPROVE,
    REJECT
  }

  public ApprovalRequest {
    approverPermissions = List.copyOf(approverPermissions);
    decisions = List.copyOf(decisions);
  }

  /** The action's verb ({@code stop}). */
  public String verb() {
    return ApprovableAction.verb(action);
  }
}
