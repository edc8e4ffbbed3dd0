package io.obops.approval;

import io.obops.access.AccessControl;
import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.NotPermittedException;
import io.obops.access.Permission;
import io.obops.access.Policy;
import io.obops.audit.AuditEntry;
import io.obops.audit.AuditLog;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObCluster;
import io.obops.obcluster.ClusterOperationException;
import io.obops.obcluster.StopClusterService;
import io.obops.task.TaskClient;
import io.obops.task.TaskInstance;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DuplicateKeyException;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * The two-person rule for stopping a cluster, for every surface (REST, Discord, web console).
 *
 * <p>Concurrency: every decision locks its request row ({@code SELECT ... FOR UPDATE}) for the
 * length of its transaction, so decisions on one request run one after another; every state change
 * is additionally a conditional UPDATE ({@code where state = 'PENDING'}), so a sweep on another
 * replica can't close a request twice either. At most one PENDING request exists per cluster: the
 * unique {@code pending_cluster_id} column refuses the second of two concurrent inserts.
 *
 * <p>Refusals throw {@link ApprovalException} and are audited (outcome REFUSED) after the refused
 * transaction rolled back. A refusal that also closes the request (expired, inventory changed)
 * commits the close first, then throws.
 */
public class ApprovalService {

  public static final String STOP = "cluster.stop";
  private static final Logger log = LoggerFactory.getLogger(ApprovalService.class);
  private static final int REASON_MAX = 2000;

  private final ApprovalRepository repo;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final AccessControl access;
  private final ClusterInventory inventory;
  private final StopClusterService stop;
  private final TaskClient tasks;
  private final AuditLog audit;
  private final ObjectMapper json;

  public ApprovalService(
      org.springframework.jdbc.core.simple.JdbcClient jdbc,
      TransactionTemplate tx,
      Clock clock,
      AccessControl access,
      ClusterInventory inventory,
      StopClusterService stop,
      TaskClient tasks,
      AuditLog audit,
      ObjectMapper json) {
    this.repo = new ApprovalRepository(jdbc, clock, json);
    this.tx = tx;
    this.clock = clock;
    this.access = access;
    this.inventory = inventory;
    this.stop = stop;
    this.tasks = tasks;
    this.audit = audit;
    this.json = json;
  }

  // ---------------------------------------------------------------- request

  /**
   * Asks for a stop of the cluster. Refused when the actor lacks {@code cluster.stop} on it, a
   * reason is required and missing, the cluster can't be stopped now, or a stop request for it is
   * already pending (the message points at that one).
   */
  public ApprovalRequest request(Actor actor, long clusterId, String reason) {
    return audited(
        actor, "approval.request", clusterId, null, () -> doRequest(actor, clusterId, reason));
  }

