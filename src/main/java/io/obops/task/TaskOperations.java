package io.obops.task;

import static io.obops.task.Jdbc.params;

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
}
