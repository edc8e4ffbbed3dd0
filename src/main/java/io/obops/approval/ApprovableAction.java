package io.obops.approval;

import io.obops.access.Permission;
import io.obops.cluster.ClusterSnapshot;
import io.obops.cluster.PreflightPlan;
import io.obops.task.Creator;
import java.util.List;
import java.util.Optional;

/**
 * The seam between the two-person rule and what it guards: an action on a cluster that needs
 * approval ({@code obcluster} implements it for "Stop OB cluster"; a new action is a new
 * implementation, and approval does not change). The approval flow calls it in its own
 * transactions: {@link #prepare} when a request is made, then exactly one of {@link #approved} or
 * {@link #refused} when the request closes.
 */
public interface ApprovableAction {

  /**
   * The action's name: the approval's {@code action}, the {@code action} of access-file policies,
   * the prefix of its audit entries (e.g. {@code cluster.stop}).
   */
  String name();

  /** What the requester needs on the cluster (checked at request time and again at decision). */
  Permission permission();

  /**
   * Checks that the cluster can undergo the action now and creates its task, gated (nothing runs
   * until {@link #approved}), holding the cluster, with the snapshot of the servers it will act on;
   * all in the caller's transaction. Refuses with {@link io.obops.core.Refusal.ClusterBusy} (the
   * cluster is held; the flow then points at that task's pending request, if any), {@link
   * io.obops.core.Refusal.ClusterNotReady} or {@link io.obops.core.Refusal.ClusterNotFound}.
   */
  Prepared prepare(long clusterId, Creator creator);

  /**
   * How the cluster's latest description (the inventory file's, even when deferred) differs from
   * what the task was approved for, one line per difference; empty when it does not.
   */
  List<String> changesSinceApproval(long taskId, long clusterId);

  /** The last approval arrived: the task may run. In the approving transaction. */
  void approved(long taskId);

  /**
   * The request ended without approval (rejected, expired, cancelled, invalidated): the task ends
   * FAILED with {@code reason} in its log and never runs, and the cluster is released. In the
   * closing transaction.
   */
  void refused(long taskId, long clusterId, String reason);

  /**
   * Inspects, read-only, what the task would meet on its servers and records it as the task's
   * pre-flight plan, one version up from the last; returns it. Called outside any transaction,
   * after {@link #prepare} committed and on each refresh; may take seconds, never throws for a
   * server that cannot be inspected (the plan says so). Empty when the action makes no plan (no
   * remote executor is configured, or the action has nothing to inspect).
   */
  default Optional<PreflightPlan> inspect(long taskId) throws InterruptedException {
    return Optional.empty();
  }

  /** The task's latest pre-flight plan, if {@link #inspect} made one. */
  default Optional<PreflightPlan> plan(long taskId) {
    return Optional.empty();
  }

  /** What {@link #prepare} made: the gated task and the snapshot approvers are shown. */
  record Prepared(long taskId, ClusterSnapshot snapshot) {}

  /** The action's verb in messages: the part of its name after the dot ({@code stop}). */
  static String verb(String actionName) {
    return actionName.substring(actionName.indexOf('.') + 1);
  }
}