  private ApprovalRequest doRequest(Actor actor, long clusterId, String reason) {
    String why = reason == null || reason.isBlank() ? null : reason.strip();
    ObCluster cluster = cluster(clusterId);
    ClusterRef ref = ref(cluster);
    access.require(actor, Permission.CLUSTER_STOP, ref);
    Policy policy = access.policy(STOP, ref);
    if (why == null && policy.reasonRequired()) {
      throw new ApprovalException(
          ApprovalException.Reason.INVALID,
          "a reason is required to stop cluster "
              + clusterId
              + " ("
              + cluster.name()
              + "); say why, e.g. {\"reason\": \"disk replacement on zone1\"}");
    }
    if (why != null && why.length() > REASON_MAX) {
      throw new ApprovalException(
          ApprovalException.Reason.INVALID,
          "the reason has " + why.length() + " characters; keep it under " + REASON_MAX);
    }
    repo.pendingFor(clusterId).ifPresent(pending -> settleStale(pending));
    repo.pendingFor(clusterId)
        .ifPresent(
            pending -> {
              throw alreadyPending(pending);
            });
    stop.check(clusterId);
    StopParameters params = StopParameters.of(cluster);
    OffsetDateTime now = now();
    try {
      return tx.execute(
          s -> {
            long id =
                repo.insert(
                    new ApprovalRepository.NewRequest(
                        STOP,
                        clusterId,
                        cluster.name(),
                        actor.principal(),
                        access.person(actor.principal()),
                        actor.surface(),
                        why,
                        policy.approvalsRequired(),
                        policy.approverPermissions().stream()
                            .map(Permission::wire)
                            .sorted()
                            .toList(),
                        cluster.inventoryHash(),
                        params.hash(STOP),
                        json.writeValueAsString(params),
                        now,
                        now.plus(policy.pendingTtl())));
            audit.record(
                AuditEntry.by(actor, "approval.request", "PENDING")
                    .cluster(clusterId)
                    .request(id)
                    .detail(
                        "stop of cluster "
                            + cluster.name()
                            + " requested"
                            + (why == null ? "" : ": " + why)
                            + "; needs "
                            + policy.approvalsRequired()
                            + " approval(s) by "
                            + policy.approverPermissions().stream()
                                .map(Permission::wire)
                                .sorted()
                                .collect(Collectors.joining(" + "))
                            + " by "
                            + now.plus(policy.pendingTtl())));
            return load(id);
          });
    } catch (DuplicateKeyException e) {
      // A concurrent request for this cluster committed first; point at it.
      throw repo.pendingFor(clusterId)
          .map(this::alreadyPending)
          .orElseGet(
              () ->
                  new ApprovalException(
                      ApprovalException.Reason.CONFLICT,
                      "another stop request for cluster "
                          + clusterId
                          + " was just made; check"
                          + " GET /api/v2/approvals?state=PENDING and try again if it is gone"));
    }
  }

  private ApprovalException alreadyPending(ApprovalRepository.Row pending) {
    return new ApprovalException(
        ApprovalException.Reason.CONFLICT,
        "cluster "
            + pending.clusterId()
            + " ("
            + pending.clusterName()
            + ") already has a pending stop request #"
            + pending.id()
            + " by "
            + pending.requester()
            + ", open until "
            + pending.expiresAt()
            + "; approve it (POST /api/v2/approvals/"
            + pending.id()
            + "/approve) or have its requester cancel it",
        pending.id());
  }

  /** Closes a pending request that can no longer be approved (expired, inventory changed). */
  private void settleStale(ApprovalRepository.Row pending) {
    tx.execute(
        s -> {
          repo.lock(pending.id())
              .filter(r -> r.state() == ApprovalState.PENDING)
              .ifPresent(r -> closeIfStale(r));
          return null;
        });
  }

  // ---------------------------------------------------------------- decisions

  /**
   * Counts the actor's approval. When it is the last one required, moves the request to APPROVED
   * and creates the stop task in the same transaction, then wakes the engine after commit.
   */
  public ApprovalRequest approve(Actor actor, long requestId) {
    return audited(
        actor,
        "approval.approve",
        null,
        requestId,
        () -> {
          try {
            return decided(tx.execute(s -> doApprove(actor, requestId)));
          } catch (ClusterOperationException e) {
            // The approval completed the request but the cluster can't be stopped any more; the
            // transaction rolled back, so close the request on its own and say why.
            closeAlone(requestId, CloseReason.CLUSTER_NOT_STOPPABLE, e.getMessage());
            throw new ApprovalException(
                ApprovalException.Reason.CONFLICT,
                "request #"
                    + requestId
                    + " can't start: "
                    + e.getMessage()
                    + "; the request is cancelled, request the stop again once the cluster is"
                    + " RUNNING and free");
          }
        });
  }

