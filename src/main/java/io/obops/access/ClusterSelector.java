package io.obops.access;

import java.util.Set;

/**
 * Picks clusters by id, name or tag; a cluster matches when any listed id, name or tag matches. An
 * absent selector ({@link #ALL}) matches every cluster.
 */
record ClusterSelector(Set<Long> ids, Set<String> names, Set<String> tags) {

  public static final ClusterSelector ALL = new ClusterSelector(null, null, null);

  public ClusterSelector {
    ids = ids == null ? null : Set.copyOf(ids);
    names = names == null ? null : Set.copyOf(names);
    tags = tags == null ? null : Set.copyOf(tags);
  }

  public boolean matchesAll() {
    return ids == null && names == null && tags == null;
  }

  public boolean matches(ClusterRef cluster) {
    if (matchesAll()) {
      return true;
    }
    return (ids != null && ids.contains(cluster.id()))
        || (names != null && names.contains(cluster.name()))
        || (tags != null && cluster.tags().stream().anyMatch(tags::contains));
  }
}
