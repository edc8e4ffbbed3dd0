/**
 * REST on OCP's paths ({@code /api/v2/...}), delegating only: the OCP envelope ({@link
 * io.obops.api.OcpResponse}, keys alphabetical, 16-hex {@code traceId} also in the request's logs,
 * {@code duration} in ms), OCP's error envelope for every refusal ({@link io.obops.api.ApiErrors}:
 * a message that says what to do, never a stack trace), the task views in the exact shape of OCP's
 * "Stop OB cluster" sample.
 *
 * <p>Security ({@link io.obops.api.ApiSecurity}): every endpoint but {@code /actuator/health} needs
 * a bearer token, which stands for {@code api:<name>}; 401 and 403 come in the error envelope.
 * {@link io.obops.api.TaskAccess} checks {@code cluster.view} for reading clusters and tasks and
 * {@code task.manage} for retry / skip / cancel (and audits them). {@link
 * io.obops.api.ApprovalController} serves the stop request and the approvals, {@link
 * io.obops.api.AuditController} the audit log; {@link io.obops.api.ApprovalErrors} maps their
 * refusals to 403 / 404 / 409 / 422.
 */
package io.obops.api;