  private Outcome doApprove(Actor actor, long requestId) {
    ApprovalRepository.Row r = lockPending(requestId);
    Stale stale = closeIfStale(r);
    if (stale.refusal != null) {
      return new Outcome(null, stale.refusal);
    }
    ClusterRef ref = ref(stale.cluster);
    refuseRequester(actor, r, "approve");
    access.require(actor, permissions(r), ref);
    String person = access.person(actor.principal());
    refuseSecondDecision(r, person);
    OffsetDateTime now = now();
    repo.insertDecision(
        r.id(),
        person,
        actor.principal(),
        actor.surface(),
        ApprovalRequest.Verdict.APPROVE,
        null,
        now);
    List<ApprovalRequest.Decision> decisions = repo.decisions(r.id());
    long approvals =
        decisions.stream().filter(d -> d.verdict() == ApprovalRequest.Verdict.APPROVE).count();
    audit.record(
        AuditEntry.by(actor, "approval.approve", "COUNTED")
            .cluster(r.clusterId())
            .request(r.id())
            .detail("approval " + approvals + " of " + r.approvalsRequired()));
    if (approvals < r.approvalsRequired()) {
      return new Outcome(load(r.id()), null);
    }
    String approvers =
        decisions.stream()
            .map(ApprovalRequest.Decision::principal)
            .collect(Collectors.joining(", "));
    if (!repo.close(
        r.id(), ApprovalState.APPROVED, CloseReason.APPROVED, "approved by " + approvers, now)) {
      throw new IllegalStateException("request " + r.id() + " changed while locked");
    }
    TaskInstance task = stop.start(r.clusterId(), Creators.of(r.requester()));
    repo.setTask(r.id(), task.id());
    audit.record(
        AuditEntry.by(actor, "approval.approved", "APPROVED")
            .cluster(r.clusterId())
            .request(r.id())
            .task(task.id())
            .detail("requested by " + r.requester() + ", approved by " + approvers));
    audit.record(
        AuditEntry.by(actor, "task.start", "STARTED")
            .cluster(r.clusterId())
            .request(r.id())
            .task(task.id())
            .detail(task.name() + " task " + task.id() + " created for " + r.requester()));
    afterCommit(tasks::wakeUp);
    log.info(
        "request {}: approved by {}; task {} stops cluster {}",
        r.id(),
        approvers,
        task.id(),
        r.clusterId());
    return new Outcome(load(r.id()), null);
  }

  /** Rejects the request: one permitted person's rejection is final. */
  public ApprovalRequest reject(Actor actor, long requestId, String comment) {
    String note =
        comment == null || comment.isBlank()
            ? null
            : ApprovalRepository.truncate(comment.strip(), REASON_MAX);
    return decide(
        actor,
        "approval.reject",
        requestId,
        r -> {
          refuseRequester(actor, r, "reject");
          access.require(actor, permissions(r), refOf(r));
          String person = access.person(actor.principal());
          refuseSecondDecision(r, person);
          OffsetDateTime now = now();
          repo.insertDecision(
              r.id(),
              person,
              actor.principal(),
              actor.surface(),
              ApprovalRequest.Verdict.REJECT,
              note,
              now);
          String detail = "rejected by " + actor.principal() + (note == null ? "" : ": " + note);
          close(r, ApprovalState.REJECTED, CloseReason.REJECTED, detail, now);
          audit.record(
              AuditEntry.by(actor, "approval.reject", "REJECTED")
                  .cluster(r.clusterId())
                  .request(r.id())
                  .detail(detail));
          return new Outcome(load(r.id()), null);
        });
  }

  /** The requester withdraws their PENDING request. */
  public ApprovalRequest cancel(Actor actor, long requestId) {
    return decide(
        actor,
        "approval.cancel",
        requestId,
        r -> {
          if (!access.person(actor.principal()).equals(r.requesterPerson())
              && !actor.principal().equals(r.requester())) {
            throw new ApprovalException(
                ApprovalException.Reason.FORBIDDEN,
                "only the requester ("
                    + r.requester()
                    + ") can cancel request #"
                    + r.id()
                    + "; an approver can reject it instead");
          }
          String detail = "cancelled by " + actor.principal();
          close(r, ApprovalState.CANCELLED, CloseReason.CANCELLED_BY_REQUESTER, detail, now());
          audit.record(
              AuditEntry.by(actor, "approval.cancel", "CANCELLED")
                  .cluster(r.clusterId())
                  .request(r.id())
                  .detail(detail));
          return new Outcome(load(r.id()), null);
        });
  }

