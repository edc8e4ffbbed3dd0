package io.obops.chat.discord;

import static io.obops.chat.discord.DiscordTestBot.ALICE;
import static io.obops.chat.discord.DiscordTestBot.BOB;
import static org.assertj.core.api.Assertions.assertThat;

import io.obops.ObopsApplication;
import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.chat.discord.emulator.EmuMessage;
import io.obops.cluster.ObServer;
import io.obops.obcluster.ObserverProcessControl;
import io.obops.task.SubtaskLog;
import io.obops.testsupport.ReplicaProcess;
import io.obops.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Two replicas on one PostgreSQL database and one Discord (the emulator): A in its own JVM holds
 * the gateway and runs no subtasks (its engine is off); B, in this JVM, runs every subtask with
 * fake observers and reports them. The thread on A shows every milestone, the summary and the JSON.
 * Then, on a second stop, A is killed with SIGKILL mid-task: B takes the gateway over and finishes
 * the thread, no message lost or posted twice. Real clocks (the lease is 3 s here).
 */
class ReplicasEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(90);
  private static final DiscordTestBot BOT = new DiscordTestBot();
  private static final Pattern TASK = Pattern.compile("task (\\d+) is running");
  private static final List<String> IPS =
      List.of("10.3.0.1", "10.3.0.2", "10.3.0.3", "10.3.0.4", "10.3.0.5", "10.3.0.6");

  @AfterAll
  static void closeEmulator() {
    BOT.emu.close();
  }

  /** Observers that stop at once, zone2's after {@link #zone2} opens; stops counted per ip. */
  @TestConfiguration
  static class Observers {
    static final Map<String, Integer> stops = new ConcurrentHashMap<>();
    static volatile CountDownLatch zone2 = new CountDownLatch(0);

    @Bean
    ObserverProcessControl replicaObservers() {
      return new ObserverProcessControl() {
        @Override
        public ObserverState inspect(ObServer server, SubtaskLog log) {
          return new ObserverState(true, 1000 + server.id(), "running");
        }

        @Override
        public StopReport stop(ObServer server, SubtaskLog log) throws Exception {
          if (server.zoneName().equals("zone2")) {
            zone2.await();
          }
          stops.merge(server.ip(), 1, Integer::sum);
          return new StopReport(false, 1000 + server.id(), "SIGTERM", 50);
        }

        @Override
        public StartReport start(ObServer server, SubtaskLog log) {
          return new StartReport(true, 1000 + server.id(), 0);
        }
      };
    }
  }

  private final DiscordEmulator emu = BOT.emu;

  @Test
  void subtasksRunOnBTheThreadOnAShowsThemAndAfterAIsKilledBTakesTheGatewayAndFinishes()
      throws Exception {
    TestDatabase.Coordinates db = TestDatabase.createEmpty();
    Path logA = Files.createTempFile("obops-replica-a", ".log");
    ReplicaProcess a =
        ReplicaProcess.start(
            ObopsApplication.class.getName(), properties(db, "obops-a", false), logA);
    ConfigurableApplicationContext b = null;
    try (var watch = new com.zaxxer.hikari.HikariDataSource()) {
      watch.setJdbcUrl(db.url());
      watch.setUsername(db.user());
      watch.setPassword(db.password());
      watch.setMaximumPoolSize(2);
      JdbcClient jdbc = JdbcClient.create(watch);
      emu.awaitTrue(
          () -> leaseHolder(jdbc) != null, WAIT, "A holds the gateway (log " + logA + ")");
      String holderA = leaseHolder(jdbc);
      emu.awaitTrue(
          () -> emu.registeredCommands(emu.guildId()).size() == 1, WAIT, "/obcluster registered");

      b =
          new SpringApplicationBuilder(ObopsApplication.class, Observers.class)
              .run(asArgs(properties(db, "obops-b", true)));

      // ---- 1: B runs the subtasks, A posts everything in the thread
      Observers.stops.clear();
      long[] first = requestAndApprove();
      long thread1 = first[0];
      long task1 = first[1];
      EmuMessage json1 =
          emu.awaitMessage(thread1, m -> m.attachment("task-" + task1 + ".png").isPresent(), WAIT);
      assertThat(json1).isNotNull();
      assertThat(leaseHolder(jdbc)).isEqualTo(holderA);
      assertThat(
              jdbc.sql(
                      "select distinct executor from subtask_instance where task_id = ? and"
                          + " executor is not null")
                  .param(task1)
                  .query(String.class)
                  .list())
          .isNotEmpty()
          .allMatch(e -> e.startsWith("obops-b"), "executed by B");
      assertEveryMessageOnce(thread1, task1);
      assertThat(Observers.stops).hasSize(6).allSatisfy((ip, n) -> assertThat(n).isEqualTo(1));

      // ---- 2: A is killed mid-task; B takes the gateway over and finishes the thread
      jdbc.sql("update ob_cluster set status = 'RUNNING', operation_task_id = null").update();
      jdbc.sql("update ob_zone set status = 'RUNNING'").update();
      jdbc.sql("update ob_server set status = 'RUNNING'").update();
      Observers.stops.clear();
      Observers.zone2 = new CountDownLatch(1);
      long[] second = requestAndApprove();
      long thread2 = second[0];
      long task2 = second[1];
      for (String ip : List.of("10.3.0.1", "10.3.0.2", "10.3.0.3")) {
        emu.awaitMessage(thread2, m -> m.text().contains("observer on " + ip + " stopped"), WAIT);
      }
      a.kill();
      long killed = System.nanoTime();
      Observers.zone2.countDown();

      emu.awaitTrue(
          () -> {
            String h = leaseHolder(jdbc);
            return h != null && !h.equals(holderA);
          },
          WAIT,
          "B takes the gateway over");
      System.out.printf(
          "replicas: B took the gateway over %.1f s after A was killed%n",
          (System.nanoTime() - killed) / 1e9);
      emu.awaitMessage(thread2, m -> m.attachment("task-" + task2 + ".png").isPresent(), WAIT);
      System.out.printf(
          "replicas: the thread was finished %.1f s after A was killed%n",
          (System.nanoTime() - killed) / 1e9);

      assertEveryMessageOnce(thread2, task2);
      assertThat(Observers.stops).hasSize(6).allSatisfy((ip, n) -> assertThat(n).isEqualTo(1));
      // the last file is marked delivered once the platform's answer is recorded
      emu.awaitTrue(
          () ->
              jdbc.sql("select count(*) from chat_outbox where state <> 'DELIVERED'")
                      .query(Integer.class)
                      .single()
                  == 0,
          WAIT,
          "every outbox row delivered");
    } finally {
      a.close();
      if (b != null) {
        b.close();
      }
    }
  }

  /** The new request's thread and task. */
  private long[] requestAndApprove() {
    emu.slash(ALICE, BOT.ops, "obcluster", "stop", Map.of("id", 1, "reason", "drill"))
        .awaitResponseText(WAIT);
    EmuMessage card =
        emu.awaitMessage(
            BOT.ops, m -> m.button("Approve").map(x -> !x.disabled()).orElse(false), WAIT);
    long thread = emu.await(() -> card.threadId().orElse(null), WAIT, "the card's thread");
    String reply =
        emu.click(BOB, card.id(), card.button("Approve").orElseThrow().customId())
            .awaitResponseText(WAIT);
    Matcher m = TASK.matcher(reply);
    assertThat(m.find()).as(reply).isTrue();
    return new long[] {thread, Long.parseLong(m.group(1))};
  }

  /** Every milestone, the summary, the JSON and the PNG, each exactly once, and the board. */
  private void assertEveryMessageOnce(long thread, long taskId) {
    List<EmuMessage> messages = emu.messages(thread);
    for (String ip : IPS) {
      assertThat(messages.stream().filter(m -> m.text().contains("observer on " + ip + " stopped")))
          .as("one milestone for " + ip)
          .hasSize(1);
    }
    assertThat(messages.stream().filter(m -> m.text().contains("task " + taskId + " (")))
        .as("one summary")
        .hasSize(1);
    assertThat(messages.stream().filter(m -> m.text().contains(") SUCCESSFUL: "))).hasSize(1);
    assertThat(messages.stream().filter(m -> m.attachment("task-" + taskId + ".json").isPresent()))
        .hasSize(1);
    assertThat(messages.stream().filter(m -> m.attachment("task-" + taskId + ".png").isPresent()))
        .hasSize(1);
    assertThat(messages.stream().filter(m -> m.text().contains("Everything about request")))
        .hasSize(1);
    assertThat(messages.stream().filter(m -> m.text().contains("the stop is running"))).hasSize(1);
    assertThat(messages.stream().filter(m -> m.text().contains("Progress of task " + taskId)))
        .isNotEmpty();
  }

  private static String leaseHolder(JdbcClient jdbc) {
    if (jdbc.sql(
                "select count(*) from information_schema.tables where table_name ="
                    + " 'chat_gateway_lease'")
            .query(Integer.class)
            .single()
        == 0) {
      return null; // A is still migrating the database
    }
    return jdbc.sql(
            "select holder from chat_gateway_lease where name = 'discord' and expires_at >"
                + " current_timestamp")
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private static Map<String, String> properties(
      TestDatabase.Coordinates db, String name, boolean engine) {
    Map<String, String> p = new HashMap<>();
    p.put("spring.datasource.url", db.url());
    p.put("spring.datasource.username", db.user());
    p.put("spring.datasource.password", db.password());
    p.put("spring.datasource.hikari.maximum-pool-size", "8");
    p.put("server.port", "0");
    p.put("obops.server-name", name);
    p.put("obops.time-zone", "+08:00");
    p.put("obops.engine.start", Boolean.toString(engine));
    p.put("obops.inventory.file", "src/test/resources/replicas/clusters.yml");
    p.put("obops.access.file", "src/test/resources/discord/access.yml");
    p.put("obops.discord.enabled", "true");
    p.put("obops.discord.token-file", BOT.tokenFile().toString());
    p.put("obops.discord.api-base-url", BOT.emu.restBaseUrl());
    p.put("obops.discord.gateway-url", BOT.emu.gatewayUrl());
    p.put("obops.discord.guild-ids[0]", Long.toString(BOT.emu.guildId()));
    p.put("obops.discord.command-channels[0]", Long.toString(BOT.ops));
    p.put("obops.chat.approver-role", "discord-role:" + DiscordTestBot.APPROVER_ROLE);
    p.put("obops.chat.tick-interval", "100ms");
    p.put("obops.chat.board-interval", "500ms");
    p.put("obops.chat.gateway-lease", "3s");
    p.put("obops.chat.outbox-claim", "3s");
    return p;
  }

  private static String[] asArgs(Map<String, String> p) {
    return p.entrySet().stream()
        .map(e -> "--" + e.getKey() + "=" + e.getValue())
        .toArray(String[]::new);
  }
}
