package io.obops.approval;

import io.obops.access.Surface;
import java.time.OffsetDateTime;
import java.util.List;

/**
 * A request as stored, with its decisions. {@code approvals} counts distinct people who approved;
 * {@code taskId} is set once approved. {@code chatRefs} is opaque JSON the chat layer keeps here.
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
    StopParameters parameters,
    OffsetDateTime createTime,
    OffsetDateTime expireTime,
    OffsetDateTime finishTime,
    Long taskId,
    String chatRefs) {

  /** The cluster, in OCP's shape. */
  public record Cluster(long id, String name) {}

  /** One person's decision. */
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
}