  /**
   * Runs a decision on a request that is PENDING and not expired, under its row lock, in one
   * transaction, audited; an expired request is closed and the decision refused.
   */
  private ApprovalRequest decide(
      Actor actor,
      String action,
      long requestId,
      java.util.function.Function<ApprovalRepository.Row, Outcome> decision) {
    return audited(
        actor,
        action,
        null,
        requestId,
        () ->
            decided(
                tx.execute(
                    s -> {
                      ApprovalRepository.Row r = lockPending(requestId);
                      Stale stale = closeIfExpired(r);
                      if (stale != null) {
                        return new Outcome(null, stale.refusal);
                      }
                      return decision.apply(r);
                    })));
  }

  // ---------------------------------------------------------------- reading

  public Optional<ApprovalRequest> find(long requestId) {
    return repo.find(requestId).map(repo::toRequest);
  }

  /** The request, if the actor may view its cluster. */
  public ApprovalRequest find(Actor actor, long requestId) {
    ApprovalRepository.Row r = repo.find(requestId).orElseThrow(() -> notFound(requestId));
    try {
      access.require(actor, Permission.CLUSTER_VIEW, refOf(r));
    } catch (NotPermittedException e) {
      throw new ApprovalException(ApprovalException.Reason.FORBIDDEN, e.getMessage());
    }
    return repo.toRequest(r);
  }

  /** Newest first, at most {@code limit}; {@code state} null for all. */
  public List<ApprovalRequest> list(ApprovalState state, int limit) {
    return repo.list(state, limit).stream().map(repo::toRequest).toList();
  }

  /** Like {@link #list(ApprovalState, int)}, only requests on clusters the actor may view. */
  public List<ApprovalRequest> list(Actor actor, ApprovalState state, int limit) {
    return repo.list(state, limit).stream()
        .filter(r -> access.has(actor, Permission.CLUSTER_VIEW, refOf(r)))
        .map(repo::toRequest)
        .toList();
  }

  /** Stores the chat layer's opaque references (JSON text) on a request. */
  public void setChatRefs(long requestId, String chatRefs) {
    repo.setChatRefs(requestId, chatRefs);
  }

  // ---------------------------------------------------------------- expiry

  /**
   * Moves every PENDING request past its expiry to EXPIRED; returns how many this call moved. Safe
   * to run on several replicas at once: each request expires exactly once.
   */
  public int expireDue() {
    int expired = 0;
    for (long id : repo.dueForExpiry(now())) {
      Boolean moved =
          tx.execute(
              s ->
                  repo.lock(id)
                      .filter(r -> r.state() == ApprovalState.PENDING)
                      .map(r -> closeIfExpired(r) != null)
                      .orElse(false));
      if (Boolean.TRUE.equals(moved)) {
        expired++;
      }
    }
    return expired;
  }

  // ---------------------------------------------------------------- rules

  private record Outcome(ApprovalRequest request, ApprovalException refusal) {}

  /** What {@link #closeIfStale} found: the current cluster, or the refusal after closing. */
  private record Stale(ObCluster cluster, ApprovalException refusal) {}

  private static ApprovalRequest decided(Outcome o) {
    if (o.refusal() != null) {
      throw o.refusal();
    }
    return o.request();
  }

  private ApprovalRepository.Row lockPending(long requestId) {
    ApprovalRepository.Row r = repo.lock(requestId).orElseThrow(() -> notFound(requestId));
    if (r.state().isFinal()) {
      throw new ApprovalException(
          ApprovalException.Reason.CONFLICT,
          "request #"
              + r.id()
              + " is already "
              + r.state()
              + (r.closeDetail() == null ? "" : " (" + r.closeDetail() + ")")
              + (r.taskId() == null
                  ? ""
                  : "; its task is GET /api/v2/tasks/instances/" + r.taskId())
              + "; a decided request never changes"
              + (r.state() == ApprovalState.APPROVED ? "" : ", request the stop again if needed"));
    }
    return r;
  }

