package io.obops.approval;

import io.obops.access.AccessControl;
import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.Permission;
import io.obops.audit.AuditEntry;
import io.obops.audit.AuditLog;
import io.obops.cluster.PreflightPlan;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import io.obops.core.RequestId;
import io.obops.core.TaskId;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Decisions on a request: approve, reject (final), cancel (the requester). Each runs in one
 * transaction under the request's row lock, so decisions on one request run one after another and a
 * final state never changes; the last approval opens the task's gate in the same transaction.
 *
 * <p>Before deciding, a request that can no longer be approved (expired, its cluster described
 * differently than approvers were shown, its requester no longer allowed) is closed in a
 * transaction of its own, which commits; the decision then finds it closed and is refused. So a
 * refusal never has to carry a change out of a rolled-back transaction.
 *
 * <p>The caller (the operations layer) has resolved the request's cluster and checked that the
 * actor may view it; the approver's permissions and the two-person rule are checked here.
 */
public final class ApprovalDecisions {

  private final ApprovalRepository repo;
  private final RequestCloser closer;
  private final TwoPersonRule rule;
  private final ApprovalRequests requests;
  private final AccessControl access;
  private final AuditLog audit;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Duration planMaxAge;

  ApprovalDecisions(
      ApprovalRepository repo,
      RequestCloser closer,
      TwoPersonRule rule,
      ApprovalRequests requests,
      AccessControl access,
      AuditLog audit,
      TransactionTemplate tx,
      Clock clock,
      Duration planMaxAge) {
    this.repo = repo;
    this.closer = closer;
    this.rule = rule;
    this.requests = requests;
    this.access = access;
    this.audit = audit;
    this.tx = tx;
    this.clock = clock;
    this.planMaxAge = planMaxAge;
  }

  /**
   * Counts the actor's approval (one per person, never the requester's). The last one required
   * closes the request APPROVED and lets its task run.
   *
   * <p>With a pre-flight plan, the approval is given for that plan: refused when it was inspected
   * longer ago than the configured age ({@link Refusal.PlanOutdated}) or when {@code shownPlan}
   * (the hash, or its first 12 digits, of the plan the approver was shown; null when the surface
   * shows none) is not the plan in force ({@link Refusal.PlanChanged}).
   */
  public ApprovalRequest approve(
      Actor actor, long requestId, ClusterRef cluster, String shownPlan) {
    return decide(
        requestId,
        cluster,
        r -> {
          PreflightPlan plan = requests.plan(r).orElse(null);
          String planHash = plan == null ? null : plan.hash();
          mayDecide(actor, r, cluster, "approve", "approval.approve", planHash);
          OffsetDateTime now = OffsetDateTime.now(clock);
          if (plan != null) {
            if (Duration.between(plan.inspectedAt(), now).compareTo(planMaxAge) > 0) {
              throw new Refused(
                  new Refusal.PlanOutdated(new RequestId(r.id()), plan.inspectedAt(), planMaxAge));
            }
            if (shownPlan != null && !plan.isNamedBy(shownPlan)) {
              throw new Refused(
                  new Refusal.PlanChanged(
                      new RequestId(r.id()), shownPlan, planHash, plan.version()));
            }
          }
          String person = rule.person(actor.principal());
          if (planHash == null
              || !repo.moveApproval(
                  r.id(), person, actor.principal(), actor.surface(), now, planHash)) {
            repo.insertDecision(
                r.id(),
                person,
                actor.principal(),
                actor.surface(),
                ApprovalRequest.Verdict.APPROVE,
                null,
                now,
                planHash);
          }
          List<ApprovalRepository.DecisionRow> decisions = repo.decisions(r.id());
          int approvals = rule.approvals(r, decisions, planHash);
          audit.record(
              AuditEntry.by(actor, "approval.approve", "COUNTED")
                  .cluster(r.clusterId())
                  .request(r.id())
                  .task(r.taskId())
                  .detail(
                      "approval "
                          + approvals
                          + " of "
                          + r.approvalsRequired()
                          + (plan == null
                              ? ""
                              : " for pre-flight plan v"
                                  + plan.version()
                                  + " "
                                  + plan.shortHash()
                                  + " ("
                                  + plan.summary()
                                  + ")")));
          if (approvals >= r.approvalsRequired()) {
            String approvers =
                decisions.stream()
                    .map(d -> d.decision().principal())
                    .collect(Collectors.joining(", "));
            closer.close(
                r, ApprovalState.APPROVED, CloseReason.APPROVED, "approved by " + approvers, actor);
          }
        });
  }

