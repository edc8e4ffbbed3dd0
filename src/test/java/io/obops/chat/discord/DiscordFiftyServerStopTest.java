package io.obops.chat.discord;

import static io.obops.chat.discord.DiscordTestBot.ALICE;
import static io.obops.chat.discord.DiscordTestBot.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.chat.discord.emulator.EmuMessage;
import io.obops.cluster.ObServer;
import io.obops.sandbox.Sandbox;
import io.obops.task.TaskEngine;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Normal pacing: the engine's workers and the chat ticker run on their own (real clock), the
 * emulator enforces a tight per-route limit (5 requests per 2 s per channel), and a 50-observer
 * stop is reported without a single 429.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DiscordFiftyServerStopTest {

  private static final DiscordTestBot BOT = new DiscordTestBot();

  @DynamicPropertySource
  static void discord(DynamicPropertyRegistry registry) {
    BOT.register(registry, true);
    registry.add("obops.sandbox.enabled", () -> "true");
    registry.add("obops.sandbox.zones", () -> "5");
    registry.add("obops.sandbox.servers-per-zone", () -> "10");
    registry.add("obops.chat.tick-interval", () -> "100ms"); // the production default
  }

  @AfterAll
  static void closeEmulator() {
    BOT.emu.close();
  }

  @Autowired Sandbox sandbox;
  @Autowired DiscordBot bot;
  @Autowired TaskEngine engine;

  /** On a timeout, what the task and the threads were doing, so a failure can be understood. */
  private void diagnose() {
    engine
        .client()
        .find(1000)
        .ifPresent(
            t -> {
              System.out.println("task " + t.id() + " " + t.status());
              t.subtasks().stream()
                  .filter(x -> x.status() != io.obops.task.SubtaskStatus.SUCCESSFUL)
                  .forEach(
                      x ->
                          System.out.println(
                              "  "
                                  + x.id()
                                  + " "
                                  + x.name()
                                  + " "
                                  + x.status()
                                  + " "
                                  + x.errorMessage()));
            });
    java.util.Arrays.stream(
            java.lang.management.ManagementFactory.getThreadMXBean().dumpAllThreads(true, true))
        .filter(i -> i.getThreadName().startsWith("task-") || i.getThreadName().startsWith("obops"))
        .forEach(System.out::print);
  }

  @Test
  void aFiftyServerStopWithNormalPacingDrawsNoRateLimitAndReportsEveryServer()
      throws InterruptedException {
    DiscordEmulator emu = BOT.emu;
    bot.awaitReady();
    emu.rateLimit(5, Duration.ofSeconds(2));
    Duration wait = Duration.ofSeconds(20);
    long started = System.nanoTime();

    emu.slash(ALICE, BOT.ops, "obcluster", "stop", Map.of("id", 1, "reason", "maintenance"))
        .awaitResponseText(wait);
    EmuMessage card = emu.awaitMessage(BOT.ops, m -> m.button("Approve").isPresent(), wait);
    long thread = emu.await(() -> card.threadId().orElse(null), wait, "the thread");
    String approve = card.button("Approve").orElseThrow().customId();
    emu.click(BOB, card.id(), approve).awaitResponseText(wait);
    try {
      emu.awaitMessage(
          thread,
          m -> m.attachments().stream().anyMatch(a -> a.filename().endsWith(".json")),
          Duration.ofSeconds(90));
    } catch (AssertionError e) {
      diagnose();
      throw e;
    }
    Duration took = Duration.ofNanos(System.nanoTime() - started);

    assertThat(emu.rateLimited()).isZero();
    assertThat(sandbox.servers()).hasSize(50).noneMatch(sandbox::isObserverRunning);
    StringBuilder text = new StringBuilder();
    emu.messages(thread).forEach(m -> text.append(m.content()).append('\n'));
    for (ObServer s : sandbox.servers()) {
      assertThat(
              Pattern.compile("observer on " + Pattern.quote(s.ip()) + " stopped")
                  .matcher(text)
                  .results()
                  .count())
          .as(s.ip())
          .isEqualTo(1);
    }
    long boardEdits =
        emu.requests().stream()
            .filter(r -> r.method().equals("PATCH") && r.path().startsWith("channels/" + thread))
            .count();
    assertThat(boardEdits).isLessThanOrEqualTo(took.toSeconds() / 2 + 2);
  }
}