  /** Closes an expired request (audited as system) and returns the refusal; null if not expired. */
  private Stale closeIfExpired(ApprovalRepository.Row r) {
    OffsetDateTime now = now();
    if (now.isBefore(r.expiresAt())) {
      return null;
    }
    String detail = "not decided by " + r.expiresAt();
    closeBySystem(r, ApprovalState.EXPIRED, CloseReason.EXPIRED, "approval.expire", detail, now);
    return new Stale(
        null,
        new ApprovalException(
            ApprovalException.Reason.CONFLICT,
            "request #"
                + r.id()
                + " expired at "
                + r.expiresAt()
                + " before enough people approved it; request the stop again"));
  }

  /**
   * Closes a request that can no longer be approved: expired, its cluster gone, or the cluster's
   * inventory changed since the request (a different set of zones or servers than the approvers
   * were shown). Otherwise returns the cluster as it is now.
   */
  private Stale closeIfStale(ApprovalRepository.Row r) {
    Stale expired = closeIfExpired(r);
    if (expired != null) {
      return expired;
    }
    Optional<ObCluster> current = inventory.find(r.clusterId());
    if (current.isEmpty()) {
      String detail = "cluster " + r.clusterId() + " is no longer in the inventory";
      closeBySystem(
          r,
          ApprovalState.CANCELLED,
          CloseReason.CLUSTER_NOT_STOPPABLE,
          "approval.invalidate",
          detail,
          now());
      return new Stale(
          null,
          new ApprovalException(
              ApprovalException.Reason.CONFLICT,
              "request #" + r.id() + " is cancelled: " + detail));
    }
    String hash = StopParameters.of(current.get()).hash(r.action());
    if (!hash.equals(r.paramsHash())) {
      String detail =
          "the inventory of cluster "
              + r.clusterName()
              + " changed after the request (zones, servers, hosts or ports differ from what"
              + " approvers were shown)";
      closeBySystem(
          r,
          ApprovalState.CANCELLED,
          CloseReason.INVENTORY_CHANGED,
          "approval.invalidate",
          detail,
          now());
      return new Stale(
          current.get(),
          new ApprovalException(
              ApprovalException.Reason.CONFLICT,
              "request #"
                  + r.id()
                  + " is cancelled: "
                  + detail
                  + "; request the stop again so approvers see the current cluster"));
    }
    return new Stale(current.get(), null);
  }

  private void refuseRequester(Actor actor, ApprovalRepository.Row r, String verb) {
    if (actor.principal().equals(r.requester())
        || access.person(actor.principal()).equals(r.requesterPerson())) {
      throw new ApprovalException(
          ApprovalException.Reason.FORBIDDEN,
          "you requested #"
              + r.id()
              + ", so you can't "
              + verb
              + " it; another person with "
              + String.join(" + ", r.approverPermissions())
              + " must decide"
              + (verb.equals("reject") ? " (you can cancel it)" : ""));
    }
  }

  private void refuseSecondDecision(ApprovalRepository.Row r, String person) {
    repo.decisionOf(r.id(), person)
        .ifPresent(
            d -> {
              throw new ApprovalException(
                  ApprovalException.Reason.CONFLICT,
                  "you already decided request #"
                      + r.id()
                      + " ("
                      + d.verdict()
                      + " at "
                      + d.time()
                      + " as "
                      + d.principal()
                      + "); a person counts once, another person must approve");
            });
  }

  private void close(
      ApprovalRepository.Row r,
      ApprovalState to,
      CloseReason reason,
      String detail,
      OffsetDateTime now) {
    if (!repo.close(r.id(), to, reason, detail, now)) {
      throw new IllegalStateException("request " + r.id() + " changed while locked");
    }
  }

