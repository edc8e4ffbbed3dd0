package io.obops.chat.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * The console's checks on where a request comes from, before any login:
 *
 * <ul>
 *   <li>{@code Host} must name the console: a loopback name or one of {@code
 *       obops.console.allowed-hosts}. A page on another site that re-points its own name at this
 *       machine (DNS rebinding) sends its own name as Host and is refused.
 *   <li>A state-changing call (anything but GET, HEAD, OPTIONS) must carry {@code X-Obops-Console:
 *       1}, which a page from another origin cannot send without a CORS preflight that obops never
 *       grants; its {@code Origin}, when the browser sends one, must be the console's own ({@code
 *       Host}), and {@code Sec-Fetch-Site: cross-site} is refused.
 * </ul>
 *
 * Refusals are 403 with a JSON {@code {"error": "..."}} that says what was wrong.
 */
final class ConsoleRequestGuard extends OncePerRequestFilter {

  static final String CONSOLE_HEADER = "X-Obops-Console";
  private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");
  private static final Pattern IPV4_LOOPBACK =
      Pattern.compile("127\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)(\\.(25[0-5]|2[0-4]\\d|1?\\d?\\d)){2}");

  private final List<String> allowedHosts;

  ConsoleRequestGuard(List<String> allowedHosts) {
    this.allowedHosts = allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String host = request.getHeader("Host");
    String hostName = hostName(host);
    if (hostName == null || !accepted(hostName)) {
      refuse(
          response,
          "this console answers only to localhost, 127.0.0.1, [::1] and the names in"
              + " obops.console.allowed-hosts; the request was addressed to '"
              + printable(host)
              + "'. Open the console by one of those names, or add this server's name to"
              + " obops.console.allowed-hosts");
      return;
    }
    if (!SAFE_METHODS.contains(request.getMethod())) {
      if (!"1".equals(request.getHeader(CONSOLE_HEADER))) {
        refuse(response, "console calls need the header " + CONSOLE_HEADER + ": 1");
        return;
      }
      if ("cross-site".equalsIgnoreCase(request.getHeader("Sec-Fetch-Site"))) {
        refuse(response, "a page of another site may not act in this console");
        return;
      }
      String origin = request.getHeader("Origin");
      if (origin != null && !sameAuthority(origin, host)) {
        refuse(
            response,
            "a page from '"
                + printable(origin)
                + "' may not act in this console; use the console's own page");
        return;
      }
    }
    chain.doFilter(request, response);
  }

  private boolean accepted(String hostName) {
    return isLoopbackName(hostName) || allowedHosts.contains(hostName);
  }

  /** Names that always mean this machine: localhost, *.localhost, 127.x.x.x and [::1]. */
  static boolean isLoopbackName(String hostName) {
    return hostName.equals("localhost")
        || hostName.endsWith(".localhost")
        || hostName.equals("[::1]")
        || IPV4_LOOPBACK.matcher(hostName).matches();
  }

  /** The host part of a Host header, lower case, without the port; null if malformed. */
  static String hostName(String host) {
    if (host == null || host.isBlank()) {
      return null;
    }
    String h = host.strip().toLowerCase(Locale.ROOT);
    String name;
    String port;
    if (h.startsWith("[")) {
      int close = h.indexOf(']');
      if (close < 0) {
        return null;
      }
      name = h.substring(0, close + 1);
      port = h.substring(close + 1);
    } else {
      int colon = h.indexOf(':');
      name = colon < 0 ? h : h.substring(0, colon);
      port = colon < 0 ? "" : h.substring(colon);
    }
    if (!port.isEmpty() && !port.matches(":[0-9]{1,5}")) {
      return null;
    }
    if (name.endsWith(".") && name.length() > 1) {
      name = name.substring(0, name.length() - 1); // "localhost." is "localhost"
    }
    return name.matches("\\[[0-9a-f:.]+\\]|[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?") ? name : null;
  }

  /** Whether the Origin header's host and port are the Host header's (same origin). */
  static boolean sameAuthority(String origin, String host) {
    try {
      URI uri = new URI(origin.strip());
      if (uri.getHost() == null
          || !("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))) {
        return false; // "null" (a sandboxed or file page) and anything else that is not a site
      }
      int port = uri.getPort() >= 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : 80;
      String originHost = uri.getHost().toLowerCase(Locale.ROOT);
      String h = host.strip().toLowerCase(Locale.ROOT);
      String hostOnly = hostName(h);
      int colon = h.lastIndexOf(':');
      int hostPort =
          colon > h.lastIndexOf(']') && colon >= 0
              ? Integer.parseInt(h.substring(colon + 1))
              : "https".equals(uri.getScheme()) ? 443 : 80;
      return originHost.equals(hostOnly) && port == hostPort;
    } catch (URISyntaxException | RuntimeException e) {
      return false;
    }
  }

  /** Header text safe to echo: printable ASCII only, at most 100 characters. */
  private static String printable(String value) {
    if (value == null) {
      return "";
    }
    String clean = value.replaceAll("[^\\x20-\\x7e]", "?");
    return clean.length() > 100 ? clean.substring(0, 100) + "…" : clean;
  }

  private static void refuse(HttpServletResponse response, String message) throws IOException {
    response.setStatus(HttpServletResponse.SC_FORBIDDEN);
    response.setContentType("application/json");
    response.setCharacterEncoding(StandardCharsets.UTF_8.name());
    response
        .getWriter()
        .write("{\"error\":\"" + message.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}");
  }
}
