package io.obops.obcluster;

import io.obops.access.ClusterRef;
import io.obops.approval.ApprovableAction;
import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ClusterSnapshot;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObClusterStatus;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObZone;
import io.obops.cluster.PreflightPlan;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import io.obops.core.TaskId;
import io.obops.task.Creator;
import io.obops.task.TaskClient;
import io.obops.task.TaskContext;
import io.obops.task.TaskInstance;
import io.obops.task.TaskTarget;
import io.obops.task.TaskTemplate;
import java.util.List;
import java.util.Optional;
import org.springframework.transaction.support.TransactionSynchronization;
import org.springframework.transaction.support.TransactionSynchronizationManager;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * A whole-cluster task as an {@link ApprovableAction} ("Stop OB cluster", "Start OB cluster"):
 * {@link #prepare} checks the cluster's status, creates the task gated, reserves the cluster for it
 * and records the servers it is approved for, in one transaction (the caller's: the approval
 * request commits with its task). {@link #approved} opens the task's gate; {@link #refused} ends it
 * without running and releases the cluster. A subclass names its template and the status it starts
 * from.
 *
 * <p>{@link #start} creates the task ungated, for tests and tools: nobody calls it in production.
 */
abstract class ClusterTaskService implements ApprovableAction {

  private final ClusterInventory inventory;
  private final ApprovedServers approved;
  private final TaskClient engine;
  private final TransactionTemplate tx;
  private final TaskTemplate template;
  private final ObClusterStatus from;
  private final Preflight preflight;
  private final PreflightPlans plans;

  ClusterTaskService(
      ClusterInventory inventory,
      ApprovedServers approved,
      TaskClient engine,
      TransactionTemplate tx,
      TaskTemplate template,
      ObClusterStatus from,
      Preflight preflight,
      PreflightPlans plans) {
    this.inventory = inventory;
    this.approved = approved;
    this.engine = engine;
    this.tx = tx;
    this.template = template;
    this.from = from;
    this.preflight = preflight;
    this.plans = plans;
  }

  /**
   * Surveys the approved servers read-only with the pre-flight inspection and records the plan
   * (none without a pre-flight: tests and tools).
   */
  @Override
  public Optional<PreflightPlan> inspect(long taskId) throws InterruptedException {
    if (preflight == null) {
      return Optional.empty();
    }
    List<ClusterSnapshot.Server> servers = approved.of(taskId);
    if (servers.isEmpty()) {
      return Optional.empty();
    }
    long clusterId = engine.find(taskId).map(t -> t.target().id()).orElse(0L);
    PreflightPlan plan = preflight.inspect(clusterId, servers, plans.nextVersion(taskId));
    plans.save(taskId, plan);
    return plans.find(taskId);
  }

  @Override
  public Optional<PreflightPlan> plan(long taskId) {
    return plans == null ? Optional.empty() : plans.find(taskId);
  }

  @Override
  public Prepared prepare(long clusterId, Creator creator) {
    return create(clusterId, creator, true);
  }

  /** Creates and starts the task without an approval (tests, tools): RUNNING, first step READY. */
  public TaskInstance start(long clusterId, Creator creator) {
    return engine.find(tx.execute(s -> create(clusterId, creator, false)).taskId()).orElseThrow();
  }

  private Prepared create(long clusterId, Creator creator, boolean gated) {
    ObCluster cluster = check(clusterId);
    TaskTarget target = new TaskTarget(cluster.id(), cluster.name(), cluster.obClusterId());
    long taskId =
        gated
            ? engine.submitGated(template, context(cluster), creator, target)
            : engine.submit(template, context(cluster), creator, target);
    if (!inventory.acquireOperation(clusterId, taskId, from)) {
      // Reserved by someone else between the check and now; throwing rolls this task back.
      ObCluster now = cluster(clusterId);
      throw new Refused(
          new Refusal.ClusterBusy(
              ref(now), now.operationTaskId() == null ? null : new TaskId(now.operationTaskId())));
    }
    ClusterSnapshot snapshot = ClusterSnapshot.of(cluster);
    approved.save(taskId, snapshot);
    if (!gated) {
      afterCommit(engine::wakeUp);
    }
    return new Prepared(taskId, snapshot);
  }

  /** The cluster if the action can run on it now; a refusal saying why not otherwise. */
  ObCluster check(long clusterId) {
    ObCluster cluster = cluster(clusterId);
    if (cluster.operationTaskId() != null) {
      throw new Refused(
          new Refusal.ClusterBusy(ref(cluster), new TaskId(cluster.operationTaskId())));
    }
    if (cluster.status() != from) {
      throw new Refused(
          new Refusal.ClusterNotReady(
              ref(cluster), cluster.status().name(), from.name(), name(), last(cluster.id())));
    }
    return cluster;
  }

  /** The finished task that left the cluster in its status, if the engine still has it. */
  private Refusal.ClusterNotReady.LastOperation last(long clusterId) {
    return inventory
        .lastOperation(clusterId)
        .flatMap(engine::find)
        .filter(t -> t.finishTime() != null)
        .map(
            t ->
                new Refusal.ClusterNotReady.LastOperation(
                    new TaskId(t.id()), t.name(), t.creator().name(), t.finishTime()))
        .orElse(null);
  }

  private ObCluster cluster(long clusterId) {
    return inventory
        .find(clusterId)
        .orElseThrow(() -> new Refused(new Refusal.ClusterNotFound(String.valueOf(clusterId))));
  }

  @Override
  public List<String> changesSinceApproval(long taskId, long clusterId) {
    return ApprovedTargets.changes(approved, inventory, taskId, clusterId, null);
  }

  @Override
  public void approved(long taskId) {
    engine.openGate(taskId);
    afterCommit(engine::wakeUp);
  }

  @Override
  public void refused(long taskId, long clusterId, String reason) {
    engine.refuseGate(taskId, reason);
    inventory.releaseOperation(clusterId, taskId);
  }

  static ClusterRef ref(ObCluster c) {
    return new ClusterRef(c.id(), c.name(), c.tags());
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

  /**
   * The context exactly as OCP prints it for these tasks: {@code cluster_name}, {@code cluster_id},
   * the lists {@code server_ids} (zone by zone) and {@code zone_names}, and the status the cluster
   * had before.
   */
  static TaskContext context(ObCluster cluster) {
    return TaskContext.builder()
        .put(StopClusterTemplate.CLUSTER_NAME, cluster.name())
        .put(StopClusterTemplate.CLUSTER_ID, String.valueOf(cluster.id()))
        .put(StopClusterTemplate.FORMER_CLUSTER_STATUS, cluster.status().name())
        .putList(
            StopClusterTemplate.SERVER_IDS,
            cluster.zones().stream()
                .flatMap(z -> cluster.serversIn(z.name()).stream())
                .map(ObServer::id)
                .toList())
        .putList(
            StopClusterTemplate.ZONE_NAMES, cluster.zones().stream().map(ObZone::name).toList())
        .build();
  }
}