  /** Closes a request on the system's behalf (expiry, invalidation) and audits it as such. */
  private void closeBySystem(
      ApprovalRepository.Row r,
      ApprovalState to,
      CloseReason reason,
      String auditAction,
      String detail,
      OffsetDateTime now) {
    close(r, to, reason, detail, now);
    audit.record(
        AuditEntry.bySystem(auditAction, to.name())
            .cluster(r.clusterId())
            .request(r.id())
            .detail(detail));
  }

  private void closeAlone(long requestId, CloseReason reason, String detail) {
    tx.execute(
        s -> {
          repo.lock(requestId)
              .filter(r -> r.state() == ApprovalState.PENDING)
              .ifPresent(
                  r -> {
                    closeBySystem(
                        r, ApprovalState.CANCELLED, reason, "approval.invalidate", detail, now());
                  });
          return null;
        });
  }

  private static java.util.Set<Permission> permissions(ApprovalRepository.Row r) {
    return r.approverPermissions().stream()
        .map(p -> Permission.fromWire(p).orElseThrow())
        .collect(Collectors.toSet());
  }

  /**
   * Runs an operation, audits a refusal (outside the refused transaction) and turns the other
   * capabilities' refusals into {@link ApprovalException}s.
   */
  private ApprovalRequest audited(
      Actor actor, String action, Long clusterId, Long requestId, Supplier<ApprovalRequest> op) {
    try {
      return op.get();
    } catch (ApprovalException | NotPermittedException | ClusterOperationException e) {
      ApprovalException refusal = translate(e);
      Long cluster = clusterId;
      if (cluster == null && requestId != null) {
        cluster = repo.find(requestId).map(ApprovalRepository.Row::clusterId).orElse(null);
      }
      audit.record(
          AuditEntry.by(actor, action, "REFUSED")
              .cluster(cluster)
              .request(requestId)
              .detail(refusal.getMessage()));
      throw refusal;
    }
  }

  private static ApprovalException translate(RuntimeException e) {
    if (e instanceof ApprovalException a) {
      return a;
    }
    if (e instanceof NotPermittedException) {
      return new ApprovalException(ApprovalException.Reason.FORBIDDEN, e.getMessage());
    }
    ClusterOperationException c = (ClusterOperationException) e;
    return new ApprovalException(
        c.reason() == ClusterOperationException.Reason.NOT_FOUND
            ? ApprovalException.Reason.NOT_FOUND
            : ApprovalException.Reason.CONFLICT,
        c.getMessage());
  }

  private ObCluster cluster(long clusterId) {
    return inventory
        .find(clusterId)
        .orElseThrow(
            () ->
                new ApprovalException(
                    ApprovalException.Reason.NOT_FOUND,
                    "cluster "
                        + clusterId
                        + " does not exist; GET /api/v2/ob/clusters lists the clusters"));
  }

  private static ClusterRef ref(ObCluster c) {
    return new ClusterRef(c.id(), c.name(), c.tags());
  }

  /** The request's cluster for selectors; a cluster gone from the inventory keeps id and name. */
  private ClusterRef refOf(ApprovalRepository.Row r) {
    return inventory
        .find(r.clusterId())
        .map(ApprovalService::ref)
        .orElseGet(() -> new ClusterRef(r.clusterId(), r.clusterName(), List.of()));
  }

  private ApprovalException notFound(long requestId) {
    return new ApprovalException(
        ApprovalException.Reason.NOT_FOUND,
        "approval request #"
            + requestId
            + " does not exist; GET /api/v2/approvals?state=PENDING lists the open ones");
  }

  private ApprovalRequest load(long id) {
    return repo.toRequest(repo.find(id).orElseThrow());
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  private static void afterCommit(Runnable action) {
    if (TransactionSynchronizationManager.isSynchronizationActive()) {
      TransactionSynchronizationManager.registerSynchronization(
          new TransactionSynchronization() {
            @Override
            public void afterCommit() {
              action.run();
            }
          });
    }
  }
}
