package io.obops.api;

import io.obops.access.AccessKeys;
import io.obops.access.ApiTokens;
import io.obops.access.ApiUsers;
import io.obops.access.OcpSignature;
import io.obops.operations.AuthenticationOperations;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates an API call by its {@code Authorization} header, in one of three schemes that each
 * stand for a principal {@code api:<name>}: {@code Bearer <token>} ({@link ApiTokens}), {@code
 * Basic} with an API user ({@link ApiUsers}), and OCP's {@code OCP-ACCESS-KEY-HMACSHA1
 * <id>:<signature>} ({@link AccessKeys}, checked against the server's clock). A presented
 * credential that fails is audited through the operations layer and leaves the request
 * unauthenticated with the reason in {@link #FAILURE}, which the 401 says. Secrets are never
 * logged, audited or echoed; key ids and user names are shown only when configured.
 */
final class ApiAuthenticationFilter extends OncePerRequestFilter {

  /** Request attribute: why the presented credential was refused, in words for the client. */
  static final String FAILURE = ApiAuthenticationFilter.class.getName() + ".failure";

  /** Methods whose signed requests may be sent again (reads); any other is accepted once. */
  private static final java.util.Set<String> SAFE_METHODS =
      java.util.Set.of("GET", "HEAD", "OPTIONS");

  /** The largest body a signed request may have (the signature covers its MD5). */
  static final int MAX_SIGNED_BODY = 1 << 20;

  private final ApiTokens tokens;
  private final ApiUsers users;
  private final AccessKeys keys;
  private final Clock clock;
  private final AuthenticationOperations audit;

  ApiAuthenticationFilter(
      ApiTokens tokens,
      ApiUsers users,
      AccessKeys keys,
      Clock clock,
      AuthenticationOperations audit) {
    this.tokens = tokens;
    this.users = users;
    this.keys = keys;
    this.clock = clock;
    this.audit = audit;
  }

  @Override
  protected void doFilterInternal(
      HttpServletRequest request, HttpServletResponse response, FilterChain chain)
      throws ServletException, IOException {
    String header = request.getHeader("Authorization");
    HttpServletRequest forward = request;
    if (header != null && !header.isBlank()) {
      if (header.regionMatches(true, 0, "Bearer ", 0, 7)) {
        bearer(request, header.substring(7).trim());
      } else if (header.regionMatches(true, 0, "Basic ", 0, 6)) {
        basic(request, header.substring(6).trim());
      } else if (AccessKeys.isScheme(header)) {
        BufferedBodyRequest buffered = BufferedBodyRequest.read(request, MAX_SIGNED_BODY);
        if (buffered == null) {
          refuse(
              request,
              null,
              OcpSignature.SCHEME,
              "the body is larger than "
                  + MAX_SIGNED_BODY
                  + " bytes, more than obops checks a signature over; send a smaller body");
        } else {
          forward = buffered;
          signed(buffered, header);
        }
      } else {
        refuse(
            request,
            null,
            scheme(header),
            "the Authorization header must be 'Bearer <token>', 'Basic <base64 of"
                + " name:password>' or '"
                + OcpSignature.SCHEME
                + " <accessKeyId>:<signature>'");
      }
    }
    try {
      chain.doFilter(forward, response);
    } finally {
      SecurityContextHolder.clearContext();
    }
  }

  private void bearer(HttpServletRequest request, String token) {
    Optional<String> principal = tokens.principal(token);
    if (principal.isPresent()) {
      authenticate(principal.get());
    } else {
      refuse(
          request,
          null,
          "Bearer",
          "the API token is not valid (unknown or revoked); ask an obops operator for a current"
              + " one");
    }
  }

  private void basic(HttpServletRequest request, String encoded) {
    String decoded;
    try {
      decoded = new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      decoded = null;
    }
    int colon = decoded == null ? -1 : decoded.indexOf(':');
    if (colon < 0) {
      refuse(
          request,
          null,
          "Basic",
          "the Authorization header must be 'Basic <base64 of name:password>'");
      return;
    }
    String name = decoded.substring(0, colon);
    Optional<String> principal = users.principal(name, decoded.substring(colon + 1));
    if (principal.isPresent()) {
      authenticate(principal.get());
    } else {
      refuse(
          request,
          users.exists(name) ? "api:" + name : null,
          "Basic",
          "the user name or the password is wrong; use an API user of obops.api.users (console"
              + " logins are not API users), or ask an obops operator");
    }
  }

  private void signed(HttpServletRequest request, String header) throws IOException {
    OcpSignature.Request signed =
        new OcpSignature.Request(
            request.getMethod(),
            request.getInputStream().readAllBytes(),
            request.getHeader("Content-Type"),
            request.getHeader("Date"),
            request.getHeader("Host"),
            ocpHeaders(request),
            request.getRequestURI(),
            request.getQueryString());
    AccessKeys.Verdict v = keys.verify(header, signed, clock.instant());
    if (v.accepted()
        && !SAFE_METHODS.contains(request.getMethod())
        && !audit.firstUse(v.keyId(), v.signature())) {
      refuse(
          request,
          v.principal(),
          OcpSignature.SCHEME,
          "access key '"
              + shown(v.keyId())
              + "': replay: this signed request was already accepted; a state-changing request"
              + " is accepted once, so sign each one afresh (a new Date gives a new signature)");
      return;
    }
    if (v.accepted()) {
      authenticate(v.principal());
      return;
    }
    String key = v.keyId() == null ? "" : "access key '" + shown(v.keyId()) + "': ";
    String why =
        switch (v.failure()) {
          case MALFORMED ->
              "the Authorization header must be '"
                  + OcpSignature.SCHEME
                  + " <accessKeyId>:<signature>'";
          case UNKNOWN_KEY ->
              key + "unknown access key; ask an obops operator for one (obops.api.access-keys)";
          case NO_DATE ->
              key
                  + "no Date header; send the request's time as 'Date: "
                  + "Tue, 03 Mar 2026 10:00:00 GMT' (RFC 1123) and sign it";
          case BAD_DATE ->
              key
                  + "the Date header '"
                  + shown(signed.date())
                  + "' is not an RFC 1123 date; send e.g. 'Tue, 03 Mar 2026 10:00:00 GMT'";
          case STALE_DATE ->
              key
                  + "stale date: the Date header is "
                  + Math.abs(v.skew().toMinutes())
                  + " minutes "
                  + (v.skew().isNegative() ? "behind" : "ahead of")
                  + " the server's clock, more than the "
                  + AccessKeys.MAX_SKEW.toMinutes()
                  + " allowed (a replay, or a client clock that is off); sync the clock and sign"
                  + " again";
          case BAD_SIGNATURE ->
              key
                  + "bad signature: it does not match this request; sign the method, the body's"
                  + " MD5, Content-Type, Date, Host, the x-ocp-* headers and the path with its"
                  + " sorted query, as OCP does, with this key's secret";
        };
    refuse(request, v.principal(), OcpSignature.SCHEME, why);
  }

  private static Map<String, List<String>> ocpHeaders(HttpServletRequest request) {
    Map<String, List<String>> headers = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
    for (String name : Collections.list(request.getHeaderNames())) {
      if (name.toLowerCase(Locale.ROOT).startsWith("x-ocp-") && !headers.containsKey(name)) {
        headers.put(name, new ArrayList<>(Collections.list(request.getHeaders(name))));
      }
    }
    return headers;
  }

  private static void authenticate(String principal) {
    var auth = UsernamePasswordAuthenticationToken.authenticated(principal, null, List.of());
    var context = SecurityContextHolder.createEmptyContext();
    context.setAuthentication(auth);
    SecurityContextHolder.setContext(context);
  }

  private void refuse(HttpServletRequest request, String principal, String scheme, String why) {
    request.setAttribute(FAILURE, scheme + ": " + why);
    audit.refused(principal, scheme, why);
  }

  /** The scheme word of an unknown header, printable and short, for the audit. */
  private static String scheme(String header) {
    int space = header.indexOf(' ');
    return shown(space < 0 ? header : header.substring(0, space));
  }

  /** A client-sent value, printable and at most 64 characters. */
  private static String shown(String value) {
    String printable = value.replaceAll("[^\\x20-\\x7e]", "?");
    return printable.length() > 64 ? printable.substring(0, 64) + "…" : printable;
  }

  /** A request whose body was read once, up front, and is served again to whoever reads it. */
  static final class BufferedBodyRequest extends jakarta.servlet.http.HttpServletRequestWrapper {

    private final byte[] body;

    private BufferedBodyRequest(HttpServletRequest request, byte[] body) {
      super(request);
      this.body = body;
    }

    /** The request with its body read, or null when the body exceeds {@code max} bytes. */
    static BufferedBodyRequest read(HttpServletRequest request, int max) throws IOException {
      try (InputStream in = request.getInputStream()) {
        byte[] body = in.readNBytes(max + 1);
        return body.length > max ? null : new BufferedBodyRequest(request, body);
      }
    }

    @Override
    public jakarta.servlet.ServletInputStream getInputStream() {
      var in = new java.io.ByteArrayInputStream(body);
      return new jakarta.servlet.ServletInputStream() {
        @Override
        public int read() {
          return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) {
          return in.read(b, off, len);
        }

        @Override
        public boolean isFinished() {
          return in.available() == 0;
        }

        @Override
        public boolean isReady() {
          return true;
        }

        @Override
        public void setReadListener(jakarta.servlet.ReadListener listener) {
          throw new UnsupportedOperationException("synchronous reads only");
        }
      };
    }

    @Override
    public java.io.BufferedReader getReader() {
      String encoding = getCharacterEncoding();
      return new java.io.BufferedReader(
          new java.io.InputStreamReader(
              getInputStream(),
              encoding == null
                  ? StandardCharsets.UTF_8
                  : java.nio.charset.Charset.forName(encoding)));
    }

    @Override
    public int getContentLength() {
      return body.length;
    }

    @Override
    public long getContentLengthLong() {
      return body.length;
    }
  }
}
