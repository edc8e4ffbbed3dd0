package io.obops.task;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;

/** What a handler sees of the subtask it runs ({@link SubtaskExecution}), for one execution. */
final class Execution implements SubtaskExecution {

  private final Running running;
  private final SubtaskInstance subtask;
  private final TaskRepository tasks;
  private final Events events;
  private final Clock clock;
  private TaskContext context;

  Execution(Running running, TaskRepository tasks, Events events, Clock clock) {
    this.running = running;
    this.subtask = running.subtask();
    this.context = running.claimed.context();
    this.tasks = tasks;
    this.events = events;
    this.clock = clock;
  }

  @Override
  public long taskId() {
    return subtask.taskId();
  }

  @Override
  public long subtaskId() {
    return subtask.id();
  }

  @Override
  public String name() {
    return subtask.name();
  }

  @Override
  public int parallelIdx() {
    return subtask.parallelIdx();
  }

  @Override
  public SubtaskTarget target() {
    return subtask.target();
  }

  @Override
  public TaskContext context() {
    return context;
  }

  @Override
  public String parallelValue(String key) {
    List<String> values = context.list(key);
    if (subtask.parallelIdx() < 0 || subtask.parallelIdx() >= values.size()) {
      throw new IllegalStateException(
          "subtask "
              + subtask.id()
              + " ("
              + subtask.name()
              + ") has no element "
              + subtask.parallelIdx()
              + " in context list '"
              + key
              + "'");
    }
    return values.get(subtask.parallelIdx());
  }

  @Override
  public void putContextString(String key, String value) {
    tasks.putContextString(subtask.taskId(), key, value);
    context = context.withString(key, value);
  }

  @Override
  public SubtaskLog log() {
    return new SubtaskLog() {
      @Override
      public void append(String line) {
        events.logLine(subtask.taskId(), subtask.id(), line);
      }

      @Override
      public void appendAll(List<String> lines) {
        events.logLines(subtask.taskId(), subtask.id(), lines);
      }
    };
  }

  @Override
  public void milestone(String kind, Map<String, String> data) {
    if (kind == null || kind.isBlank() || kind.length() > 64) {
      throw new IllegalArgumentException(
          "a milestone kind is a name of 1 to 64 characters, was '" + kind + "'");
    }
    Milestone m =
        tasks.addMilestone(subtask.taskId(), subtask.id(), kind, data, OffsetDateTime.now(clock));
    events.emit(new TaskEvent.MilestoneRecorded(subtask.taskId(), m));
  }

  @Override
  public boolean cancelRequested() {
    return running.cancelled;
  }

  @Override
  public Clock clock() {
    return clock;
  }
}
