package io.obops.task;

import java.time.OffsetDateTime;
import java.util.List;

/**
 * A task as stored: OCP's TaskInstance with its subtasks sorted by id. {@code version} grows with
 * every change a reader cares about (see {@link TaskClient#versions}).
 */
public record TaskInstance(
    long id,
    String name,
    TaskStatus status,
    TaskOperation operation,
    Creator creator,
    TaskTarget target,
    TaskContext context,
    OffsetDateTime startTime,
    OffsetDateTime finishTime,
    long version,
    List<SubtaskInstance> subtasks) {

  public boolean finished() {
    return status != TaskStatus.RUNNING;
  }
}
