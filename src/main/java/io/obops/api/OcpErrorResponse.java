package io.obops.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;

/**
 * OCP's {@code ErrorResponse}: {@code successful=false} and an {@code error} a person can act on.
 */
@JsonPropertyOrder(alphabetic = true)
record OcpErrorResponse(
    long duration,
    Error error,
    String server,
    int status,
    boolean successful,
    String timestamp,
    String traceId) {

  /** A code (the HTTP status), a message that says what to do, and the request path. */
  @JsonPropertyOrder(alphabetic = true)
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Error(int code, String message, String target) {}
}
