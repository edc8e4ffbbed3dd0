package io.obops.testsupport;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A client-side OCP request signer written from issue 16's description, independently of the
 * server's code (it shares nothing with {@code io.obops.access}): the string to sign is the method
 * in upper case, the body's MD5 as 32 upper-case hex digits (empty without a body), Content-Type,
 * Date (RFC 1123, GMT), Host, the sorted {@code x-ocp-*} headers as {@code name:value} lines (or an
 * empty line), and the path with {@code ?} and the query sorted by name, RFC 3986 encoded, joined
 * by newlines; the signature is Base64(HMAC-SHA1(secret, string)).
 *
 * <p>A {@link Call} is signed as it is, and may then be changed before it is sent ({@code with...})
 * to tamper with what was signed.
 */
public final class OcpSigner {

  private static final DateTimeFormatter RFC_1123 =
      DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.ENGLISH)
          .withZone(ZoneOffset.UTC);

  private OcpSigner() {}

  /** What a client sends: its query parameters in the order it adds them. */
  public record Call(
      String method,
      String host,
      String path,
      Map<String, String> query,
      String body,
      String contentType,
      String date,
      Map<String, String> ocpHeaders) {

    public static Call get(String host, String path, Instant at) {
      return new Call("GET", host, path, Map.of(), null, null, OcpSigner.date(at), Map.of());
    }

    public static Call post(String host, String path, String json, Instant at) {
      return new Call(
          "POST", host, path, Map.of(), json, "application/json", OcpSigner.date(at), Map.of());
    }

    public Call withQuery(Map<String, String> q) {
      return new Call(
          method, host, path, new LinkedHashMap<>(q), body, contentType, date, ocpHeaders);
    }

    public Call withBody(String b) {
      return new Call(method, host, path, query, b, contentType, date, ocpHeaders);
    }

    public Call withDate(String d) {
      return new Call(method, host, path, query, body, contentType, d, ocpHeaders);
    }

    /** The same call dated {@code by} later (a Date it was not signed with). */
    public Call shiftDate(java.time.Duration by) {
      return withDate(OcpSigner.date(RFC_1123.parse(date, Instant::from).plus(by)));
    }

    public Call withPath(String p) {
      return new Call(method, host, p, query, body, contentType, date, ocpHeaders);
    }

    public Call withOcpHeaders(Map<String, String> h) {
      return new Call(method, host, path, query, body, contentType, date, new LinkedHashMap<>(h));
    }
  }

  public static String date(Instant at) {
    return RFC_1123.format(at);
  }

  /** The string to sign, from the description. */
  public static String stringToSign(Call c) {
    List<String> lines = new ArrayList<>();
    lines.add(c.method().toUpperCase(Locale.ROOT));
    lines.add(c.body() == null ? "" : md5UpperHex(c.body()));
    lines.add(c.contentType() == null ? "" : c.contentType());
    lines.add(c.date());
    lines.add(c.host());
    TreeMap<String, String> ocp = new TreeMap<>(c.ocpHeaders());
    lines.add(
        ocp.isEmpty()
            ? ""
            : String.join(
                "\n", ocp.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()).toList()));
    String query = sortedEncodedQuery(c.query());
    lines.add(query.isEmpty() ? c.path() : c.path() + "?" + query);
    return String.join("\n", lines);
  }

  /** {@code OCP-ACCESS-KEY-HMACSHA1 <id>:<Base64(HMAC-SHA1(secret, string to sign))>}. */
  public static String authorization(Call c, String accessKeyId, String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA1");
      mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
      byte[] sig = mac.doFinal(stringToSign(c).getBytes(StandardCharsets.UTF_8));
      return "OCP-ACCESS-KEY-HMACSHA1 "
          + accessKeyId
          + ":"
          + Base64.getEncoder().encodeToString(sig);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  /** Sends the call with the given Authorization value, its query in the client's order. */
  public static HttpResponse<String> send(HttpClient http, int port, Call c, String authorization)
      throws Exception {
    StringBuilder url = new StringBuilder("http://127.0.0.1:" + port + c.path());
    if (!c.query().isEmpty()) {
      url.append('?');
      url.append(
          String.join(
              "&",
              c.query().entrySet().stream()
                  .map(e -> rfc3986(e.getKey()) + "=" + rfc3986(e.getValue()))
                  .toList()));
    }
    var builder =
        HttpRequest.newBuilder(URI.create(url.toString()))
            .method(
                c.method(),
                c.body() == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(c.body()));
    if (c.contentType() != null) {
      builder.header("Content-Type", c.contentType());
    }
    if (c.date() != null) {
      builder.header("Date", c.date());
    }
    c.ocpHeaders().forEach(builder::header);
    if (authorization != null) {
      builder.header("Authorization", authorization);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Signs the call with the key and sends it as signed. */
  public static HttpResponse<String> signAndSend(
      HttpClient http, int port, Call c, String accessKeyId, String secret) throws Exception {
    return send(http, port, c, authorization(c, accessKeyId, secret));
  }

  private static String sortedEncodedQuery(Map<String, String> query) {
    return String.join(
        "&",
        new TreeMap<>(query)
            .entrySet().stream()
                .map(e -> rfc3986(e.getKey()) + "=" + rfc3986(e.getValue()))
                .toList());
  }

  /** Percent-encodes every byte of the UTF-8 text but {@code ALPHA / DIGIT / - . _ ~}. */
  private static String rfc3986(String text) {
    StringBuilder out = new StringBuilder();
    for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if (Character.isLetterOrDigit(c) && c < 128 || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  private static String md5UpperHex(String body) {
    try {
      byte[] d = MessageDigest.getInstance("MD5").digest(body.getBytes(StandardCharsets.UTF_8));
      StringBuilder out = new StringBuilder();
      for (byte b : d) {
        out.append(String.format("%02X", b));
      }
      return out.toString();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
