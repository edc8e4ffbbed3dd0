package io.obops.approval;

import io.obops.access.Surface;
import io.obops.cluster.ClusterSnapshot;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A request as stored, with its decisions. {@code approvals} counts the distinct people, as the
 * access file maps principals to people now, who approved (never the requester); {@code snapshot}
 * is the cluster as approvers are shown it and as its task acts on it; {@code taskId} is the task
 * created (gated) with the request. {@code chatRefs} is opaque JSON the chat layer keeps here.
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
    String chatRefs) {

  /** The cluster, in OCP's shape. */
  public record Cluster(long id, String name) {}

  /** One principal's decision. */
  public record Decision(
      String principal, Surface surface, Verdict verdict, String comment, OffsetDateTime time) {}

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
