package io.obops.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.testsupport.TestDatabase;
import io.obops.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Discord down is not obops down: with the adapter enabled and nothing listening where Discord
 * should be, the application starts, serves REST and its health, and the adapter keeps trying in
 * the background, which the health shows.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DiscordUnreachableStartTest {

  private static final int NOBODY = freePort();
  private static final int NOBODY_GATEWAY = freePort();

  @DynamicPropertySource
  static void unreachableDiscord(DynamicPropertyRegistry registry) throws IOException {
    TestDatabase.Coordinates db = TestDatabase.createEmpty();
    registry.add("spring.datasource.url", db::url);
    registry.add("spring.datasource.username", db::user);
    registry.add("spring.datasource.password", db::password);
    registry.add("obops.engine.start", () -> "false");
    TestTokens.register(registry);
    Path token = Files.createTempFile("obops-discord-token", ".txt");
    Files.writeString(token, "unreachable-token\n");
    token.toFile().deleteOnExit();
    registry.add("obops.discord.enabled", () -> "true");
    registry.add("obops.discord.token-file", token::toString);
    registry.add("obops.discord.api-base-url", () -> "http://127.0.0.1:" + NOBODY + "/api/v10/");
    registry.add(
        "obops.discord.gateway-url", () -> "ws://127.0.0.1:" + NOBODY_GATEWAY + "/gateway");
  }

  private static int freePort() {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Autowired DiscordBot bot;
  @Autowired DiscordHealth health;
  @LocalServerPort int port;

  private HttpResponse<String> get(String path, String token) throws Exception {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path));
    if (token != null) {
      b.header("Authorization", "Bearer " + TestTokens.token(token));
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void obopsStartsAndServesRestWhileTheAdapterKeepsTryingToReachDiscord() throws Exception {
    HttpResponse<String> clusters = get("/api/v2/ob/clusters", "viewer");
    assertThat(clusters.statusCode()).as(clusters.body()).isEqualTo(200);
    assertThat(clusters.body()).contains("\"successful\":true");
    assertThat(get("/actuator/health", null).statusCode()).isEqualTo(200);

    assertThat(bot.isRunning()).isTrue();
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (bot.lastError() == null && System.nanoTime() < deadline) {
      Thread.sleep(50); // waiting for the background attempt, not timing it
    }
    Health h = health.health();
    assertThat(h.getStatus()).isEqualTo(DiscordHealth.DEGRADED);
    assertThat(h.getDetails().get("state")).isEqualTo("CONNECTING");
    assertThat(h.getDetails().get("lastError")).isNotNull();
    assertThat(bot.state()).isEqualTo(DiscordBot.State.CONNECTING);

    // Discord comes back where obops has been knocking: the adapter connects on its own.
    try (DiscordEmulator discord = DiscordEmulator.create("unreachable-token")) {
      discord.start(NOBODY, NOBODY_GATEWAY);
      bot.awaitReady();
      assertThat(bot.state()).isEqualTo(DiscordBot.State.CONNECTED);
      assertThat(health.health().getDetails().get("gateway")).isEqualTo("CONNECTED");
      bot.stop(); // before the emulator goes away
    }
  }
}
