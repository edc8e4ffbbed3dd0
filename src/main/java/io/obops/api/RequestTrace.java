package io.obops.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.springframework.core.Ordered;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Gives every request a 16-hex-character trace id (OCP's {@code traceId}), in the logs of that
 * request (MDC key {@code traceId}), in the {@code X-Trace-Id} header and in the envelope; records
 * when the request started, for the envelope's {@code duration}.
 */
public class RequestTrace extends OncePerRequestFilter implements Ordered {

  static final String TRACE_ID = "obops.traceId";
  static final String STARTED = "obops.startedMillis";
  private static final Logger log = LoggerFactory.getLogger(RequestTrace.class);

  private final Clock clock;

  public RequestTrace(Clock clock) {
    this.clock = clock;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String traceId = HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong());
    long started = clock.millis();
    request.setAttribute(TRACE_ID, traceId);
    request.setAttribute(STARTED, started);
    response.setHeader("X-Trace-Id", traceId);
    MDC.put("traceId", traceId);
    try {
      chain.doFilter(request, response);
    } finally {
      if (request.getRequestURI().startsWith("/api/")) {
        log.info(
            "{} {} -> {} in {} ms",
            request.getMethod(),
            request.getRequestURI(),
            response.getStatus(),
            clock.millis() - started);
      }
      MDC.remove("traceId");
    }
  }
}
