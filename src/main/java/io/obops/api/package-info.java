/**
 * REST on OCP's paths ({@code /api/v2/...}), translating only: controllers turn HTTP into calls of
 * the operations layer ({@code io.obops.operations}) and its answers into OCP's envelope ({@link
 * io.obops.api.OcpResponse}, keys alphabetical, 16-hex {@code traceId} also in the request's logs,
 * {@code duration} in ms). {@code POST /api/v2/ob/clusters/{id}/stop} answers like OCP with the
 * task (gated until approved) and the approval request's id in the {@code X-Obops-Approval-Request}
 * header; {@code POST /api/v2/approvals} is the request-only call.
 *
 * <p>Refusals: the core's typed refusals are worded by {@code RestRefusals} (status by kind: 400,
 * 422, 404, 403, 409; messages may name REST paths) in OCP's error envelope ({@link
 * io.obops.api.ApiErrors}); so are Spring's own 4xx and the container's ({@code ContainerErrors},
 * {@code ApiErrorController} for {@code /error}). Never a stack trace; a 5xx caused by input is a
 * defect.
 *
 * <p>Input is strict: {@code StrictPaths} refuses an API path that is not plain (percent-encoding,
 * {@code ;} parameters, empty or dot segments, trailing slash) and methods other than GET, HEAD,
 * POST, PUT, DELETE, PATCH, before anything reads it; {@code ApiInput} converts path ids through
 * the core's one id codec and reads JSON bodies as objects of known string fields.
 *
 * <p>Security ({@link io.obops.api.ApiSecurity}) only authenticates: every endpoint but {@code
 * /actuator/health} needs a credential — a bearer token, an API user's HTTP Basic login, or OCP's
 * access-key signature ({@code ApiAuthenticationFilter}) — which stands for {@code api:<name>}; a
 * 401 comes in the error envelope naming the scheme and why. Refused credentials are audited, and a
 * signed state-changing request accepted once, through {@code
 * io.obops.operations.AuthenticationOperations}. Authorization is the operations layer's, never
 * decided from a URL. Read views in OCP's shape: clusters (filters {@code name}, {@code status},
 * {@code sort}), zones ({@code ObZoneView}) and servers ({@code ObServerView}).
 */
package io.obops.api;
