package io.obops.task;

import java.time.Duration;

/**
 * What the engine announces. Events are delivered after the change is committed, on the thread that
 * made it, and only on the engine instance that made it: a reporter that must see every instance's
 * work reads the stored state instead ({@link TaskClient#versions}, {@link TaskClient#milestones}).
 */
public sealed interface TaskEvent {

  long taskId();

  record TaskCreated(long taskId, String name) implements TaskEvent {}

  record SubtaskStarted(long taskId, long subtaskId, String name, int parallelIdx)
      implements TaskEvent {}

  record SubtaskSucceeded(
      long taskId, long subtaskId, String name, int parallelIdx, Duration duration, boolean skipped)
      implements TaskEvent {}

  record SubtaskFailed(
      long taskId, long subtaskId, String name, int parallelIdx, Duration duration, String error)
      implements TaskEvent {}

  record SubtaskLogLine(long taskId, long subtaskId, String line) implements TaskEvent {}

  /** A handler recorded a milestone (it is stored; any instance reads it with the task). */
  record MilestoneRecorded(long taskId, Milestone milestone) implements TaskEvent {}

  record TaskFinished(long taskId, String name, TaskStatus status, Duration duration)
      implements TaskEvent {}
}
