package io.obops.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The server's string to sign and signature against vectors computed with Python's standard library
 * the way OCP's Python client does ({@code hashlib.md5(...).hexdigest().upper()}, {@code
 * urllib.parse.quote(..., safe="")}, {@code hmac.new(secret, s, hashlib.sha1)}), not with this
 * code.
 */
class OcpSignatureTest {

  private static final String SECRET = "s3cr3t";

  @Test
  void aGetWithAQueryAndAnOcpHeaderSignsLikeOcpsPythonClient() {
    var request =
        new OcpSignature.Request(
            "get",
            new byte[0],
            null,
            "Mon, 02 Mar 2026 02:00:00 GMT",
            "127.0.0.1:8080",
            Map.of("X-OCP-Origin", List.of("mcp-server")),
            "/api/v2/ob/clusters",
            "size=10&name=a+b%2F%C3%A9~%2B&page=1&sort=name%2Casc");

    assertThat(OcpSignature.stringToSign(request))
        .isEqualTo(
            "GET\n\n\nMon, 02 Mar 2026 02:00:00 GMT\n127.0.0.1:8080\nx-ocp-origin:mcp-server\n"
                + "/api/v2/ob/clusters?name=a%20b%2F%C3%A9~%2B&page=1&size=10&sort=name%2Casc");
    assertThat(sign(request)).isEqualTo("d/eCK3qCp128dEeyWebpVWcuaEs=");
  }

  @Test
  void aPostSignsTheMd5OfItsBodyAndSortsTheOcpHeaders() {
    var request =
        new OcpSignature.Request(
            "POST",
            "{\"reason\": \"kernel upgrade\"}".getBytes(StandardCharsets.UTF_8),
            "application/json",
            "Mon, 02 Mar 2026 02:00:00 GMT",
            "obops.example.com:8080",
            Map.of("x-ocp-origin", List.of("mcp-server"), "x-ocp-b", List.of("2")),
            "/api/v2/ob/clusters/1/stop",
            null);

    assertThat(OcpSignature.stringToSign(request))
        .isEqualTo(
            "POST\nD54C56B9B0114CA837F14DE865F431D8\napplication/json\n"
                + "Mon, 02 Mar 2026 02:00:00 GMT\nobops.example.com:8080\nx-ocp-b:2\n"
                + "x-ocp-origin:mcp-server\n/api/v2/ob/clusters/1/stop");
    assertThat(sign(request)).isEqualTo("MWKIw2Purlj21K5+xe86iwB4oQE=");
  }

  @Test
  void rfc3986KeepsOnlyUnreservedCharacters() {
    assertThat(OcpSignature.encode("AZaz09-._~ !*'()/?#[]@$&+,;=%"))
        .isEqualTo("AZaz09-._~%20%21%2A%27%28%29%2F%3F%23%5B%5D%40%24%26%2B%2C%3B%3D%25");
  }

  private static String sign(OcpSignature.Request r) {
    return OcpSignature.sign(SECRET.getBytes(StandardCharsets.UTF_8), OcpSignature.stringToSign(r));
  }
}
