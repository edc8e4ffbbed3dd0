package io.obops.core;

/**
 * An OCP cluster id, as in {@code /api/v2/ob/clusters/{id}} and {@code /obcluster stop 1}. Always
 * at least 1.
 */
public record ClusterId(long value) {

  public ClusterId {
    if (value < 1) {
      throw new IllegalArgumentException("a cluster id is at least 1, was " + value);
    }
  }

  /** Parses the one spelling of an id (see {@link Ids}); anything else is a {@link Refused}. */
  public static ClusterId parse(String field, String raw) {
    return new ClusterId(Ids.parse(field, raw));
  }

  @Override
  public String toString() {
    return String.valueOf(value);
  }
}
