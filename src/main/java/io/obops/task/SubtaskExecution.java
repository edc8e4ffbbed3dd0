package io.obops.task;

import java.time.Clock;

/** What a {@link SubtaskHandler} sees of the subtask it runs. Valid only during the call. */
public interface SubtaskExecution {

  long taskId();

  long subtaskId();

  String name();

  /** The copy index of a split node, or -1 for a single node. */
  int parallelIdx();

  /** The task's context as of the claim. */
  TaskContext context();

  /** Element {@link #parallelIdx()} of the context list {@code key}; fails for a single node. */
  String parallelValue(String key);

  /** Sets a string entry of the task's context, persisted at once. */
  void putContextString(String key, String value);

  /** Appends to this subtask's log (persisted, and announced as an event). No secrets. */
  SubtaskLog log();

  /** True once someone asked to cancel this execution (the thread is interrupted too). */
  boolean cancelRequested();

  Clock clock();
}
