package io.obops.task;

import java.time.OffsetDateTime;
import java.util.Map;

/**
 * A typed fact a handler recorded with its subtask ({@link SubtaskExecution#milestone}), stored in
 * order with the task so that whoever reports the task, on whichever instance, reads the same
 * facts. {@code kind} says how to read {@code data} (e.g. {@code observer-stopped}); the handler
 * package that records a kind documents its keys. A handler that runs again after a crash records
 * its milestone again: readers keep the last one per subtask and kind.
 */
public record Milestone(
    long id,
    long taskId,
    long subtaskId,
    String kind,
    Map<String, String> data,
    OffsetDateTime recordedAt) {

  public Milestone {
    data = Map.copyOf(data);
  }
}
