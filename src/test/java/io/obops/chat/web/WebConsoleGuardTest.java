package io.obops.chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.testsupport.PostgresSpringTest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The console refuses what a hostile page could send it: a request addressed to a name that is not
 * the console's (DNS rebinding), a state-changing call from another origin; and configured logins
 * are required even in the embedded default. Plain HTTP against the running server, no browser.
 */
class WebConsoleGuardTest {

  private static final String STOP = "{\"text\":\"/obcluster list\"}";

  @Nested
  @SpringBootTest(
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = "obops.embedded=true")
  @DirtiesContext
  class TheEmbeddedDefault extends PostgresSpringTest {

    @LocalServerPort int port;
    @Autowired Environment env;

    @Test
    void listensOnLoopbackOnlyWithTheIdentityPicker() throws Exception {
      assertThat(env.getProperty("server.address")).isEqualTo("127.0.0.1");
      RawHttp.Response session = RawHttp.to(port).get("/console/api/session");
      assertThat(session.status()).isEqualTo(200);
      assertThat(session.body()).contains("\"picker\":true", "\"name\":\"alice\"");
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "attacker.example",
          "attacker.example:%d",
          "10.1.2.3:%d",
          "localhost.attacker.example"
        })
    void refusesARequestAddressedToAnotherName(String host) throws Exception {
      RawHttp.Response r =
          RawHttp.to(port).header("Host", host.formatted(port)).get("/console/api/session");

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body()).contains("obops.console.allowed-hosts").doesNotContain("alice");
      assertThat(RawHttp.to(port).header("Host", host.formatted(port)).get("/").status())
          .isEqualTo(403);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {"localhost:%d", "127.0.0.1:%d", "127.9.8.7:%d", "[::1]:%d", "LOCALHOST"})
    void answersToLoopbackNames(String host) throws Exception {
      assertThat(RawHttp.to(port).header("Host", host.formatted(port)).get("/console/api/session"))
          .extracting(RawHttp.Response::status)
          .isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(
        strings = {
          "http://attacker.example",
          "null",
          "http://localhost:1",
          "file://localhost/etc/passwd",
          "http://attacker.example:%d"
        })
    void refusesAStateChangingCallFromAnotherOrigin(String origin) throws Exception {
      RawHttp.Response r =
          RawHttp.to(port)
              .header("Host", "localhost:" + port)
              .header("Origin", origin.formatted(port))
              .asConsole("alice")
              .post("/console/api/command", STOP);

      assertThat(r.status()).isEqualTo(403);
      assertThat(r.body()).contains("may not act in this console");
    }

    @Test
    void acceptsACallFromItsOwnPageOrWithoutAnOrigin() throws Exception {
      RawHttp.Response own =
          RawHttp.to(port)
              .header("Host", "localhost:" + port)
              .header("Origin", "http://localhost:" + port)
              .header("Sec-Fetch-Site", "same-origin")
              .asConsole("alice")
              .post("/console/api/command", STOP);
      RawHttp.Response noOrigin =
          RawHttp.to(port).asConsole("alice").post("/console/api/command", STOP);

      assertThat(own.status()).isEqualTo(200);
      assertThat(own.body()).contains("demo");
      assertThat(noOrigin.status()).isEqualTo(200);
    }

    @Test
    void refusesACrossSiteCallAndOneWithoutTheConsoleHeader() throws Exception {
      RawHttp.Response crossSite =
          RawHttp.to(port)
              .header("Sec-Fetch-Site", "cross-site")
              .asConsole("alice")
              .post("/console/api/command", STOP);
      RawHttp.Response noHeader =
          RawHttp.to(port).header("X-Obops-User", "alice").post("/console/api/command", STOP);

      assertThat(crossSite.status()).isEqualTo(403);
      assertThat(noHeader.status()).isEqualTo(403);
      assertThat(noHeader.body()).contains("X-Obops-Console: 1");
    }
  }

  @Nested
  @SpringBootTest(
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = {"obops.embedded=true", "obops.console.allowed-hosts=obops.example.com"})
  @DirtiesContext
  class WithAnAllowedHostName extends PostgresSpringTest {

    @LocalServerPort int port;

    @Test
    void answersToThatNameAndStillRefusesOthers() throws Exception {
      assertThat(
              RawHttp.to(port)
                  .header("Host", "OBOPS.example.com:" + port)
                  .get("/console/api/session")
                  .status())
          .isEqualTo(200);
      assertThat(
              RawHttp.to(port)
                  .header("Host", "evil.example.com:" + port)
                  .get("/console/api/session")
                  .status())
          .isEqualTo(403);
    }
  }

  @Nested
  @SpringBootTest(
      webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
      properties = "obops.embedded=true")
  @DirtiesContext
  class LoginsConfiguredInTheEmbeddedDefault extends PostgresSpringTest {

    @DynamicPropertySource
    static void users(DynamicPropertyRegistry registry) {
      WebConsoleAccessTest.erinLogsIn(registry);
    }

    @LocalServerPort int port;

    @Test
    void requireALoginAndTheIdentityPickerIsGone() throws Exception {
      assertThat(RawHttp.to(port).get("/console/api/session").status()).isEqualTo(401);
      assertThat(RawHttp.to(port).asConsole("alice").post("/console/api/command", STOP).status())
          .isEqualTo(401);

      RawHttp.Response erin =
          RawHttp.to(port)
              .header(
                  "Authorization",
                  "Basic "
                      + Base64.getEncoder()
                          .encodeToString("erin:correct horse".getBytes(StandardCharsets.UTF_8)))
              .get("/console/api/session");
      assertThat(erin.status()).isEqualTo(200);
      assertThat(erin.body()).contains("\"picker\":false", "\"user\":\"erin\"");
    }
  }
}
