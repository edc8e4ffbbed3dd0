package io.obops.operations;

import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.Permission;
import io.obops.approval.ApprovableAction;
import io.obops.approval.ApprovableActions;
import io.obops.approval.ApprovalDecisions;
import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalRequests;
import io.obops.approval.ApprovalState;
import io.obops.cluster.ObCluster;
import io.obops.core.ClusterId;
import io.obops.core.PageRequest;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import io.obops.core.RequestId;
import io.obops.core.Texts;
import io.obops.task.TaskClient;
import io.obops.task.TaskInstance;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Asking for an action and deciding it, for every surface: the requester needs the action's
 * permission on the cluster, deciders need to view it (else the request "does not exist") and the
 * permissions the request asks of approvers; the two-person rule itself is {@code approval}'s.
 */
public final class ApprovalOperations {

  private final Guard guard;
  private final ApprovableActions actions;
  private final ApprovalRequests requests;
  private final ApprovalDecisions decisions;
  private final TaskClient engine;

  ApprovalOperations(
      Guard guard,
      ApprovableActions actions,
      ApprovalRequests requests,
      ApprovalDecisions decisions,
      TaskClient engine) {
    this.guard = guard;
    this.actions = actions;
    this.requests = requests;
    this.decisions = decisions;
    this.engine = engine;
  }

  /** A request and the task it created, gated until the last approval. */
  public record Requested(ApprovalRequest request, TaskInstance task) {}

  /** One page of requests and how many match in all. */
  public record Listed(List<ApprovalRequest> contents, long total) {}

  /**
   * Asks for {@code action} (e.g. {@code cluster.stop}) on the cluster, with a reason ({@link
   * Texts} rules): creates the request and its task, gated, holding the cluster.
   */
  public Requested request(Actor actor, ClusterId clusterId, String action, String reason) {
    return request(actor, clusterId, action, reason, r -> {});
  }

  /**
   * Like {@link #request(Actor, ClusterId, String, String)}; {@code announce} runs with the new
   * request inside the transaction that creates it (chat records its approval card there).
   */
  public Requested request(
      Actor actor,
      ClusterId clusterId,
      String action,
      String reason,
      java.util.function.Consumer<ApprovalRequest> announce) {
    Guard.Scope scope = new Guard.Scope().cluster(clusterId.value());
    return guard.act(
        actor,
        "approval.request",
        scope,
        () -> {
          ObCluster cluster = guard.visible(actor, clusterId.value(), clusterId.toString(), scope);
          ApprovableAction a = actions.require(action);
          ClusterRef ref = Guard.ref(cluster);
          guard.require(actor, ref, "approval.request", a.permission());
          String why = Texts.check("reason", reason);
          ApprovalRequest r = requests.request(actor, ref, a, why, announce);
          return new Requested(r, engine.find(r.taskId()).orElseThrow());
        });
  }

  /** The request, if the actor may view its cluster. */
  public ApprovalRequest view(Actor actor, RequestId id) {
    Guard.Scope scope = new Guard.Scope().request(id.value());
    return guard.act(actor, "approval.view", scope, () -> visible(actor, id, scope).request());
  }

  /**
   * Requests on clusters the actor may view, newest first; {@code state} null (all) or a state's
   * name in any case.
   */
  public Listed list(Actor actor, String state, PageRequest page) {
    ApprovalState wanted = state(state);
    Set<Long> visible = new HashSet<>();
    guard.visibleClusters(actor).forEach(c -> visible.add(c.id()));
    for (ApprovalRequest.Cluster c : requests.clustersWithRequests()) {
      if (!visible.contains(c.id()) && guard.mayView(actor, guard.ref(c.id(), c.name()))) {
        visible.add(c.id());
      }
    }
    return new Listed(requests.list(visible, wanted, page), requests.count(visible, wanted));
  }

  public ApprovalRequest approve(Actor actor, RequestId id) {
    return approve(actor, id, null);
  }

