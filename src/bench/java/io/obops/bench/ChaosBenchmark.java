package io.obops.bench;

import static io.obops.chat.discord.DiscordTestBot.ALICE;
import static io.obops.chat.discord.DiscordTestBot.BOB;

import com.zaxxer.hikari.HikariDataSource;
import io.obops.ObopsApplication;
import io.obops.chat.discord.DiscordTestBot;
import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.chat.discord.emulator.EmuMessage;
import io.obops.testsupport.ReplicaProcess;
import io.obops.testsupport.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Chaos: {@value #ROUNDS} rounds of a 30-server "Stop OB cluster" on the sandbox (3 zones × 10
 * observers, real SSH, observers that take {@value #EXIT_DELAY} to exit), each requested and
 * approved in Discord (the emulator), with the obops process killed with SIGKILL at a random moment
 * of the stop and started again. Checks, per round: the task ends SUCCESSFUL; every observer is
 * gone and was signalled at most once (a kill between the signal and its milestone leaves an
 * "already stopped" instead); the thread shows each server's milestone, the summary, the JSON and
 * the PNG exactly once and the outbox is fully delivered. Prints the recovery times (from the kill,
 * and from the restarted process holding the gateway, to the task's end and to the thread's end):
 * median and max. The gateway lease is 3 s here (10 s by default).
 *
 * <p>Run with {@code ./mvnw -Pbench -DskipTests test-compile exec:java@chaos} (about 15 minutes on
 * two cores); {@code -Dchaos.rounds=N} for fewer rounds.
 */
public final class ChaosBenchmark {

  private static final int ROUNDS = 20;
  private static final String EXIT_DELAY = "600ms";
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static final Pattern TASK = Pattern.compile("task (\\d+) is running");
  private static final Random RANDOM = new Random();

  public static void main(String[] args) throws Exception {
    int rounds = Integer.getInteger("chaos.rounds", ROUNDS);
    DiscordTestBot bot = new DiscordTestBot();
    DiscordEmulator emu = bot.emu;
    TestDatabase.Coordinates db = TestDatabase.createEmpty();
    Path base = Files.createTempDirectory("obops-chaos-sandbox");
    Path inventory = Files.createTempFile("obops-chaos-inventory", ".yml");
    Files.writeString(inventory, "clusters: []\n");
    Path log = Files.createTempFile("obops-chaos", ".log");
    Map<String, String> props = properties(bot, db, base, inventory);
    List<Double> fromKillToTask = new ArrayList<>();
    List<Double> fromKillToThread = new ArrayList<>();
    List<Double> fromReadyToTask = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    int midTask = 0;
    int alreadyStopped = 0;
    System.out.println("chaos: log of the obops processes in " + log);
    try (HikariDataSource ds = new HikariDataSource()) {
      ds.setJdbcUrl(db.url());
      ds.setUsername(db.user());
      ds.setPassword(db.password());
      ds.setMaximumPoolSize(2);
      JdbcClient jdbc = JdbcClient.create(ds);
      for (int round = 1; round <= rounds; round++) {
        if (round > 1) {
          jdbc.sql("update ob_cluster set status = 'RUNNING', operation_task_id = null").update();
          jdbc.sql("update ob_zone set status = 'RUNNING'").update();
          jdbc.sql("update ob_server set status = 'RUNNING'").update();
        }
        int identifies = emu.identifies();
        ReplicaProcess first = ReplicaProcess.start(ObopsApplication.class.getName(), props, log);
        String holder = awaitNewHolder(emu, jdbc, null);
        // its bot is on the gateway (the emulator dispatches to the newest session)
        emu.awaitTrue(() -> emu.identifies() > identifies, WAIT, "the bot identified");
        long[] requested = requestAndApprove(emu, bot);
        long thread = requested[0];
        long taskId = requested[1];
        Thread.sleep(300 + RANDOM.nextInt(4500));
        String status = taskStatus(jdbc, taskId);
        midTask += status.equals("RUNNING") ? 1 : 0;
        first.kill();
        long killed = System.nanoTime();
        ReplicaProcess second = ReplicaProcess.start(ObopsApplication.class.getName(), props, log);
        awaitNewHolder(emu, jdbc, holder);
        long ready = System.nanoTime();
        emu.awaitTrue(() -> taskStatus(jdbc, taskId).equals("SUCCESSFUL"), WAIT, "task " + taskId);
        long ended = System.nanoTime();
        emu.awaitMessage(thread, m -> m.attachment("task-" + taskId + ".png").isPresent(), WAIT);
        emu.awaitTrue(
            () ->
                jdbc.sql("select count(*) from chat_outbox where state <> 'DELIVERED'")
                        .query(Integer.class)
                        .single()
                    == 0,
            WAIT,
            "outbox delivered");
        long threadDone = System.nanoTime();
        fromKillToTask.add((ended - killed) / 1e9);
        fromKillToThread.add((threadDone - killed) / 1e9);
        fromReadyToTask.add(Math.max(0, ended - ready) / 1e9);
        alreadyStopped += checkObservers(jdbc, taskId, base, problems, round);
        checkThread(emu, jdbc, thread, taskId, problems, round);
        System.out.printf(
            Locale.ROOT,
            "chaos: round %d: killed %s (task %s), task SUCCESSFUL %.1f s after the kill (%.1f s"
                + " after the new process held the gateway), thread complete %.1f s after the"
                + " kill%n",
            round,
            status.equals("RUNNING") ? "mid-task" : "after the task",
            status,
            fromKillToTask.get(fromKillToTask.size() - 1),
            fromReadyToTask.get(fromReadyToTask.size() - 1),
            fromKillToThread.get(fromKillToThread.size() - 1));
        second.stop(); // idle: a clean shutdown before the next round's observers start
      }
    } finally {
      emu.close();
    }
    System.out.printf(
        Locale.ROOT,
        "chaos: %d rounds, %d kills mid-task; kill -> task SUCCESSFUL: median %.1f s, max %.1f"
            + " s; gateway held by the new process -> task SUCCESSFUL: median %.1f s, max %.1f s;"
            + " kill -> thread complete: median %.1f s, max %.1f s; %d observer(s) reported"
            + " 'already stopped' after a kill between signal and milestone%n",
        rounds,
        midTask,
        median(fromKillToTask),
        max(fromKillToTask),
        median(fromReadyToTask),
        max(fromReadyToTask),
        median(fromKillToThread),
        max(fromKillToThread),
        alreadyStopped);
    System.out.println(
        problems.isEmpty()
            ? "chaos: every task SUCCESSFUL, every observer stopped once, no chat message lost"
                + " or duplicated"
            : "chaos: PROBLEMS:\n  " + String.join("\n  ", problems));
    System.exit(problems.isEmpty() ? 0 : 1);
  }

  /** Waits until a process other than {@code previous} holds the Discord gateway; its name. */
  private static String awaitNewHolder(DiscordEmulator emu, JdbcClient jdbc, String previous) {
    return emu.await(
        () -> {
          try {
            String h =
                jdbc.sql(
                        "select holder from chat_gateway_lease where name = 'discord' and"
                            + " expires_at > current_timestamp")
                    .query(String.class)
                    .optional()
                    .orElse(null);
            return h == null || h.equals(previous) ? null : h;
          } catch (RuntimeException e) {
            return null; // the first process is still migrating the database
          }
        },
        WAIT,
        "a new process holds the gateway");
  }

  private static long[] requestAndApprove(DiscordEmulator emu, DiscordTestBot bot) {
    // the new process holds the gateway; its bot may still be logging in
    emu.await(
            () -> {
              try {
                return emu.slash(
                    ALICE, bot.ops, "obcluster", "stop", Map.of("id", 1, "reason", "chaos"));
              } catch (IllegalStateException notYet) {
                return null;
              }
            },
            WAIT,
            "a bot connected")
        .awaitResponseText(WAIT);
    EmuMessage card =
        emu.awaitMessage(
            bot.ops, m -> m.button("Approve").map(x -> !x.disabled()).orElse(false), WAIT);
    long thread = emu.await(() -> card.threadId().orElse(null), WAIT, "the card's thread");
    String reply =
        emu.click(BOB, card.id(), card.button("Approve").orElseThrow().customId())
            .awaitResponseText(WAIT);
    Matcher m = TASK.matcher(reply);
    if (!m.find()) {
      throw new IllegalStateException("not approved: " + reply);
    }
    return new long[] {thread, Long.parseLong(m.group(1))};
  }

  private static String taskStatus(JdbcClient jdbc, long taskId) {
    return jdbc.sql("select status from task_instance where id = ?")
        .param(taskId)
        .query(String.class)
        .single();
  }

  /** Every server's observer gone, signalled at most once; returns the "already stopped" count. */
  private static int checkObservers(
      JdbcClient jdbc, long taskId, Path base, List<String> problems, int round)
      throws java.io.IOException {
    List<Map<String, Object>> rows =
        jdbc.sql(
                "select s.target_value as server, m.data as data from subtask_milestone m join"
                    + " subtask_instance s on s.id = m.subtask_id where m.task_id = ?")
            .param(taskId)
            .query()
            .listOfRows();
    Map<String, Integer> signalled = new HashMap<>();
    int already = 0;
    for (Map<String, Object> r : rows) {
      String data = String.valueOf(r.get("data"));
      if (data.replace(" ", "").contains("\"already_stopped\":\"true\"")) {
        already++;
      } else {
        signalled.merge(String.valueOf(r.get("server")), 1, Integer::sum);
      }
    }
    signalled.forEach(
        (server, n) -> {
          if (n > 1) {
            problems.add("round " + round + ": server " + server + " signalled " + n + " times");
          }
        });
    long servers =
        jdbc.sql("select count(*) from ob_server where status = 'PROCESS_STOPPED'")
            .query(Long.class)
            .single();
    if (servers != 30) {
      problems.add("round " + round + ": " + servers + " of 30 servers PROCESS_STOPPED");
    }
    long alive = observersAlive(base);
    if (alive > 0) {
      problems.add("round " + round + ": " + alive + " observer process(es) still running");
    }
    return already;
  }

  /** Live processes whose argv[0] is an observer under the sandbox's base directory. */
  private static long observersAlive(Path base) throws java.io.IOException {
    String prefix = base.toRealPath().toString();
    try (Stream<Path> procs = Files.list(Path.of("/proc"))) {
      return procs
          .filter(p -> p.getFileName().toString().chars().allMatch(Character::isDigit))
          .filter(
              p -> {
                try {
                  String cmd = new String(Files.readAllBytes(p.resolve("cmdline")));
                  int nul = cmd.indexOf('\0');
                  String argv0 = nul < 0 ? cmd : cmd.substring(0, nul);
                  return argv0.startsWith(prefix) && argv0.endsWith("/bin/observer");
                } catch (java.io.IOException e) {
                  return false;
                }
              })
          .count();
    }
  }

  private static void checkThread(
      DiscordEmulator emu,
      JdbcClient jdbc,
      long thread,
      long taskId,
      List<String> problems,
      int round) {
    List<EmuMessage> messages = emu.messages(thread);
    List<String> ips = jdbc.sql("select ip from ob_server").query(String.class).list();
    for (String ip : ips) {
      long n = messages.stream().filter(m -> m.text().contains("observer on " + ip + " ")).count();
      if (n != 1) {
        problems.add("round " + round + ": " + n + " milestone message(s) for " + ip);
      }
    }
    expectOnce(
        messages, m -> m.text().contains("task " + taskId + " ("), "summary", problems, round);
    expectOnce(
        messages,
        m -> m.attachment("task-" + taskId + ".json").isPresent(),
        "JSON",
        problems,
        round);
    expectOnce(
        messages, m -> m.attachment("task-" + taskId + ".png").isPresent(), "PNG", problems, round);
    expectOnce(
        messages,
        m -> m.text().contains("Everything about request"),
        "first line",
        problems,
        round);
    expectOnce(
        messages, m -> m.text().contains("the stop is running"), "decision", problems, round);
  }

  private static void expectOnce(
      List<EmuMessage> messages,
      java.util.function.Predicate<EmuMessage> match,
      String what,
      List<String> problems,
      int round) {
    long n = messages.stream().filter(match).count();
    if (n != 1) {
      problems.add("round " + round + ": " + n + " " + what + " message(s)");
    }
  }

  private static Map<String, String> properties(
      DiscordTestBot bot, TestDatabase.Coordinates db, Path base, Path inventory) {
    Map<String, String> p = new HashMap<>();
    p.put("spring.datasource.url", db.url());
    p.put("spring.datasource.username", db.user());
    p.put("spring.datasource.password", db.password());
    p.put("spring.datasource.hikari.maximum-pool-size", "16");
    p.put("server.port", "0");
    p.put("obops.server-name", "obops-chaos");
    p.put("obops.time-zone", "+08:00");
    p.put("obops.engine.start", "true");
    p.put("obops.inventory.file", inventory.toString());
    p.put("obops.access.file", "src/test/resources/discord/access.yml");
    p.put("obops.sandbox.enabled", "true");
    p.put("obops.sandbox.zones", "3");
    p.put("obops.sandbox.servers-per-zone", "10");
    p.put("obops.sandbox.base-dir", base.toString());
    p.put("obops.sandbox.observer-exit-delay", EXIT_DELAY);
    p.put("obops.discord.enabled", "true");
    p.put("obops.discord.token-file", bot.tokenFile().toString());
    p.put("obops.discord.api-base-url", bot.emu.restBaseUrl());
    p.put("obops.discord.gateway-url", bot.emu.gatewayUrl());
    p.put("obops.discord.guild-ids[0]", Long.toString(bot.emu.guildId()));
    p.put("obops.discord.command-channels[0]", Long.toString(bot.ops));
    p.put("obops.chat.approver-role", "discord-role:" + DiscordTestBot.APPROVER_ROLE);
    p.put("obops.chat.tick-interval", "100ms");
    p.put("obops.chat.gateway-lease", "3s");
    p.put("obops.chat.outbox-claim", "3s");
    return p;
  }

  private static double median(List<Double> xs) {
    List<Double> s = xs.stream().sorted().toList();
    int n = s.size();
    return n == 0 ? 0 : n % 2 == 1 ? s.get(n / 2) : (s.get(n / 2 - 1) + s.get(n / 2)) / 2;
  }

  private static double max(List<Double> xs) {
    return xs.stream().mapToDouble(Double::doubleValue).max().orElse(0);
  }
}
