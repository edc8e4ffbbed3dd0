package io.obops.core;

/** A task instance id, as in {@code /api/v2/tasks/instances/{id}}. Always at least 1. */
public record TaskId(long value) {

  public TaskId {
    if (value < 1) {
      throw new IllegalArgumentException("a task id is at least 1, was " + value);
    }
  }

  /** Parses the one spelling of an id (see {@link Ids}); anything else is a {@link Refused}. */
  public static TaskId parse(String field, String raw) {
    return new TaskId(Ids.parse(field, raw));
  }

  @Override
  public String toString() {
    return String.valueOf(value);
  }
}
