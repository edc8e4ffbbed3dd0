package io.obops.core;

/** An approval request id, as in {@code /api/v2/approvals/{id}}. Always at least 1. */
public record RequestId(long value) {

  public RequestId {
    if (value < 1) {
      throw new IllegalArgumentException("a approval request id is at least 1, was " + value);
    }
  }

  /** Parses the one spelling of an id (see {@link Ids}); anything else is a {@link Refused}. */
  public static RequestId parse(String field, String raw) {
    return new RequestId(Ids.parse(field, raw));
  }

  @Override
  public String toString() {
    return String.valueOf(value);
  }
}
