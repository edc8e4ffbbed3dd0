package io.obops.approval;

import io.obops.access.AccessControl;
import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.Permission;
import io.obops.access.Policy;
import io.obops.audit.AuditEntry;
import io.obops.audit.AuditLog;
import io.obops.cluster.PreflightPlan;
import io.obops.core.PageRequest;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import io.obops.core.RequestId;
import io.obops.core.TaskId;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Making approval requests and reading them. A request is made together with its action's task,
 * created gated, holding the cluster, in one transaction: the task is what the request's id points
 * at, and the held cluster is what keeps a second request out ({@link Refusal.AlreadyPending}).
 *
 * <p>The caller (the operations layer) has resolved the cluster and checked the requester's
 * permission to request the action; the policy (approvals, TTL, reason) is applied here.
 */
public final class ApprovalRequests {

  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(ApprovalRequests.class);

  private final ApprovalRepository repo;
  private final ApprovableActions actions;
  private final RequestCloser closer;
  private final TwoPersonRule rule;
  private final AccessControl access;
  private final AuditLog audit;
  private final TransactionTemplate tx;
  private final Clock clock;

  ApprovalRequests(
      ApprovalRepository repo,
      ApprovableActions actions,
      RequestCloser closer,
      TwoPersonRule rule,
      AccessControl access,
      AuditLog audit,
      TransactionTemplate tx,
      Clock clock) {
    this.repo = repo;
    this.actions = actions;
    this.closer = closer;
    this.rule = rule;
    this.access = access;
    this.audit = audit;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Asks for {@code action} on the cluster: creates its task (gated) and the PENDING request. A
   * reason is checked text (the caller ran it through {@link io.obops.core.Texts}). Refused when
   * the policy wants a reason and there is none, when another request is pending for the cluster
   * (the refusal points at it; an expired one is closed first and this request goes ahead), when
   * another operation holds the cluster, or when its status does not allow the action.
   */
  public ApprovalRequest request(
      Actor actor, ClusterRef cluster, ApprovableAction action, String reason) {
    Policy policy = access.policy(action.name(), cluster);
    if (reason == null && policy.reasonRequired()) {
      throw new Refused(new Refusal.ReasonRequired(cluster, action.name()));
    }
    try {
      return withPlan(actor, create(actor, cluster, action, reason, policy));
    } catch (Refused e) {
      if (e.refusal() instanceof Refusal.ClusterBusy busy && closeIfExpired(busy.holder())) {
        // the holder had expired
        return withPlan(actor, create(actor, cluster, action, reason, policy));
      }
      throw pendingInstead(e);
    } catch (DuplicateKeyException e) {
      // A concurrent request for this cluster committed first (the task reservation normally
      // catches this; the unique pending_cluster_id column is the backstop).
      throw new Refused(new Refusal.ClusterBusy(cluster, null));
    }
  }

  private ApprovalRequest create(
      Actor actor, ClusterRef cluster, ApprovableAction action, String reason, Policy policy) {
    return tx.execute(
        s -> {
          OffsetDateTime now = OffsetDateTime.now(clock);
          ApprovableAction.Prepared prepared =
              action.prepare(cluster.id(), Creators.of(actor.principal()));
          OffsetDateTime expires = now.plus(policy.pendingTtl());
          List<String> approverPermissions =
              policy.approverPermissions().stream().map(Permission::wire).sorted().toList();
          long id =
              repo.insert(
                  new ApprovalRepository.NewRequest(
                      action.name(),
                      cluster.id(),
                      cluster.name(),
                      actor.principal(),
                      rule.person(actor.principal()),
                      actor.rolePrincipals(),
                      actor.surface(),
                      reason,
                      policy.approvalsRequired(),
                      approverPermissions,
                      prepared.snapshot(),
                      prepared.taskId(),
                      now,
                      expires));
          audit.record(
              AuditEntry.by(actor, "approval.request", "PENDING")
                  .cluster(cluster.id())
                  .request(id)
                  .task(prepared.taskId())
                  .detail(
                      action.name()
                          + " of cluster "
                          + cluster.name()
                          + " requested"
                          + (reason == null ? "" : ": " + reason)
                          + "; task "
                          + prepared.taskId()
                          + " waits for "
                          + policy.approvalsRequired()
                          + " approval(s) by "
                          + String.join(" + ", approverPermissions)
                          + " until "
                          + expires));
          return load(id);
        });
  }

  /**
   * Makes the request's first pre-flight plan, after the request committed (the inspection takes
   * seconds and holds no transaction). An inspection that fails as a whole leaves the request
   * without a plan; it never undoes the request.
   */
  private ApprovalRequest withPlan(Actor actor, ApprovalRequest r) {
    inspect(actor, r);
    return load(r.id());
  }

  /**
   * Makes the plan and audits it ({@code approval.plan}: INSPECTED with its summary, or FAILED).
   */
  private void inspect(Actor actor, ApprovalRequest r) {
    if (r.taskId() == null) {
      return;
    }
    AuditEntry entry;
    try {
      Optional<PreflightPlan> plan = actions.of(r.action()).inspect(r.taskId());
      if (plan.isEmpty()) {
        return;
      }
      PreflightPlan p = plan.get();
      entry =
          AuditEntry.by(actor, "approval.plan", "INSPECTED")
              .detail(
                  "pre-flight plan v"
                      + p.version()
                      + " "
                      + p.shortHash()
                      + ": "
                      + p.summary()
                      + " (inspected in "
                      + p.tookMillis()
                      + " ms)");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return;
    } catch (RuntimeException e) {
      log.warn("request {}: no pre-flight plan: {}", r.id(), e.toString());
      entry = AuditEntry.by(actor, "approval.plan", "FAILED").detail(e.toString());
    }
    audit.record(entry.cluster(r.cluster().id()).request(r.id()).task(r.taskId()));
  }

  /**
   * Inspects the servers of a PENDING request again and records the new plan (one version up);
   * refused when the request is closed. The caller (the operations layer) checked visibility.
   */
  public ApprovalRequest refreshPlan(Actor actor, long requestId) {
    ApprovalRepository.Row r =
        repo.find(requestId)
            .orElseThrow(() -> new Refused(new Refusal.RequestNotFound(new RequestId(requestId))));
    if (r.state() != ApprovalState.PENDING) {
      throw new Refused(ApprovalDecisions.closed(r));
    }
    inspect(actor, toRequest(r));
    return load(requestId);
  }

  /** Closes the request behind the holding task if it expired; true if it did. */
  private boolean closeIfExpired(TaskId holder) {
    if (holder == null) {
      return false;
    }
    return Boolean.TRUE.equals(
        tx.execute(
            s ->
                repo.byTask(holder.value())
                    .flatMap(r -> repo.lock(r.id()))
                    .filter(r -> r.state() == ApprovalState.PENDING)
                    .map(closer::closeIfExpired)
                    .orElse(false)));
  }

  /** A busy cluster whose holder is a PENDING request is refused as "already pending". */
  private Refused pendingInstead(Refused e) {
    if (!(e.refusal() instanceof Refusal.ClusterBusy busy) || busy.holder() == null) {
      return e;
    }
    return repo.byTask(busy.holder().value())
        .filter(r -> r.state() == ApprovalState.PENDING)
        .map(
            r ->
                new Refused(
                    new Refusal.AlreadyPending(
                        busy.cluster(),
                        new RequestId(r.id()),
                        r.requester(),
                        r.expiresAt(),
                        r.action(),
                        busy.holder())))
        .orElse(e);
  }

  // ---------------------------------------------------------------- reading

  public Optional<ApprovalRequest> find(long requestId) {
    return repo.find(requestId).map(this::toRequest);
  }

  /** The request that created this task, if the task was made by a request. */
  public Optional<ApprovalRequest> byTask(long taskId) {
    return repo.byTask(taskId).map(this::toRequest);
  }

  /** A page of requests on these clusters, newest first; {@code state} null for all. */
  public List<ApprovalRequest> list(
      Collection<Long> clusters, ApprovalState state, PageRequest page) {
    return repo.list(clusters, state, page.size(), page.offset()).stream()
        .map(this::toRequest)
        .toList();
  }

  public long count(Collection<Long> clusters, ApprovalState state) {
    return repo.count(clusters, state);
  }

  /** Every cluster with requests, with the name it had when requested. */
  public List<ApprovalRequest.Cluster> clustersWithRequests() {
    return repo.clustersWithRequests();
  }

  /** Stores the chat layer's opaque references (JSON text) on a request. */
  public void setChatRefs(long requestId, String chatRefs) {
    repo.setChatRefs(requestId, chatRefs);
  }

  ApprovalRequest load(long id) {
    return toRequest(repo.find(id).orElseThrow());
  }

  private ApprovalRequest toRequest(ApprovalRepository.Row r) {
    List<ApprovalRepository.DecisionRow> decisions = repo.decisions(r.id());
    PreflightPlan plan = plan(r).orElse(null);
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
        rule.approvals(r, decisions, plan == null ? null : plan.hash()),
        r.approverPermissions(),
        decisions.stream()
            .map(ApprovalRepository.DecisionRow::decision)
            .collect(Collectors.toList()),
        r.paramsHash(),
        ApprovalRepository.snapshot(r),
        r.createdAt(),
        r.expiresAt(),
        r.finishedAt(),
        r.taskId(),
        r.chatRefs(),
        plan);
  }

  /** The task's latest pre-flight plan, if its action made one. */
  Optional<PreflightPlan> plan(ApprovalRepository.Row r) {
    if (r.taskId() == null) {
      return Optional.empty();
    }
    return actions.find(r.action()).flatMap(a -> a.plan(r.taskId()));
  }
}
