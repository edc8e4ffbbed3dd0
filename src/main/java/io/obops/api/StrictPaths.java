package io.obops.api;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.filter.OncePerRequestFilter;
import tools.jackson.databind.ObjectMapper;

/**
 * Every API path in its one plain form, before anything else reads it: {@code /}-separated segments
 * of letters, digits, {@code _ . -}, no empty segment, no trailing slash, no {@code .} or {@code
 * ..} segment, no percent-encoding, no matrix parameters ({@code ;}). So the path the id codec sees
 * is the path the client sent: {@code /clusters/%31} or {@code /clusters/1;x} is a 400 here, never
 * cluster 1 after Spring decoded or stripped it. OPTIONS and TRACE are refused (405): the API is
 * not for browsers. This filter decides nothing about authorization.
 */
final class StrictPaths extends OncePerRequestFilter implements Ordered {

  private static final Pattern PLAIN = Pattern.compile("(/[A-Za-z0-9_-][A-Za-z0-9_.-]*)+");
  private static final Set<String> METHODS =
      Set.of("GET", "HEAD", "POST", "PUT", "DELETE", "PATCH");

  private final OcpResponses responses;
  private final ObjectMapper json;

  StrictPaths(OcpResponses responses, ObjectMapper json) {
    this.responses = responses;
    this.json = json;
  }

  @Override
  public int getOrder() {
    return Ordered.HIGHEST_PRECEDENCE + 10; // after RequestTrace, before Spring Security
  }

  @Override
  protected boolean shouldNotFilter(HttpServletRequest request) {
    return !request.getRequestURI().startsWith("/api/") && !request.getRequestURI().equals("/api");
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String method = request.getMethod();
    if (!METHODS.contains(method)) {
      refuse(
          request,
          response,
          HttpStatus.METHOD_NOT_ALLOWED,
          method + " is not supported by obops' API; use the methods the README lists");
      return;
    }
    String path = request.getRequestURI();
    if (!PLAIN.matcher(path).matches() || path.contains("/.")) {
      refuse(
          request,
          response,
          HttpStatus.BAD_REQUEST,
          "malformed path: write it plainly, e.g. /api/v2/tasks/instances/1000 (no"
              + " percent-encoding, ';' parameters, empty or dot segments, or trailing '/')");
      return;
    }
    chain.doFilter(request, response);
  }

  private void refuse(
      HttpServletRequest request, HttpServletResponse response, HttpStatus status, String message)
      throws IOException {
    response.setStatus(status.value());
    response.setContentType(MediaType.APPLICATION_JSON_VALUE);
    json.writeValue(response.getOutputStream(), responses.error(request, status, message));
  }
}
