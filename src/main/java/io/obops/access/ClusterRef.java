package io.obops.access;

import java.util.List;

/** The facts about a cluster that selectors look at. */
public record ClusterRef(long id, String name, List<String> tags) {

  public ClusterRef {
    tags = List.copyOf(tags);
  }
}
