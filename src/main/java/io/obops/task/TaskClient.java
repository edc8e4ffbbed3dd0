package io.obops.task;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What callers do with tasks (db-scheduler's {@code SchedulerClient}): submit a task, read it, its
 * logs and milestones, and OCP's operations on it. Every method works on any instance sharing the
 * database, whether or not it runs subtasks itself; the work is done by whichever instance claims
 * it.
 *
 * <p>Threading: safe to call from any thread. Methods that write join the caller's transaction when
 * the engine was given a transaction-aware data source and one is open.
 */
public final class TaskClient {

  private static final Logger log = LoggerFactory.getLogger(TaskClient.class);

  private final TaskRepository tasks;
  private final TaskOperations operations;
  private final Events events;
  private final Set<String> handlers;
  private final WakeUp wakeUp;
  private final Runnable checkCancels;
  private final Clock clock;

  TaskClient(
      TaskRepository tasks,
      TaskOperations operations,
      Events events,
      Set<String> handlers,
      WakeUp wakeUp,
      Runnable checkCancels,
      Clock clock) {
    this.tasks = tasks;
    this.operations = operations;
    this.events = events;
    this.handlers = Set.copyOf(handlers);
    this.wakeUp = wakeUp;
    this.checkCancels = checkCancels;
    this.clock = clock;
  }

  /**
   * Creates a task from a template, its subtasks READY or PENDING, each with its target (the split
   * key and element it works on). Refuses, before storing anything, a template naming a handler
   * this engine does not have.
   */
  public long submit(
      TaskTemplate template, TaskContext context, Creator creator, TaskTarget target) {
    long id = insert(template, context, creator, target, false);
    wakeUp();
    return id;
  }

  /**
   * Like {@link #submit}, but the task is created {@link TaskGate#HELD}: it shows RUNNING with
   * every subtask PENDING, and nothing runs until {@link #openGate}; {@link #refuseGate} ends it
   * FAILED instead. For work that waits for something outside the engine (an approval).
   */
  public long submitGated(
      TaskTemplate template, TaskContext context, Creator creator, TaskTarget target) {
    return insert(template, context, creator, target, true);
  }

  private long insert(
      TaskTemplate template,
      TaskContext context,
      Creator creator,
      TaskTarget target,
      boolean gated) {
    TaskPlan plan = TaskPlan.expand(template, context);
    for (TaskPlan.Planned p : plan.subtasks()) {
      if (!handlers.contains(p.node().handler())) {
        throw new IllegalArgumentException(
            "no handler '" + p.node().handler() + "' for node '" + p.node().name() + "'");
      }
    }
    long id =
        tasks.insert(
            template.name(), plan, context, creator, target, OffsetDateTime.now(clock), gated);
    events.emit(new TaskEvent.TaskCreated(id, template.name()));
    return id;
  }

  /** The task's gate; throws {@link TaskOperationException} (NOT_FOUND) for an unknown task. */
  public TaskGate gate(long taskId) {
    return operations.gate(taskId);
  }

  /**
   * Opens a HELD task's gate: its root subtasks become READY. Joins the caller's transaction;
   * throws {@link TaskOperationException} (CONFLICT) if the task is not HELD.
   */
  public void openGate(long taskId) {
    operations.openGate(taskId);
    wakeUp();
  }

  /**
   * Refuses a HELD task's gate: the task ends FAILED without running anything, {@code reason} in
   * its first subtask's log (and as the root subtasks' error); it can never be retried. Joins the
   * caller's transaction; throws {@link TaskOperationException} (CONFLICT) if the task is not HELD.
   */
  public void refuseGate(long taskId, String reason) {
    TaskOperations.Refused refused =
        operations.refuseGate(taskId, reason, OffsetDateTime.now(clock));
    events.emit(new TaskEvent.SubtaskLogLine(taskId, refused.firstSubtaskId(), reason));
    events.finished(refused.end());
  }

  public Optional<TaskInstance> find(long taskId) {
    return tasks.find(taskId);
  }

  /** The subtask's log lines, oldest first. */
  public List<String> log(long taskId, long subtaskId) {
    tasks
        .findSubtask(taskId, subtaskId)
        .orElseThrow(() -> TaskRepository.notFound("subtask " + subtaskId + " of task " + taskId));
    return tasks.log(subtaskId);
  }

  /** The task's milestones in the order they were recorded. */
  public List<Milestone> milestones(long taskId) {
    return milestones(taskId, 0);
  }

  /** The task's milestones recorded after the one with id {@code afterId}, in order. */
  public List<Milestone> milestones(long taskId, long afterId) {
    return tasks.milestones(taskId, afterId);
  }

  /**
   * The current version of each of these tasks (absent ones are left out), in one cheap query. A
   * task's version moves in the same transaction as every change a reader cares about: a subtask
   * claimed, finished, re-queued, retried, skipped or cancelled, a milestone, the context, the
   * task's status. A reporter keeps the version it last reported per task and re-reads ({@link
   * #find}, {@link #milestones(long, long)}) only the tasks whose version moved, on whichever
   * instance ran them. Log lines do not move it (they would serialize every log write on the task
   * row); read them by subtask.
   */
  public Map<Long, Long> versions(Collection<Long> taskIds) {
    return tasks.versions(taskIds);
  }

  /** OCP's task retry: every FAILED subtask of a FAILED task runs again. */
  public void retryTask(long taskId, String by) {
    int n = operations.retryTask(taskId);
    log.info("task {}: retry by {} re-queued {} failed subtask(s)", taskId, by, n);
    wakeUp();
  }

  public SubtaskInstance retrySubtask(long taskId, long subtaskId, String by) {
    SubtaskInstance s = operations.reschedule(taskId, subtaskId, SubtaskOperation.RETRY);
    events.logLine(taskId, subtaskId, "retry requested by " + by);
    wakeUp();
    return s;
  }

  public SubtaskInstance skipSubtask(long taskId, long subtaskId, String by) {
    SubtaskInstance s = operations.reschedule(taskId, subtaskId, SubtaskOperation.SKIP);
    events.logLine(taskId, subtaskId, "skip requested by " + by);
    wakeUp();
    return s;
  }

  /**
   * Asks to cancel a RUNNING subtask; its executor interrupts it (at once when it is this instance,
   * at its next housekeeping round otherwise) and it ends FAILED.
   */
  public SubtaskInstance cancelSubtask(long taskId, long subtaskId, String by) {
    SubtaskInstance s = operations.requestCancel(taskId, subtaskId, by);
    events.logLine(taskId, subtaskId, "cancel requested by " + by);
    checkCancels.run();
    return s;
  }

  /** Tells this instance's poller there may be work (after a submit committed, for example). */
  public void wakeUp() {
    wakeUp.signal();
  }
}
