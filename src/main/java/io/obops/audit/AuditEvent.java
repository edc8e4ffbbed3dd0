package io.obops.audit;

import java.time.OffsetDateTime;

/** A recorded audit entry, as served by the API and the export. */
public record AuditEvent(
    long id,
    OffsetDateTime time,
    String principal,
    String surface,
    String action,
    String outcome,
    Long clusterId,
    Long requestId,
    Long taskId,
    String detail) {}
