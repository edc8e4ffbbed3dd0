package io.obops.task;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The engine's listeners, and the two things every part of the engine announces: events, and
 * subtask log lines (stored, then announced).
 */
final class Events {

  private static final Logger log = LoggerFactory.getLogger(Events.class);

  private final List<TaskEventListener> listeners = new CopyOnWriteArrayList<>();
  private final TaskRepository tasks;
  private final Clock clock;

  Events(TaskRepository tasks, Clock clock) {
    this.tasks = tasks;
    this.clock = clock;
  }

  void add(TaskEventListener listener) {
    listeners.add(listener);
  }

  void emit(TaskEvent event) {
    for (TaskEventListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("task event listener {} failed on {}", l, event, e);
      }
    }
  }

  /** Appends a line to a subtask's log and announces it. */
  void logLine(long taskId, long subtaskId, String line) {
    tasks.appendLogs(
        List.of(new TaskRepository.LogLine(subtaskId, line)), OffsetDateTime.now(clock));
    emit(new TaskEvent.SubtaskLogLine(taskId, subtaskId, line));
  }

  /** Persists several lines of one subtask in one batch, then announces each. */
  void logLines(long taskId, long subtaskId, List<String> lines) {
    if (lines.isEmpty()) {
      return;
    }
    tasks.appendLogs(
        lines.stream().map(l -> new TaskRepository.LogLine(subtaskId, l)).toList(),
        OffsetDateTime.now(clock));
    lines.forEach(l -> emit(new TaskEvent.SubtaskLogLine(taskId, subtaskId, l)));
  }

  /** Announces a task that reached its final status. */
  void finished(ExecutionRepository.TaskEnd end) {
    emit(
        new TaskEvent.TaskFinished(
            end.taskId(),
            end.name(),
            end.status(),
            java.time.Duration.between(end.start(), end.finish())));
  }
}
