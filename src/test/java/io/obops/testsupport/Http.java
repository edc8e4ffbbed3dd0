package io.obops.testsupport;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP client for the API tests. {@link #send} uses the JDK client; {@link #raw} writes the
 * request line itself, so a test can send what the JDK client refuses to (odd methods, bytes a URI
 * may not hold).
 */
public final class Http {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private final HttpClient client = HttpClient.newHttpClient();
  private final int port;

  public Http(int port) {
    this.port = port;
  }

  /** A response: status, headers we look at, body. */
  public record Response(int status, String body, String contentType, String approvalHeader) {
    public JsonNode json() {
      return JSON.readTree(body);
    }
  }

  /** {@code token} null: no Authorization header. {@code body} null: none. */
  public Response send(String method, String pathAndQuery, String token, String body) {
    return send(method, pathAndQuery, token, body, java.util.Map.of());
  }

  /** As {@link #send(String, String, String, String)}, with more headers. */
  public Response send(
      String method,
      String pathAndQuery,
      String token,
      String body,
      java.util.Map<String, String> headers) {
    var b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + pathAndQuery))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    headers.forEach(b::header);
    try {
      HttpResponse<String> r = client.send(b.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          r.statusCode(),
          r.body(),
          r.headers().firstValue("Content-Type").orElse(""),
          r.headers().firstValue("X-Obops-Approval-Request").orElse(null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** Sends exactly this request line (and a bearer token); returns status and body. */
  public Response raw(String method, String target, String token) {
    try (Socket s = new Socket("127.0.0.1", port)) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      String request =
          method
              + " "
              + target
              + " HTTP/1.1\r\nHost: 127.0.0.1:"
              + port
              + "\r\n"
              + (token == null ? "" : "Authorization: Bearer " + token + "\r\n")
              + "Connection: close\r\n\r\n";
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      byte[] bytes = s.getInputStream().readAllBytes();
      int split = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      String head =
          new String(bytes, 0, split < 0 ? bytes.length : split, StandardCharsets.ISO_8859_1);
      int status = Integer.parseInt(head.substring(9, 12));
      byte[] body =
          split < 0 ? new byte[0] : java.util.Arrays.copyOfRange(bytes, split + 4, bytes.length);
      if (head.toLowerCase().contains("transfer-encoding: chunked")) {
        body = unchunk(body);
      }
      String type =
          head.lines()
              .filter(l -> l.toLowerCase().startsWith("content-type:"))
              .map(l -> l.substring(13).strip())
              .findFirst()
              .orElse("");
      return new Response(status, new String(body, StandardCharsets.UTF_8), type, null);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static int indexOf(byte[] data, byte[] pattern) {
    outer:
    for (int i = 0; i + pattern.length <= data.length; i++) {
      for (int j = 0; j < pattern.length; j++) {
        if (data[i + j] != pattern[j]) {
          continue outer;
        }
      }
      return i;
    }
    return -1;
  }

  private static byte[] unchunk(byte[] chunked) {
    var out = new java.io.ByteArrayOutputStream();
    int i = 0;
    while (i < chunked.length) {
      int eol = i;
      while (eol + 1 < chunked.length && !(chunked[eol] == '\r' && chunked[eol + 1] == '\n')) {
        eol++;
      }
      int size =
          Integer.parseInt(new String(chunked, i, eol - i, StandardCharsets.US_ASCII).strip(), 16);
      if (size == 0) {
        break;
      }
      out.write(chunked, eol + 2, size);
      i = eol + 2 + size + 2;
    }
    return out.toByteArray();
  }
}
