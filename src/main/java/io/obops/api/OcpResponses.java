package io.obops.api;

import io.obops.ocp.OcpResponse;
import io.obops.ocp.OcpTime;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Clock;
import java.time.ZoneId;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;

/** Builds envelopes for the current request: trace id, duration, server name, timestamp. */
public class OcpResponses {

  private final Clock clock;
  private final ZoneId zone;
  private final String server;

  public OcpResponses(Clock clock, ZoneId zone, String server) {
    this.clock = clock;
    this.zone = zone;
    this.server = server;
  }

  public ZoneId zone() {
    return zone;
  }

  public <T> ResponseEntity<OcpResponse<T>> ok(HttpServletRequest request, T data) {
    return status(request, HttpStatus.OK, data);
  }

  public <T> ResponseEntity<OcpResponse<T>> status(
      HttpServletRequest request, HttpStatus status, T data) {
    return ResponseEntity.status(status)
        .body(
            new OcpResponse<>(
                data,
                duration(request),
                server,
                status.value(),
                true,
                OcpTime.format(clock.instant(), zone),
                traceId(request)));
  }

  public OcpErrorResponse error(HttpServletRequest request, HttpStatus status, String message) {
    return new OcpErrorResponse(
        duration(request),
        new OcpErrorResponse.Error(status.value(), message, request.getRequestURI()),
        server,
        status.value(),
        false,
        OcpTime.format(clock.instant(), zone),
        traceId(request));
  }

  private long duration(HttpServletRequest request) {
    return request.getAttribute(RequestTrace.STARTED) instanceof Long started
        ? clock.millis() - started
        : 0L;
  }

  private static String traceId(HttpServletRequest request) {
    return (String) request.getAttribute(RequestTrace.TRACE_ID);
  }
}
