package io.obops.audit;

import io.obops.task.TaskClient;
import io.obops.task.TaskEvent;
import io.obops.task.TaskEventListener;
import io.obops.task.TaskInstance;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Records what the engine reports on its own: failed and skipped subtasks and finished tasks. The
 * people behind retries, skips and cancels are recorded by the operations layer where they ask
 * ({@code io.obops.operations.TaskOperations}); task creation is recorded with the approval request
 * that created it.
 */
final class TaskAuditListener implements TaskEventListener {

  private final TaskClient tasks;
  private final AuditLog audit;
  private final Map<Long, Long> clusterOfTask = new ConcurrentHashMap<>();

  public TaskAuditListener(TaskClient tasks, AuditLog audit) {
    this.tasks = tasks;
    this.audit = audit;
  }

  @Override
  public void onEvent(TaskEvent event) {
    AuditEntry entry = null;
    if (event instanceof TaskEvent.SubtaskFailed f) {
      entry =
          AuditEntry.bySystem("subtask.fail", "FAILED")
              .detail(subtask(f.name(), f.subtaskId(), f.parallelIdx()) + ": " + f.error());
    } else if (event instanceof TaskEvent.SubtaskSucceeded s && s.skipped()) {
      entry =
          AuditEntry.bySystem("subtask.skip", "SKIPPED")
              .detail(subtask(s.name(), s.subtaskId(), s.parallelIdx()) + " marked successful");
    } else if (event instanceof TaskEvent.TaskFinished t) {
      entry =
          AuditEntry.bySystem("task.finish", t.status().name())
              .detail(t.name() + " finished " + t.status() + " after " + t.duration());
    }
    if (entry == null) {
      return;
    }
    audit.record(entry.task(event.taskId()).cluster(clusterOf(event.taskId())));
    if (event instanceof TaskEvent.TaskFinished) {
      clusterOfTask.remove(event.taskId());
    }
  }

  private Long clusterOf(long taskId) {
    Long known = clusterOfTask.get(taskId);
    if (known != null) {
      return known;
    }
    Long cluster = tasks.find(taskId).map(TaskInstance::target).map(t -> t.id()).orElse(null);
    if (cluster != null) {
      clusterOfTask.put(taskId, cluster);
    }
    return cluster;
  }

  private static String subtask(String name, long id, int parallelIdx) {
    return "subtask " + id + " (" + name + (parallelIdx >= 0 ? " #" + parallelIdx : "") + ")";
  }
}
