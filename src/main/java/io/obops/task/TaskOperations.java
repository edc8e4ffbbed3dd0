package io.obops.task;

import static io.obops.task.Jdbc.params;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * OCP's operations on a task's state, as stored: retry a FAILED task, retry or skip a FAILED
 * subtask, ask to cancel a RUNNING one. Each locks the task row first (moving its version) and
 * refuses, with a {@link TaskOperationException} saying which state would allow it, a task or
 * subtask in the wrong state.
 */
final class TaskOperations {

  private final Jdbc jdbc;
  private final TaskRepository tasks;

  TaskOperations(Jdbc jdbc, TaskRepository tasks) {
    this.jdbc = jdbc;
    this.tasks = tasks;
  }

  private record TaskState(TaskStatus status, TaskOperation operation) {}

  /** OCP's task retry: FAILED (not rolling back) → RUNNING, every FAILED subtask → READY/RETRY. */
  int retryTask(long taskId) {
    return jdbc.inTransaction(
        () -> {
          TaskState task =
              jdbc.queryOne(
                      "select status, operation from task_instance where id = ? for update",
                      params(taskId),
                      rs ->
                          new TaskState(
                              TaskStatus.valueOf(rs.getString(1)),
                              TaskOperation.valueOf(rs.getString(2))))
                  .orElseThrow(() -> TaskRepository.notFound("task " + taskId));
          refuseWhileGated(taskId);
          if (task.status() != TaskStatus.FAILED || task.operation() == TaskOperation.ROLLBACK) {
            throw new TaskOperationException(
                TaskOperationException.Reason.CONFLICT,
                "task "
                    + taskId
                    + " is "
                    + task.status()
                    + ": only a FAILED task can be retried"
                    + (task.status() == TaskStatus.RUNNING
                        ? "; wait for it to finish or cancel its running subtask"
                        : ""));
          }
          int n =
              jdbc.update(
                  "update subtask_instance set status = ?, operation = ?, executor = null where"
                      + " task_id = ? and status = ?",
                  params(
                      SubtaskStatus.READY, SubtaskOperation.RETRY, taskId, SubtaskStatus.FAILED));
          reopenTask(taskId);
          return n;
        });
  }

  private void reopenTask(long taskId) {
    jdbc.update(
        "update task_instance set status = ?, operation = ?, finish_time = null, version ="
            + " version + 1 where id = ?",
        params(TaskStatus.RUNNING, TaskOperation.RETRY, taskId));
  }

  /**
   * OCP's subtask retry (FAILED, not a rollback → READY/RETRY) and skip (FAILED → READY/SKIP, the
   * engine then marks it successful without running it). Reopens the task.
   */
  SubtaskInstance reschedule(long taskId, long subtaskId, SubtaskOperation operation) {
    return jdbc.inTransaction(
        () -> {
          SubtaskInstance s = lockedSubtask(taskId, subtaskId);
          refuseWhileGated(taskId);
          if (s.status() != SubtaskStatus.FAILED
              || (operation == SubtaskOperation.RETRY
                  && s.operation() == SubtaskOperation.ROLLBACK)) {
            throw wrongState(
                s,
                "only a FAILED subtask can be "
                    + (operation == SubtaskOperation.SKIP ? "skipped" : "retried"));
          }
          jdbc.update(
              "update subtask_instance set status = ?, operation = ?, executor = null where id ="
                  + " ? and status = ?",
              params(SubtaskStatus.READY, operation, subtaskId, SubtaskStatus.FAILED));
          reopenTask(taskId);
          return tasks.findSubtask(taskId, subtaskId).orElseThrow();
        });
  }

  /** OCP's cancel: RUNNING → CANCELING; its executor interrupts it and it ends FAILED. */
  SubtaskInstance requestCancel(long taskId, long subtaskId, String by) {
    return jdbc.inTransaction(
        () -> {
          SubtaskInstance s = lockedSubtask(taskId, subtaskId);
          if (s.status() != SubtaskStatus.RUNNING) {
            throw wrongState(s, "only a RUNNING subtask can be cancelled");
          }
          jdbc.update(
              "update subtask_instance set status = ?, operation = ?, cancel_requested_by = ?"
                  + " where id = ? and status = ?",
              params(
                  SubtaskStatus.CANCELING,
                  SubtaskOperation.CANCEL,
                  by,
                  subtaskId,
                  SubtaskStatus.RUNNING));
          return tasks.findSubtask(taskId, subtaskId).orElseThrow();
        });
  }

  /** Locks the task row and reads the subtask, or says which of the two does not exist. */
  private SubtaskInstance lockedSubtask(long taskId, long subtaskId) {
    if (!tasks.bumpVersion(taskId)) {
      throw TaskRepository.notFound("task " + taskId);
    }
    return tasks
        .findSubtask(taskId, subtaskId)
        .orElseThrow(() -> TaskRepository.notFound("subtask " + subtaskId + " of task " + taskId));
  }