  /** Rejects the request: one permitted person's rejection is final. */
  public ApprovalRequest reject(Actor actor, long requestId, ClusterRef cluster, String comment) {
    return decide(
        requestId,
        cluster,
        r -> {
          mayDecide(actor, r, cluster, "reject", "approval.reject", null);
          repo.insertDecision(
              r.id(),
              rule.person(actor.principal()),
              actor.principal(),
              actor.surface(),
              ApprovalRequest.Verdict.REJECT,
              comment,
              OffsetDateTime.now(clock),
              null);
          closer.close(
              r,
              ApprovalState.REJECTED,
              CloseReason.REJECTED,
              "rejected by " + actor.principal() + (comment == null ? "" : ": " + comment),
              actor);
        });
  }

  /** The requester (as a person, now) withdraws their PENDING request. */
  public ApprovalRequest cancel(Actor actor, long requestId, ClusterRef cluster) {
    return decide(
        requestId,
        cluster,
        r -> {
          if (!rule.isRequester(actor, r)) {
            throw new Refused(new Refusal.NotRequester(new RequestId(r.id()), r.requester()));
          }
          closer.close(
              r,
              ApprovalState.CANCELLED,
              CloseReason.CANCELLED_BY_REQUESTER,
              "cancelled by " + actor.principal(),
              actor);
        });
  }

  /** Settles a stale request first, then runs the decision on the locked, PENDING request. */
  private ApprovalRequest decide(
      long requestId, ClusterRef cluster, java.util.function.Consumer<ApprovalRepository.Row> d) {
    tx.executeWithoutResult(
        s ->
            repo.lock(requestId)
                .filter(r -> r.state() == ApprovalState.PENDING)
                .ifPresent(r -> closer.closeIfStale(r, cluster)));
    return tx.execute(
        s -> {
          ApprovalRepository.Row r = lockPending(requestId);
          d.accept(r);
          return requests.load(r.id());
        });
  }

  /** The locked request, refused when it is no longer PENDING (or expired a moment ago). */
  private ApprovalRepository.Row lockPending(long requestId) {
    ApprovalRepository.Row r =
        repo.lock(requestId)
            .orElseThrow(() -> new Refused(new Refusal.RequestNotFound(new RequestId(requestId))));
    if (r.state() != ApprovalState.PENDING) {
      throw new Refused(closed(r));
    }
    if (!OffsetDateTime.now(clock).isBefore(r.expiresAt())) {
      // Expired between the settling transaction and this one; the sweep closes it.
      throw new Refused(
          new Refusal.RequestClosed(
              new RequestId(r.id()),
              ApprovalState.EXPIRED.name(),
              CloseReason.EXPIRED.name(),
              "expired at " + r.expiresAt(),
              r.expiresAt(),
              r.taskId() == null ? null : new TaskId(r.taskId()),
              r.action()));
    }
    return r;
  }

  static Refusal.RequestClosed closed(ApprovalRepository.Row r) {
    return new Refusal.RequestClosed(
        new RequestId(r.id()),
        r.state().name(),
        r.closeReason() == null ? null : r.closeReason().name(),
        r.closeDetail(),
        r.state() == ApprovalState.EXPIRED ? r.expiresAt() : r.finishedAt(),
        r.taskId() == null ? null : new TaskId(r.taskId()),
        r.action());
  }

  /**
   * The two-person rule and the approver's permissions, with people resolved now: not the
   * requester, every permission the request asks of approvers, no earlier decision as any principal
   * of the same person.
   */
  private void mayDecide(
      Actor actor,
      ApprovalRepository.Row r,
      ClusterRef cluster,
      String verb,
      String operation,
      String planHash) {
    if (rule.isRequester(actor, r)) {
      throw new Refused(new Refusal.OwnRequest(new RequestId(r.id()), verb));
    }
    Set<Permission> needed = TwoPersonRule.approverPermissions(r);
    Set<Permission> held = access.permissions(actor, cluster);
    Set<Permission> missing = EnumSet.noneOf(Permission.class);
    needed.stream().filter(p -> !held.contains(p)).forEach(missing::add);
    if (!missing.isEmpty()) {
      throw new Refused(
          new Refusal.NotPermitted(
              actor.principal(), missing, cluster, operation, access.config().source()));
    }
    rule.earlierDecision(actor, repo.decisions(r.id()), planHash)
        .ifPresent(
            d -> {
              throw new Refused(
                  new Refusal.AlreadyDecided(
                      new RequestId(r.id()), d.verdict().name(), d.time(), d.principal()));
            });
  }
}
