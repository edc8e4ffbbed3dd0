package io.obops.task;

import java.time.Clock;
import java.util.Map;

/** What a {@link SubtaskHandler} sees of the subtask it runs. Valid only during the call. */
public interface SubtaskExecution {

  long taskId();

  long subtaskId();

  String name();

  /** The copy index of a split node, or -1 for a single node. */
  int parallelIdx();

  /** What this copy of a split node works on (e.g. {@code server_ids = 5}); null when unsplit. */
  SubtaskTarget target();

  /** The task's context as of the claim. */
  TaskContext context();

  /** Element {@link #parallelIdx()} of the context list {@code key}; fails for a single node. */
  String parallelValue(String key);

  /** Sets a string entry of the task's context, persisted at once. */
  void putContextString(String key, String value);

  /** Appends to this subtask's log (persisted, and announced as an event). No secrets. */
  SubtaskLog log();

  /**
   * Records a typed milestone with this subtask: stored in order with the task (moving its version)
   * and announced as an event, so a reporter on any instance can read it. {@code kind} (1 to 64
   * characters) names the fact and how to read {@code data}. No secrets.
   */
  void milestone(String kind, Map<String, String> data);

  /** True once someone asked to cancel this execution (the thread is interrupted too). */
  boolean cancelRequested();

  /** The engine's clock: the database's time in production. */
  Clock clock();
}
