/**
 * The append-only audit log: every approval request, decision, expiry, cancellation, task start,
 * retry, skip, subtask cancel and failure, with who (principal), from where (surface: discord, web,
 * api, or system for obops' own housekeeping), when, on which cluster, the outcome and a detail
 * text. {@link io.obops.audit.AuditLog} only inserts and reads; nothing updates or deletes a row.
 *
 * <p>Entries for a change are written in the change's transaction (an approval and its audit commit
 * together); refusals are written by the operations layer, uniformly for every surface, after the
 * refused transaction rolled back (outcome REFUSED, the refusal's code and description). Engine
 * events arrive through {@link io.obops.audit.TaskAuditListener}. Served as {@code GET
 * /api/v2/audit} (paged like OCP) and {@code GET /api/v2/audit/export} (JSON Lines).
 */
package io.obops.audit;
