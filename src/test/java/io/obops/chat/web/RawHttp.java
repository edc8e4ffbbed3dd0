package io.obops.chat.web;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * HTTP/1.0 over a plain socket to the test server on 127.0.0.1, so a test can send any Host and
 * Origin header (Java's HttpClient does not let it set Host), as a browser that was tricked by DNS
 * rebinding would.
 */
final class RawHttp {

  record Response(int status, String body) {}

  private final int port;
  private final Map<String, String> headers = new LinkedHashMap<>();

  private RawHttp(int port) {
    this.port = port;
  }

  static RawHttp to(int port) {
    return new RawHttp(port).header("Host", "127.0.0.1:" + port);
  }

  RawHttp header(String name, String value) {
    headers.put(name, value);
    return this;
  }

  /** A console call as the page makes it: its header, and the picked person. */
  RawHttp asConsole(String user) {
    return header("X-Obops-Console", "1").header("X-Obops-User", user);
  }

  Response get(String path) throws IOException {
    return send("GET", path, null);
  }

  Response post(String path, String json) throws IOException {
    return send("POST", path, json);
  }

  private Response send(String method, String path, String json) throws IOException {
    try (Socket socket = new Socket("127.0.0.1", port)) {
      socket.setSoTimeout(30_000);
      StringBuilder request = new StringBuilder(method + " " + path + " HTTP/1.0\r\n");
      headers.forEach((k, v) -> request.append(k).append(": ").append(v).append("\r\n"));
      byte[] body = json == null ? new byte[0] : json.getBytes(StandardCharsets.UTF_8);
      if (json != null) {
        request.append("Content-Type: application/json\r\n");
        request.append("Content-Length: ").append(body.length).append("\r\n");
      }
      request.append("\r\n");
      OutputStream out = socket.getOutputStream();
      out.write(request.toString().getBytes(StandardCharsets.UTF_8));
      out.write(body);
      out.flush();
      InputStream in = socket.getInputStream();
      String response = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      int status = Integer.parseInt(response.substring(9, 12));
      int split = response.indexOf("\r\n\r\n");
      return new Response(status, split < 0 ? "" : response.substring(split + 4));
    }
  }
}
