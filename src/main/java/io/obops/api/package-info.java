/**
 * REST on OCP's paths ({@code /api/v2/...}), delegating only: the OCP envelope ({@link
 * io.obops.api.OcpResponse}, keys alphabetical, 16-hex {@code traceId} also in the request's logs,
 * {@code duration} in ms), OCP's error envelope for every refusal ({@link io.obops.api.ApiErrors}:
 * a message that says what to do, never a stack trace), the task views in the exact shape of OCP's
 * "Stop OB cluster" sample.
 */
package io.obops.api;
