package io.obops.chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.testsupport.PostgresSpringTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/** Outside the embedded default the console needs a login, or is off when none is configured. */
class WebConsoleAccessTest {

  /** One console login: erin, password "correct horse". */
  static void erinLogsIn(DynamicPropertyRegistry registry) {
    registry.add("obops.console.users[0].name", () -> "erin");
    registry.add(
        "obops.console.users[0].password-hash",
        () -> "{bcrypt}" + new BCryptPasswordEncoder().encode("correct horse"));
  }

  private static HttpResponse<String> get(int port, String path, String basic) throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).GET();
    if (basic != null) {
      b.header(
          "Authorization",
          "Basic " + Base64.getEncoder().encodeToString(basic.getBytes(StandardCharsets.UTF_8)));
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Nested
  @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
  @DirtiesContext
  class WithLogins extends PostgresSpringTest {

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
      erinLogsIn(registry);
    }

    @LocalServerPort int port;

    @Test
    void theConsoleAsksForALoginAndServesTheLoggedInPerson() throws Exception {
      assertThat(get(port, "/console/api/session", null).statusCode()).isEqualTo(401);
      assertThat(get(port, "/console/api/session", "erin:wrong").statusCode()).isEqualTo(401);

      HttpResponse<String> ok = get(port, "/console/api/session", "erin:correct horse");
      assertThat(ok.statusCode()).isEqualTo(200);
      assertThat(ok.body()).contains("\"user\":\"erin\"").contains("\"picker\":false");
    }
  }

  @Nested
  @SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
  @DirtiesContext
  class WithoutLogins extends PostgresSpringTest {

    @LocalServerPort int port;

    @Test
    void theConsoleIsOffAndTheApiStillAsksForATokenNotALogin() throws Exception {
      assertThat(get(port, "/console/api/session", null).statusCode()).isEqualTo(403);
      assertThat(get(port, "/", null).statusCode()).isEqualTo(403);
      assertThat(get(port, "/api/v2/ob/clusters", "erin:x").statusCode()).isEqualTo(401);
    }
  }
}
