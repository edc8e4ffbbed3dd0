package io.obops.core;

/** A subtask instance id (unique across tasks). Always at least 1. */
public record SubtaskId(long value) {

  public SubtaskId {
    if (value < 1) {
      throw new IllegalArgumentException("a subtask id is at least 1, was " + value);
    }
  }

  /** Parses the one spelling of an id (see {@link Ids}); anything else is a {@link Refused}. */
  public static SubtaskId parse(String field, String raw) {
    return new SubtaskId(Ids.parse(field, raw));
  }

  @Override
  public String toString() {
    return String.valueOf(value);
  }
}
