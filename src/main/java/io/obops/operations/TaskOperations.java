package io.obops.operations;

import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.Permission;
import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalRequests;
import io.obops.audit.AuditEntry;
import io.obops.audit.AuditLog;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import io.obops.core.RequestId;
import io.obops.core.SubtaskId;
import io.obops.core.TaskId;
import io.obops.obcluster.ApprovedTargets;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskClient;
import io.obops.task.TaskGate;
import io.obops.task.TaskInstance;
import io.obops.task.TaskOperationException;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reading tasks and OCP's task operations (retry a task; retry, skip or cancel a subtask), for
 * every surface. Reading needs {@code cluster.view} on the task's cluster (a task without a cluster
 * is nobody's: fail closed); operations need {@code task.manage}. A task waiting for its approval,
 * or refused at it, is never retried or skipped into running, and a retry is refused when the
 * servers it would act on changed since approval.
 */
public final class TaskOperations {

  private final Guard guard;
  private final TaskClient engine;
  private final ApprovalRequests requests;
  private final ApprovedTargets targets;
  private final AuditLog audit;
  private final TransactionTemplate tx;

  TaskOperations(
      Guard guard,
      TaskClient engine,
      ApprovalRequests requests,
      ApprovedTargets targets,
      AuditLog audit,
      TransactionTemplate tx) {
    this.guard = guard;
    this.engine = engine;
    this.requests = requests;
    this.targets = targets;
    this.audit = audit;
    this.tx = tx;
  }

  public TaskInstance view(Actor actor, TaskId id) {
    Guard.Scope scope = new Guard.Scope().task(id.value());
    return guard.act(actor, "task.view", scope, () -> visible(actor, id, scope).task());
  }

  /** A subtask's log lines, oldest first. */
  public List<String> log(Actor actor, TaskId id, SubtaskId subtask) {
    Guard.Scope scope = new Guard.Scope().task(id.value());
    return guard.act(
        actor,
        "task.view",
        scope,
        () -> {
          subtask(visible(actor, id, scope).task(), subtask);
          return engine.log(id.value(), subtask.value());
        });
  }

  /** OCP's task retry: every FAILED subtask runs again. */
  public TaskInstance retry(Actor actor, TaskId id) {
    Guard.Scope scope = new Guard.Scope().task(id.value());
    return guard.act(
        actor,
        "task.retry",
        scope,
        () -> {
          TaskInstance t = manageable(actor, id, scope);
          unchangedServers(
              t, t.subtasks().stream().filter(s -> s.status() == SubtaskStatus.FAILED).toList());
          engineCall(
              id,
              null,
              () -> {
                engine.retryTask(id.value(), actor.principal());
                audited(actor, "task.retry", t, "every FAILED subtask runs again");
                return null;
              });
          return engine.find(id.value()).orElseThrow();
        });
  }

  public SubtaskInstance retrySubtask(Actor actor, TaskId id, SubtaskId subtask) {
    return subtaskOperation(
        actor,
        "subtask.retry",
        id,
        subtask,
        true,
        () -> engine.retrySubtask(id.value(), subtask.value(), actor.principal()));
  }

  public SubtaskInstance skipSubtask(Actor actor, TaskId id, SubtaskId subtask) {
    return subtaskOperation(
        actor,
        "subtask.skip",
        id,
        subtask,
        false,
        () -> engine.skipSubtask(id.value(), subtask.value(), actor.principal()));
  }

  public SubtaskInstance cancelSubtask(Actor actor, TaskId id, SubtaskId subtask) {
    return subtaskOperation(
        actor,
        "subtask.cancel",
        id,
        subtask,
        false,
        () -> engine.cancelSubtask(id.value(), subtask.value(), actor.principal()));
  }

  private SubtaskInstance subtaskOperation(
      Actor actor,
      String action,
      TaskId id,
      SubtaskId subtask,
      boolean runsAgain,
      Supplier<SubtaskInstance> op) {
    Guard.Scope scope = new Guard.Scope().task(id.value());
    return guard.act(
        actor,
        action,
        scope,
        () -> {
          TaskInstance t = manageable(actor, id, scope);
          SubtaskInstance s = subtask(t, subtask);
          if (runsAgain) {
            unchangedServers(t, List.of(s));
          }
          return engineCall(
              id,
              subtask,
              () -> {
                SubtaskInstance after = op.get();
                audited(actor, action, t, "subtask " + s.id() + " (" + s.name() + ")");
                return after;
              });
        });
  }

  /** The task if it exists, has a cluster and the actor may view that cluster. */
  private Visible visible(Actor actor, TaskId id, Guard.Scope scope) {
    TaskInstance t =
        engine.find(id.value()).orElseThrow(() -> new Refused(new Refusal.TaskNotFound(id)));
    if (t.target() == null) {
      throw new Refused(new Refusal.TaskNotFound(id)); // nobody's task: fail closed
    }
    scope.cluster(t.target().id());
    ClusterRef cluster = guard.ref(t.target().id(), t.target().name());
    if (!guard.mayView(actor, cluster)) {
      throw new Refused(new Refusal.TaskNotFound(id));
    }
    return new Visible(t, cluster);
  }

  private record Visible(TaskInstance task, ClusterRef cluster) {}

  /** The task if the actor may manage it and it is past its approval. */
  private TaskInstance manageable(Actor actor, TaskId id, Guard.Scope scope) {
    Visible v = visible(actor, id, scope);
    guard.require(actor, v.cluster(), "task.manage", Permission.TASK_MANAGE);
    TaskGate gate = engine.gate(id.value());
    if (gate == TaskGate.HELD || gate == TaskGate.REFUSED) {
      ApprovalRequest r = requests.byTask(id.value()).orElse(null);
      RequestId request = r == null ? null : new RequestId(r.id());
      if (r != null) {
        scope.request(r.id());
      }
      throw new Refused(
          gate == TaskGate.HELD
              ? new Refusal.AwaitingApproval(id, request)
              : new Refusal.NeverRuns(id, request, r == null ? "closed" : r.state().name()));
    }
    return v.task();
  }

  private static SubtaskInstance subtask(TaskInstance t, SubtaskId id) {
    return t.subtasks().stream()
        .filter(s -> s.id() == id.value())
        .findFirst()
        .orElseThrow(() -> new Refused(new Refusal.SubtaskNotFound(new TaskId(t.id()), id)));
  }

  private void unchangedServers(TaskInstance t, Collection<SubtaskInstance> toRun) {
    List<String> changes = targets.changesForRetry(t, toRun);
    if (!changes.isEmpty()) {
      throw new Refused(new Refusal.ServersChanged(new TaskId(t.id()), changes));
    }
  }

  /** Runs the engine's operation and its audit in one transaction; the engine's refusals typed. */
  private <T> T engineCall(TaskId task, SubtaskId subtask, Supplier<T> call) {
    try {
      T result = tx.execute(s -> call.get());
      engine.wakeUp(); // committed: the poller sees the work now
      return result;
    } catch (TaskOperationException e) {
      throw new Refused(
          e.reason() == TaskOperationException.Reason.NOT_FOUND
              ? (subtask == null
                  ? new Refusal.TaskNotFound(task)
                  : new Refusal.SubtaskNotFound(task, subtask))
              : new Refusal.TaskConflict(task, subtask, e.getMessage()));
    }
  }

  private void audited(Actor actor, String action, TaskInstance t, String detail) {
    audit.record(
        AuditEntry.by(actor, action, "REQUESTED")
            .cluster(t.target().id())
            .task(t.id())
            .detail(detail));
  }
}
