package io.obops.approval;

import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.audit.AuditEntry;
import io.obops.audit.AuditLog;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one routine that closes a request, whoever closes it and why: moves it out of PENDING (a
 * conditional UPDATE), opens its task's gate (APPROVED) or ends the task without running it and
 * releases the cluster (every other state), and audits, all in the caller's transaction, which
 * holds the request's row lock.
 */
final class RequestCloser {

  private static final Logger log = LoggerFactory.getLogger(RequestCloser.class);

  private final ApprovalRepository repo;
  private final ApprovableActions actions;
  private final TwoPersonRule rule;
  private final AuditLog audit;
  private final Clock clock;

  RequestCloser(
      ApprovalRepository repo,
      ApprovableActions actions,
      TwoPersonRule rule,
      AuditLog audit,
      Clock clock) {
    this.repo = repo;
    this.actions = actions;
    this.rule = rule;
    this.audit = audit;
    this.clock = clock;
  }

  /**
   * Closes the PENDING request {@code r} as {@code to}. {@code by} is who closed it; null for obops
   * itself (expiry, invalidation). {@code detail} says why in words ("rejected by api:bob: not
   * now").
   */
  void close(
      ApprovalRepository.Row r, ApprovalState to, CloseReason reason, String detail, Actor by) {
    if (!repo.close(r.id(), to, reason, detail, OffsetDateTime.now(clock))) {
      throw new IllegalStateException("request " + r.id() + " changed while locked");
    }
    AuditEntry closed =
        (by == null
                ? AuditEntry.bySystem(
                    to == ApprovalState.EXPIRED ? "approval.expire" : "approval.invalidate",
                    to.name())
                : AuditEntry.by(by, actorAction(to), to.name()))
            .cluster(r.clusterId())
            .request(r.id())
            .task(r.taskId())
            .detail(detail);
    audit.record(closed);
    if (r.taskId() == null) {
      return; // made before requests had tasks (closed by the upgrade)
    }
    ApprovableAction action = actions.of(r.action());
    if (to == ApprovalState.APPROVED) {
      action.approved(r.taskId());
      audit.record(
          (by == null
                  ? AuditEntry.bySystem("task.start", "STARTED")
                  : AuditEntry.by(by, "task.start", "STARTED"))
              .cluster(r.clusterId())
              .request(r.id())
              .task(r.taskId())
              .detail("task " + r.taskId() + " of " + r.requester() + " may run: " + detail));
      log.info("request {}: {}; task {} runs", r.id(), detail, r.taskId());
    } else {
      action.refused(
          r.taskId(),
          r.clusterId(),
          "request #" + r.id() + " " + detail + "; this task never runs");
      log.info("request {}: {}; task {} ends without running", r.id(), detail, r.taskId());
    }
  }

  private static String actorAction(ApprovalState to) {
    return switch (to) {
      case APPROVED -> "approval.approved";
      case REJECTED -> "approval.reject";
      default -> "approval.cancel";
    };
  }

  /** Closes the request if it expired; true if it did. The caller holds the row lock. */
  boolean closeIfExpired(ApprovalRepository.Row r) {
    if (OffsetDateTime.now(clock).isBefore(r.expiresAt())) {
      return false;
    }
    close(
        r,
        ApprovalState.EXPIRED,
        CloseReason.EXPIRED,
        "expired at " + r.expiresAt() + " before enough people approved it",
        null);
    return true;
  }

  /**
   * Closes a request that can no longer be approved: expired, its cluster described differently
   * than the approvers were shown (even by a change that waits for the operation to end), or its
   * requester no longer allowed to request the action. True if it closed it. The caller holds the
   * row lock.
   */
  boolean closeIfStale(ApprovalRepository.Row r, ClusterRef cluster) {
    if (closeIfExpired(r)) {
      return true;
    }
    if (r.taskId() == null) {
      return false;
    }
    ApprovableAction action = actions.of(r.action());
    List<String> changes = action.changesSinceApproval(r.taskId(), r.clusterId());
    if (!changes.isEmpty()) {
      close(
          r,
          ApprovalState.CANCELLED,
          CloseReason.INVENTORY_CHANGED,
          "was cancelled: the inventory of cluster "
              + r.clusterName()
              + " changed after the request ("
              + String.join("; ", changes)
              + ")",
          null);
      return true;
    }
    if (!rule.requesterMayStill(r, action.permission(), cluster)) {
      close(
          r,
          ApprovalState.CANCELLED,
          CloseReason.REQUESTER_NOT_PERMITTED,
          "was cancelled: its requester "
              + r.requester()
              + " no longer holds "
              + action.permission().wire()
              + " on cluster "
              + r.clusterName(),
          null);
      return true;
    }
    return false;
  }
}
