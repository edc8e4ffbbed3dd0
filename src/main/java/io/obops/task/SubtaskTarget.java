package io.obops.task;

import java.util.Objects;

/**
 * What one copy of a split node works on, stored when the plan is built: the split key of its
 * template stage and its element of that context list, e.g. {@code server_ids = 5} or {@code
 * zone_names = zone1}. An unsplit node has none.
 */
public record SubtaskTarget(String key, String value) {

  public SubtaskTarget {
    Objects.requireNonNull(key, "key");
    Objects.requireNonNull(value, "value");
  }
}