  private static TaskOperationException wrongState(SubtaskInstance s, String rule) {
    return new TaskOperationException(
        TaskOperationException.Reason.CONFLICT,
        "subtask " + s.id() + " (" + s.name() + ") is " + s.status() + ": " + rule);
  }

  // ---------------------------------------------------------------- gate

  TaskGate gate(long taskId) {
    return jdbc.queryOne(
            "select gate from task_instance where id = ?",
            params(taskId),
            rs -> rs.getString(1) == null ? TaskGate.NONE : TaskGate.valueOf(rs.getString(1)))
        .orElseThrow(() -> TaskRepository.notFound("task " + taskId));
  }

  /** A HELD task can't be retried (nothing ran), a REFUSED one never runs. */
  private void refuseWhileGated(long taskId) {
    TaskGate gate = gate(taskId);
    if (gate == TaskGate.HELD) {
      throw new TaskOperationException(
          TaskOperationException.Reason.CONFLICT,
          "task " + taskId + " waits for its approval; nothing of it has run yet");
    }
    if (gate == TaskGate.REFUSED) {
      throw new TaskOperationException(
          TaskOperationException.Reason.CONFLICT,
          "task " + taskId + " was refused before it ran and can never run; ask for it again");
    }
  }

  private static final String ROOT =
      " and not exists (select 1 from subtask_edge e where e.downstream_id = subtask_instance.id)";

  /** Lets a HELD task's root subtasks run: takes the gate off their pending upstreams. */
  void openGate(long taskId) {
    jdbc.inTransaction(
        () -> {
          lockHeld(taskId);
          jdbc.update(
              "update subtask_instance set pending_upstreams = pending_upstreams - 1 where"
                  + " task_id = ? and status = ?"
                  + ROOT,
              params(taskId, SubtaskStatus.PENDING));
          jdbc.update(
              "update subtask_instance set status = ? where task_id = ? and status = ? and"
                  + " pending_upstreams <= 0",
              params(SubtaskStatus.READY, taskId, SubtaskStatus.PENDING));
          return setGate(taskId, TaskGate.OPEN);
        });
  }

  /**
   * What refusing a gate changed: the root subtask whose log got the reason, and the task's end.
   */
  record Refused(long firstSubtaskId, ExecutionRepository.TaskEnd end) {}

  /**
   * Ends a HELD task FAILED without running anything: its root subtasks FAILED with {@code reason},
   * the reason in the first one's log, the gate REFUSED.
   */
  Refused refuseGate(long taskId, String reason, OffsetDateTime now) {
    return jdbc.inTransaction(
        () -> {
          lockHeld(taskId);
          long first =
              jdbc.queryOne(
                      "select min(id) from subtask_instance where task_id = ?" + ROOT,
                      params(taskId),
                      rs -> rs.getLong(1))
                  .orElseThrow();
          jdbc.update(
              "update subtask_instance set status = ?, finish_time = ?, error_message = ? where"
                  + " task_id = ? and status = ?"
                  + ROOT,
              params(
                  SubtaskStatus.FAILED,
                  now,
                  TaskRepository.truncate(reason, 4000),
                  taskId,
                  SubtaskStatus.PENDING));
          tasks.appendLogs(List.of(new TaskRepository.LogLine(first, reason)), now);
          jdbc.update(
              "update task_instance set status = ?, finish_time = ? where id = ?",
              params(TaskStatus.FAILED, now, taskId));
          setGate(taskId, TaskGate.REFUSED);
          ExecutionRepository.TaskEnd end =
              jdbc.queryOne(
                      "select name, start_time from task_instance where id = ?",
                      params(taskId),
                      rs ->
                          new ExecutionRepository.TaskEnd(
                              taskId,
                              rs.getString(1),
                              TaskStatus.FAILED,
                              rs.getObject(2, OffsetDateTime.class),
                              now))
                  .orElseThrow();
          return new Refused(first, end);
        });
  }

  /** Locks a task (moving its version) and checks it is HELD. */
  private void lockHeld(long taskId) {
    if (!tasks.bumpVersion(taskId)) {
      throw TaskRepository.notFound("task " + taskId);
    }
    TaskGate gate = gate(taskId);
    if (gate != TaskGate.HELD) {
      throw new TaskOperationException(
          TaskOperationException.Reason.CONFLICT,
          "task " + taskId + " is not waiting at its gate (gate " + gate + ")");
    }
  }

  private int setGate(long taskId, TaskGate gate) {
    return jdbc.update("update task_instance set gate = ? where id = ?", params(gate, taskId));
  }
}
