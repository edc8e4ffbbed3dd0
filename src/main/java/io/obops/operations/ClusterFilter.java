package io.obops.operations;

import io.obops.cluster.ObCluster;
import io.obops.cluster.ObClusterStatus;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import java.util.Arrays;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The cluster list's filters, as OCP documents them: {@code name} (a keyword the name contains,
 * case-insensitive), {@code status} (one or more OCP statuses, comma-separated), {@code sort}
 * ({@code <field>} or {@code <field>,asc|desc}, fields {@code id}, {@code name}, {@code status},
 * {@code obClusterId}; by id ascending when absent). Parsed strictly; a value it does not know is
 * refused with the values it does.
 */
public record ClusterFilter(
    String name, Set<ObClusterStatus> statuses, String sortField, boolean descending) {

  public static final ClusterFilter NONE = new ClusterFilter(null, Set.of(), "id", false);

  private static final List<String> FIELDS = List.of("id", "name", "status", "obClusterId");

  public ClusterFilter {
    statuses = statuses.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(statuses));
  }

  public static ClusterFilter parse(String name, String status, String sort) {
    Set<ObClusterStatus> statuses = EnumSet.noneOf(ObClusterStatus.class);
    if (status != null) {
      for (String s : status.split(",", -1)) {
        statuses.add(status(s.strip()));
      }
    }
    String field = "id";
    boolean descending = false;
    if (sort != null) {
      String[] parts = sort.split(",", -1);
      field = parts[0].strip();
      if (!FIELDS.contains(field)) {
        throw new Refused(new Refusal.UnknownValue("sort field", field, FIELDS));
      }
      if (parts.length > 2) {
        throw new Refused(
            new Refusal.UnknownValue("sort", sort, List.of("<field>,asc", "<field>,desc")));
      }
      if (parts.length == 2) {
        String dir = parts[1].strip().toLowerCase(Locale.ROOT);
        if (!dir.equals("asc") && !dir.equals("desc")) {
          throw new Refused(
              new Refusal.UnknownValue("sort direction", parts[1], List.of("asc", "desc")));
        }
        descending = dir.equals("desc");
      }
    }
    return new ClusterFilter(
        name == null || name.isBlank() ? null : name.strip(), statuses, field, descending);
  }

  private static ObClusterStatus status(String s) {
    try {
      return ObClusterStatus.valueOf(s.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new Refused(
          new Refusal.UnknownValue(
              "status", s, Arrays.stream(ObClusterStatus.values()).map(Enum::name).toList()));
    }
  }

  Predicate<ObCluster> matches() {
    String keyword = name == null ? null : name.toLowerCase(Locale.ROOT);
    return c ->
        (keyword == null || c.name().toLowerCase(Locale.ROOT).contains(keyword))
            && (statuses.isEmpty() || statuses.contains(c.status()));
  }

  Comparator<ObCluster> order() {
    Comparator<ObCluster> by =
        switch (sortField) {
          case "name" -> Comparator.comparing(ObCluster::name);
          case "status" -> Comparator.comparing(c -> c.status().name());
          case "obClusterId" -> Comparator.comparingLong(ObCluster::obClusterId);
          default -> Comparator.comparingLong(ObCluster::id);
        };
    by = descending ? by.reversed() : by;
    return by.thenComparingLong(ObCluster::id);
  }
}
