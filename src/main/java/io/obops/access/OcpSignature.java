package io.obops.access;

import java.io.ByteArrayOutputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * OCP's request signature ({@code Authorization: OCP-ACCESS-KEY-HMACSHA1 <id>:<signature>}): the
 * string to sign and its HMAC. The string is these lines joined by {@code \n}: the method in upper
 * case; the MD5 of the body as 32 upper-case hex digits (empty without a body); the Content-Type
 * (or empty); the Date header as sent; the Host as the client addressed it; the {@code x-ocp-*}
 * headers as {@code name:value} lines sorted by name, names in lower case or as the client wrote
 * them (HTTP names are case-insensitive, clients differ; or one empty line); the path, followed by
 * {@code ?} and the query parameters sorted by name, keys and values percent-encoded per RFC 3986
 * (only unreserved characters kept) when there are any. The signature is Base64(HMAC-SHA1(secret,
 * string to sign)).
 */
public final class OcpSignature {

  /** The scheme's name in the Authorization header. */
  public static final String SCHEME = "OCP-ACCESS-KEY-HMACSHA1";

  private OcpSignature() {}

  /**
   * A request as the signature sees it.
   *
   * @param ocpHeaders every header whose name starts with {@code x-ocp-}, by name (any case), each
   *     with its values in the order received
   * @param rawQuery the query string as received (percent-encoded), or null
   */
  public record Request(
      String method,
      byte[] body,
      String contentType,
      String date,
      String host,
      Map<String, List<String>> ocpHeaders,
      String path,
      String rawQuery) {}

  /**
   * The string to sign, {@code x-ocp-*} header names in lower case; {@link
   * IllegalArgumentException} when the query cannot be decoded.
   */
  public static String stringToSign(Request r) {
    return stringToSign(r, true);
  }

  /**
   * The string to sign with the {@code x-ocp-*} header names in lower case, or as the client wrote
   * them (a client that signs {@code X-Ocp-Origin} as such, sorted case-sensitively).
   */
  public static String stringToSign(Request r, boolean lowerCaseHeaderNames) {
    List<String> lines = new ArrayList<>();
    lines.add(r.method().toUpperCase(Locale.ROOT));
    lines.add(r.body() == null || r.body().length == 0 ? "" : md5Hex(r.body()));
    lines.add(r.contentType() == null ? "" : r.contentType());
    lines.add(r.date() == null ? "" : r.date());
    lines.add(r.host() == null ? "" : r.host());
    String headers =
        r.ocpHeaders().entrySet().stream()
            .map(
                e ->
                    Map.entry(
                        lowerCaseHeaderNames ? e.getKey().toLowerCase(Locale.ROOT) : e.getKey(),
                        String.join(",", e.getValue())))
            .sorted(Map.Entry.comparingByKey())
            .map(e -> e.getKey() + ":" + e.getValue())
            .collect(Collectors.joining("\n"));
    lines.add(headers);
    lines.add(r.path() + query(r.rawQuery()));
    return String.join("\n", lines);
  }

  /** Whether some {@code x-ocp-*} header name was written with an upper-case letter. */
  static boolean hasMixedCaseHeaderNames(Request r) {
    return r.ocpHeaders().keySet().stream().anyMatch(n -> !n.equals(n.toLowerCase(Locale.ROOT)));
  }

  /** Base64(HMAC-SHA1(secret, text)). */
  public static String sign(byte[] secret, String text) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret, "HmacSHA1"));
      return Base64.getEncoder().encodeToString(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException | InvalidKeyException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String query(String rawQuery) {
    if (rawQuery == null || rawQuery.isEmpty()) {
      return "";
    }
    List<Map.Entry<String, String>> params = new ArrayList<>();
    for (String pair : rawQuery.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      params.add(
          Map.entry(
              URLDecoder.decode(key, StandardCharsets.UTF_8),
              URLDecoder.decode(value, StandardCharsets.UTF_8)));
    }
    if (params.isEmpty()) {
      return "";
    }
    params.sort(
        Comparator.comparing(Map.Entry<String, String>::getKey).thenComparing(Map.Entry::getValue));
    return "?"
        + params.stream()
            .map(e -> encode(e.getKey()) + "=" + encode(e.getValue()))
            .collect(Collectors.joining("&"));
  }

  /** RFC 3986 percent-encoding of UTF-8: only {@code A-Z a-z 0-9 - . _ ~} stay as they are. */
  static String encode(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '.'
          || c == '_'
          || c == '~') {
        out.write(c);
      } else {
        out.writeBytes(String.format("%%%02X", c).getBytes(StandardCharsets.US_ASCII));
      }
    }
    return out.toString(StandardCharsets.US_ASCII);
  }

  private static String md5Hex(byte[] body) {
    try {
      return HexFormat.of()
          .withUpperCase()
          .formatHex(MessageDigest.getInstance("MD5").digest(body));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