  /**
   * Approves the request as shown with pre-flight plan {@code shownPlan} (its hash or first 12
   * digits; null when the surface showed none): refused when the plan is older than approvals
   * accept or is no longer the one in force.
   */
  public ApprovalRequest approve(Actor actor, RequestId id, String shownPlan) {
    Guard.Scope scope = new Guard.Scope().request(id.value());
    return guard.act(
        actor,
        "approval.approve",
        scope,
        () ->
            decisions.approve(
                actor, id.value(), visible(actor, id, scope).cluster(), shownPlan(shownPlan)));
  }

  /**
   * Inspects the servers of a PENDING request again (read-only) and records the new pre-flight
   * plan; anyone who may view the request may refresh it. Takes as long as the inspection.
   */
  public ApprovalRequest refreshPlan(Actor actor, RequestId id) {
    Guard.Scope scope = new Guard.Scope().request(id.value());
    return guard.act(
        actor,
        "approval.refresh",
        scope,
        () -> {
          visible(actor, id, scope);
          return requests.refreshPlan(actor, id.value());
        });
  }

  /** A plan hash as a surface passes it: hex digits, 12 to 64 of them. */
  private static String shownPlan(String value) {
    if (value == null) {
      return null;
    }
    if (!value.matches("[0-9a-f]{12,64}")) {
      throw new Refused(new Refusal.Malformed("planHash", value, Refusal.Expected.PLAN_HASH));
    }
    return value;
  }

  /** Rejects with an optional comment ({@link Texts} rules). */
  public ApprovalRequest reject(Actor actor, RequestId id, String comment) {
    Guard.Scope scope = new Guard.Scope().request(id.value());
    return guard.act(
        actor,
        "approval.reject",
        scope,
        () -> {
          ClusterRef cluster = visible(actor, id, scope).cluster();
          return decisions.reject(actor, id.value(), cluster, Texts.check("comment", comment));
        });
  }

  /**
   * obops cancels a PENDING request whose approval card could not be posted before it would expire
   * ({@code why}: the platform's error), audited as obops' own decision; false if not PENDING.
   */
  public boolean cancelUnannounced(RequestId id, String why) {
    return decisions.cancelUnannounced(id.value(), why);
  }

  public ApprovalRequest cancel(Actor actor, RequestId id) {
    Guard.Scope scope = new Guard.Scope().request(id.value());
    return guard.act(
        actor,
        "approval.cancel",
        scope,
        () -> decisions.cancel(actor, id.value(), visible(actor, id, scope).cluster()));
  }

  /**
   * Who may decide a request, for the card to name them: the principals of the access file that
   * hold the permissions it asks of approvers on its cluster, the requester left out. A read for
   * display only; each decision is still checked when it is made.
   */
  public List<String> approvers(ApprovalRequest r) {
    Set<Permission> needed = EnumSet.of(Permission.CLUSTER_VIEW);
    r.approverPermissions().forEach(p -> Permission.fromWire(p).ifPresent(needed::add));
    return guard.holders(needed, guard.ref(r.cluster().id(), r.cluster().name()), r.requester());
  }

  private record Found(ApprovalRequest request, ClusterRef cluster) {}

  private Found visible(Actor actor, RequestId id, Guard.Scope scope) {
    ApprovalRequest r =
        requests.find(id.value()).orElseThrow(() -> new Refused(new Refusal.RequestNotFound(id)));
    scope.cluster(r.cluster().id());
    if (r.taskId() != null) {
      scope.task(r.taskId());
    }
    ClusterRef cluster = guard.ref(r.cluster().id(), r.cluster().name());
    if (!guard.mayView(actor, cluster)) {
      throw new Refused(new Refusal.RequestNotFound(id));
    }
    return new Found(r, cluster);
  }

  private static ApprovalState state(String state) {
    if (state == null) {
      return null;
    }
    try {
      return ApprovalState.valueOf(state.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Refused(
          new Refusal.UnknownValue(
              "state", state, Arrays.stream(ApprovalState.values()).map(Enum::name).toList()));
    }
  }
}
