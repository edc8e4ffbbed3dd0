package io.obops.bench;

import io.obops.ObopsApplication;
import io.obops.chat.discord.DiscordBot;
import io.obops.chat.discord.DiscordTestBot;
import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.chat.discord.emulator.EmuInteraction;
import io.obops.chat.discord.emulator.EmuMessage;
import io.obops.cluster.ObServer;
import io.obops.sandbox.Sandbox;
import io.obops.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Discord latency against the emulator, with the whole application (PostgreSQL, the sandbox's 2
 * observers over SSH, the engine and the chat ticker running with their default settings): (1) from
 * the slash command's dispatch to the approval card in the channel; (2) from the approve click's
 * dispatch to the first progress board in the thread (and to the decision line). Run with {@code
 * ./mvnw -Pbench -DskipTests test-compile exec:java@discord}. Target: p99 under 300 ms.
 */
public final class DiscordLatencyBenchmark {

  private static final int WARMUP = 5;
  private static final int RUNS = 40;
  private static final Duration WAIT = Duration.ofSeconds(30);

  public static void main(String[] args) {
    int status = 0;
    try {
      run();
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status); // JDA and the sandbox leave non-daemon threads behind
  }

  private static void run() throws Exception {
    DiscordTestBot people = new DiscordTestBot();
    DiscordEmulator emu = people.emu;
    TestDatabase.Coordinates db = TestDatabase.createEmpty();
    Path tokenFile = Files.createTempFile("obops-bench-token", ".txt");
    Files.writeString(tokenFile, people.token);
    List<String> props = new ArrayList<>();
    Map.ofEntries(
            Map.entry("spring.datasource.url", db.url()),
            Map.entry("spring.datasource.username", db.user()),
            Map.entry("spring.datasource.password", db.password()),
            Map.entry("server.port", "0"),
            Map.entry("obops.access.file", "src/test/resources/discord/access.yml"),
            Map.entry("obops.sandbox.enabled", "true"),
            Map.entry("obops.sandbox.zones", "1"),
            Map.entry("obops.sandbox.servers-per-zone", "2"),
            // the production default; stated because the test classpath's config turns it off
            Map.entry("obops.chat.tick-interval", "100ms"),
            Map.entry("obops.discord.enabled", "true"),
            Map.entry("obops.discord.token-file", tokenFile.toString()),
            Map.entry("obops.discord.api-base-url", emu.restBaseUrl()),
            Map.entry("obops.discord.gateway-url", emu.gatewayUrl()),
            Map.entry("obops.discord.guild-ids[0]", Long.toString(emu.guildId())),
            Map.entry("logging.level.root", "WARN"))
        .forEach((k, v) -> props.add("--" + k + "=" + v));
    try (ConfigurableApplicationContext app =
        new SpringApplicationBuilder(ObopsApplication.class).run(props.toArray(String[]::new))) {
      app.getBean(DiscordBot.class).awaitReady();
      emu.awaitTrue(() -> emu.registeredCommands(emu.guildId()).size() == 1, WAIT, "commands");
      JdbcClient jdbc = app.getBean(JdbcClient.class);
      Sandbox sandbox = app.getBean(Sandbox.class);
      List<Double> toCard = new ArrayList<>();
      List<Double> toDecision = new ArrayList<>();
      List<Double> toBoard = new ArrayList<>();
      for (int i = 0; i < WARMUP + RUNS; i++) {
        jdbc.sql("update ob_cluster set status = 'RUNNING', operation_task_id = null").update();
        jdbc.sql("update ob_zone set status = 'RUNNING'").update();
        jdbc.sql("update ob_server set status = 'RUNNING'").update();
        for (ObServer s : sandbox.servers()) {
          if (!sandbox.isObserverRunning(s)) {
            sandbox.startObserver(s);
          }
        }
        int before = emu.messages(people.ops).size();
        long t0 = System.nanoTime();
        EmuInteraction command =
            emu.slash(
                DiscordTestBot.ALICE,
                people.ops,
                "obcluster",
                "stop",
                Map.of("id", 1, "reason", "bench " + i));
        EmuMessage card;
        try {
          card =
              emu.await(
                  () -> {
                    List<EmuMessage> all = emu.messages(people.ops);
                    return all.size() > before
                            && all.get(all.size() - 1).button("Approve").isPresent()
                        ? all.get(all.size() - 1)
                        : null;
                  },
                  WAIT,
                  "the approval card");
        } catch (AssertionError e) {
          System.out.println("reply: " + command.original().map(EmuMessage::text).orElse("none"));
          throw e;
        }
        double cardMs = (System.nanoTime() - t0) / 1e6;
        long thread = emu.await(() -> card.threadId().orElse(null), WAIT, "the thread");
        int inThread = emu.messages(thread).size();
        long t1 = System.nanoTime();
        emu.click(DiscordTestBot.BOB, card.id(), card.button("Approve").orElseThrow().customId());
        emu.await(
            () -> emu.messages(thread).size() > inThread ? Boolean.TRUE : null,
            WAIT,
            "the decision line");
        double decisionMs = (System.nanoTime() - t1) / 1e6;
        try {
          emu.awaitMessage(thread, m -> m.text().contains("Progress of task"), WAIT);
        } catch (AssertionError e) {
          emu.messages(thread).forEach(m -> System.out.println("in thread: " + m.text()));
          throw e;
        }
        double boardMs = (System.nanoTime() - t1) / 1e6;
        emu.awaitMessage(
            thread,
            m -> m.attachments().stream().anyMatch(a -> a.filename().endsWith(".json")),
            WAIT);
        if (i >= WARMUP) {
          toCard.add(cardMs);
          toDecision.add(decisionMs);
          toBoard.add(boardMs);
        }
      }
      report("command -> approval card", toCard);
      report("approve -> decision line in thread", toDecision);
      report("approve -> first progress board", toBoard);
      System.out.println("429s: " + emu.rateLimited());
    } finally {
      emu.close();
    }
  }

  private static void report(String what, List<Double> ms) {
    List<Double> sorted = new ArrayList<>(ms);
    Collections.sort(sorted);
    System.out.printf(
        Locale.ROOT,
        "%-38s n=%d  p50 %6.1f ms  p99 %6.1f ms  max %6.1f ms%n",
        what,
        sorted.size(),
        sorted.get(sorted.size() / 2),
        sorted.get((int) Math.ceil(sorted.size() * 0.99) - 1),
        sorted.get(sorted.size() - 1));
  }
}
