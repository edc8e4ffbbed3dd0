package io.obops.audit;

import java.time.OffsetDateTime;
import java.util.Set;

/**
 * Filters for reading the log; null means "any". {@code to} is exclusive. {@code visibleClusters}
 * limits the result to events on those clusters plus cluster-less events of {@code viewer}; null
 * means no limit (internal use).
 */
public record AuditQuery(
    Long clusterId,
    String principal,
    OffsetDateTime from,
    OffsetDateTime to,
    Long requestId,
    Set<Long> visibleClusters,
    String viewer) {

  public static final AuditQuery ALL = new AuditQuery(null, null, null, null, null, null, null);

  public AuditQuery {
    visibleClusters = visibleClusters == null ? null : Set.copyOf(visibleClusters);
  }
}
