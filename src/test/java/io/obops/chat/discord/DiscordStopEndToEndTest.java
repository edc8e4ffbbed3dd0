package io.obops.chat.discord;

import static io.obops.chat.discord.DiscordTestBot.ALICE;
import static io.obops.chat.discord.DiscordTestBot.BOB;
import static io.obops.chat.discord.DiscordTestBot.CAROL;
import static org.assertj.core.api.Assertions.assertThat;

import io.obops.chat.ChatService;
import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.chat.discord.emulator.EmuInteraction;
import io.obops.chat.discord.emulator.EmuMessage;
import io.obops.cluster.ObServer;
import io.obops.sandbox.Sandbox;
import io.obops.task.TaskEngine;
import io.obops.testsupport.MutableClock;
import io.obops.testsupport.OcpSample;
import io.obops.testsupport.RunningSandbox;
import io.obops.testsupport.TestClockConfiguration;
import io.obops.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * {@code /obcluster stop} end to end: the real JDA client against the Discord emulator, the whole
 * application on PostgreSQL, the sandbox cluster (2 zones × 2 observers) stopped over real SSH. The
 * engine and the chat ticker are driven by hand with a settable clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
@DirtiesContext
class DiscordStopEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final DiscordTestBot BOT = new DiscordTestBot();
  private static final Pattern TASK = Pattern.compile("task (\\d+) is running");

  @DynamicPropertySource
  static void discord(DynamicPropertyRegistry registry) {
    BOT.register(registry);
    registry.add("obops.sandbox.enabled", () -> "true");
    registry.add("obops.sandbox.zones", () -> "2");
    registry.add("obops.sandbox.servers-per-zone", () -> "2");
    registry.add("obops.chat.tick-interval", () -> "0s");
  }

  @AfterAll
  static void closeEmulator() {
    BOT.emu.close();
  }

  @Autowired TaskEngine engine;
  @Autowired ChatService chat;
  @Autowired Sandbox sandbox;
  @Autowired MutableClock clock;
  @Autowired JdbcClient jdbc;
  @Autowired DiscordBot bot;
  @LocalServerPort int port;

  private final DiscordEmulator emu = BOT.emu;
  private final Set<Long> seenCards = new HashSet<>();

  @BeforeEach
  void runningClusterAndConnectedBot() throws InterruptedException {
    emu.clock(clock);
    emu.tokenTtl(Duration.ofMinutes(15));
    bot.awaitReady();
    emu.awaitTrue(
        () -> emu.registeredCommands(emu.guildId()).size() == 1, WAIT, "/obcluster registered");
    RunningSandbox.restore(jdbc, sandbox);
    emu.messages(BOT.ops).forEach(m -> seenCards.add(m.id()));
  }

  // ------------------------------------------------------------------ helpers

  private EmuInteraction stop(long user, String reason) {
    return emu.slash(user, BOT.ops, "obcluster", "stop", Map.of("id", 1, "reason", reason));
  }

  private EmuMessage newCard() {
    EmuMessage card =
        emu.awaitMessage(
            BOT.ops, m -> !seenCards.contains(m.id()) && m.button("Approve").isPresent(), WAIT);
    seenCards.add(card.id());
    return card;
  }

  private long thread(EmuMessage card) {
    return emu.await(() -> card.threadId().orElse(null), WAIT, "the card's thread");
  }

  private String click(long user, EmuMessage message, String label) {
    String id = message.button(label).orElseThrow().customId();
    return emu.click(user, message.id(), id).awaitResponseText(WAIT);
  }

  private long approvedTask(String reply) {
    Matcher m = TASK.matcher(reply);
    assertThat(m.find()).as(reply).isTrue();
    return Long.parseLong(m.group(1));
  }

  /** Runs the engine, then ticks the reporter (moving the clock) until {@code done} holds. */
  private void runAndReport(java.util.function.BooleanSupplier done) {
    engine.runUntilIdle();
    for (int i = 0; i < 30 && !done.getAsBoolean(); i++) {
      chat.tick();
      clock.advance(Duration.ofSeconds(3));
    }
    assertThat(done.getAsBoolean()).as("reported in 30 ticks").isTrue();
  }

  private EmuMessage board(long thread, long taskId) {
    return emu.messages(thread).stream()
        .filter(m -> m.text().contains("Progress of task " + taskId))
        .reduce((a, b) -> b)
        .orElseThrow();
  }

  private boolean hasFile(long thread, String name) {
    return files(thread, name) > 0;
  }

  private long files(long thread, String name) {
    return emu.messages(thread).stream().filter(m -> m.attachment(name).isPresent()).count();
  }

  /** The task's latest board says the task (not just some subtasks) is SUCCESSFUL. */
  private boolean finishedSuccessfully(long thread, long taskId) {
    return emu.messages(thread).stream()
            .filter(m -> m.text().contains("Progress of task " + taskId))
            .reduce((a, b) -> b)
            .map(m -> m.content().lines().findFirst().orElse("").endsWith(" SUCCESSFUL"))
            .orElse(false)
        && files(thread, "task-" + taskId + ".json") > 0;
  }

  private String threadText(long thread) {
    StringBuilder all = new StringBuilder();
    emu.messages(thread).forEach(m -> all.append(m.text()).append('\n'));
    return all.toString();
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + TestTokens.token("viewer"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return OcpSample.JSON.readTree(r.body());
  }

  // ------------------------------------------------------------------ the flow

  @Test
  void aStopRequestedByAliceAndApprovedByBobStopsEveryObserverAndReportsInTheThread()
      throws Exception {
    EmuInteraction request = stop(ALICE, "disk swap on zone1");
    assertThat(request.awaitAck(WAIT)).isEqualTo(EmuInteraction.DEFER_REPLY);
    assertThat(request.awaitResponseText(WAIT)).contains("is posted");
    assertThat(request.original().orElseThrow().ephemeral()).isTrue();
    assertThat(request.ackLatency().orElseThrow()).isLessThan(Duration.ofSeconds(3));
    EmuMessage card = newCard();
    assertThat(card.text()).contains("<@&" + DiscordTestBot.APPROVER_ROLE + ">", "disk swap");
    long thread = thread(card);
    emu.awaitMessage(BOT.announce, m -> m.content().contains("/" + thread), WAIT);

    String carol = stop(CAROL, "curious").awaitResponseText(WAIT);
    // carol holds no role: she may not even see the cluster, so it "does not exist" for her
    assertThat(carol).contains("does not exist, or is not one you may see");
    assertThat(click(CAROL, card, "Approve")).contains("is not one you may see");
    assertThat(click(ALICE, card, "Approve")).contains("you requested", "can't approve");
    long taskId = approvedTask(click(BOB, card, "Approve"));
    // Every interaction token expires during the report (each tick moves the clock 3 s).
    emu.tokenTtl(Duration.ofSeconds(1));

    runAndReport(() -> hasFile(thread, "task-" + taskId + ".json"));

    assertThat(emu.expiredTokenUses()).isZero();
    for (ObServer s : sandbox.servers()) {
      assertThat(sandbox.isObserverRunning(s)).as(s.ip()).isFalse();
    }
    String text = threadText(thread);
    for (ObServer s : sandbox.servers()) {
      assertThat(
              Pattern.compile("observer on " + Pattern.quote(s.ip()) + " stopped")
                  .matcher(text)
                  .results()
                  .count())
          .as("one milestone for " + s.ip())
          .isEqualTo(1);
    }
    EmuMessage board =
        emu.messages(thread).stream()
            .filter(m -> m.text().contains("Progress of task " + taskId))
            .reduce((a, b) -> b)
            .orElseThrow();
    assertThat(finishedSuccessfully(thread, taskId)).isTrue();
    assertThat(board.content()).doesNotContain("FAILED");
    assertThat(board.embeds().get(0).path("color").asInt()).isEqualTo(0x2ECC71);
    EmuMessage file =
        emu.messages(thread).stream()
            .filter(m -> m.attachment("task-" + taskId + ".json").isPresent())
            .findFirst()
            .orElseThrow();
    JsonNode envelope =
        OcpSample.JSON.readTree(file.attachment("task-" + taskId + ".json").orElseThrow().text());
    JsonNode rest = get("/api/v2/tasks/instances/" + taskId);
    assertThat(envelope.get("data")).isEqualTo(rest.get("data"));
    assertThat(envelope.propertyNames()).containsExactlyInAnyOrderElementsOf(rest.propertyNames());
    emu.awaitMessage(BOT.announce, m -> m.content().contains("Task " + taskId + " ended"), WAIT);
    assertThat(emu.staleEdits()).isZero();
    assertThat(emu.earnedRateLimits()).isZero();
  }

  private long requestAndApprove() {
    stop(ALICE, "drill").awaitResponseText(WAIT);
    EmuMessage card = newCard();
    thread(card);
    return approvedTask(click(BOB, card, "Approve"));
  }

  private EmuMessage failureWithRetry(long thread) {
    return emu.awaitMessage(thread, m -> m.button("Retry").isPresent(), WAIT);
  }

  @Test
  void aFailingServerShowsItsErrorWithRetryAndTheRetryCompletesTheStopAfterTheFix() {
    ObServer victim = sandbox.servers().get(0);
    sandbox.stopSshServer(victim);
    stop(ALICE, "drill").awaitResponseText(WAIT);
    EmuMessage card = newCard();
    long thread = thread(card);
    long taskId = approvedTask(click(BOB, card, "Approve"));

    runAndReport(() -> emu.messages(thread).stream().anyMatch(m -> m.button("Retry").isPresent()));

    EmuMessage failure = failureWithRetry(thread);
    assertThat(failure.text()).contains(victim.ip(), "cannot reach");
    assertThat(sandbox.isObserverRunning(victim)).isTrue();
    sandbox.startSshServer(victim);
    assertThat(click(ALICE, failure, "Retry")).contains("Retrying");

    runAndReport(() -> files(thread, "task-" + taskId + ".json") == 2);

    assertThat(finishedSuccessfully(thread, taskId)).isTrue();
    assertThat(sandbox.servers()).noneMatch(sandbox::isObserverRunning);
  }

  @Test
  void restartingTheBotMidTaskContinuesInTheSameThreadWithOldButtonsAndAFreshBoardAnHourLater()
      throws InterruptedException {
    ObServer victim = sandbox.servers().get(1);
    sandbox.stopSshServer(victim);
    stop(ALICE, "drill").awaitResponseText(WAIT);
    EmuMessage card = newCard();
    long thread = thread(card);
    long taskId = approvedTask(click(BOB, card, "Approve"));
    runAndReport(() -> emu.messages(thread).stream().anyMatch(m -> m.button("Retry").isPresent()));
    int threadsBefore = emu.threads().size();
    int identifiesBefore = emu.identifies();

    long firstBoard = board(thread, taskId).id();

    bot.stop();
    clock.advance(Duration.ofMinutes(61)); // the board is now too old to edit
    bot.start();
    bot.awaitReady();

    assertThat(emu.identifies()).isEqualTo(identifiesBefore + 1);
    sandbox.startSshServer(victim);
    assertThat(click(ALICE, failureWithRetry(thread), "Retry")).contains("Retrying");
    runAndReport(() -> files(thread, "task-" + taskId + ".json") == 2);
    assertThat(emu.threads()).hasSize(threadsBefore);
    assertThat(sandbox.servers()).noneMatch(sandbox::isObserverRunning);
    assertThat(board(thread, taskId).id()).isNotEqualTo(firstBoard);
    assertThat(finishedSuccessfully(thread, taskId)).isTrue();
    assertThat(emu.staleEdits()).isZero();
  }

  @Test
  void forcedRateLimitsDelayTheReportButLoseNothing() {
    stop(ALICE, "drill").awaitResponseText(WAIT);
    EmuMessage card = newCard();
    long thread = thread(card);
    int before = emu.rateLimited();
    emu.forceRateLimit("POST", "^channels/" + thread + "/messages$", 2, 1);
    emu.forceRateLimit("PATCH", "^channels/\\d+/messages/\\d+$", 2, 1);
    long taskId = approvedTask(click(BOB, card, "Approve"));

    runAndReport(() -> hasFile(thread, "task-" + taskId + ".json"));

    assertThat(emu.rateLimited() - before).isEqualTo(4);
    assertThat(emu.earnedRateLimits()).isZero();
    String text = threadText(thread);
    for (ObServer s : sandbox.servers()) {
      assertThat(text).contains("observer on " + s.ip() + " stopped");
    }
    assertThat(text).containsIgnoringCase("approved");
    assertThat(hasFile(thread, "task-" + taskId + ".png")).isTrue();
  }

  @Test
  void startAgainOnAStopsSummaryAndTheStartCommandTakeTheClusterBackThroughApproval() {
    stop(ALICE, "drill").awaitResponseText(WAIT);
    EmuMessage card = newCard();
    long thread = thread(card);
    long stopTask = approvedTask(click(BOB, card, "Approve"));
    runAndReport(() -> hasFile(thread, "task-" + stopTask + ".json"));
    EmuMessage summary = emu.awaitMessage(thread, m -> m.button("Start again").isPresent(), WAIT);
    assertThat(summary.text()).contains("Stop OB cluster", "SUCCESSFUL");
    assertThat(stop(ALICE, "again").awaitResponseText(WAIT))
        .contains("is STOPPED", "ran task " + stopTask, "/obcluster start demo reason:<why>");

    assertThat(click(ALICE, summary, "Start again")).contains("to start demo is posted");
    EmuMessage startCard = newCard();
    assertThat(startCard.text()).contains("Start cluster demo");
    long startThread = thread(startCard);
    assertThat(sandbox.servers()).noneMatch(sandbox::isObserverRunning); // still gated
    long startTask = approvedTask(click(BOB, startCard, "Approve"));
    runAndReport(() -> hasFile(startThread, "task-" + startTask + ".json"));

    assertThat(finishedSuccessfully(startThread, startTask)).isTrue();
    assertThat(threadText(startThread)).contains("4/4 observers started");
    assertThat(sandbox.servers()).allMatch(sandbox::isObserverRunning);
    EmuInteraction start =
        emu.slash(ALICE, BOT.ops, "obcluster", "start", Map.of("id", 1, "reason", "again"));
    assertThat(start.awaitResponseText(WAIT)).contains("is RUNNING; a start needs it STOPPED");
  }

  @Test
  void theClusterIdAutocompletesWithNames() {
    JsonNode choices =
        emu.autocomplete(ALICE, BOT.ops, "obcluster", "stop", "id", "de").awaitChoices(WAIT);

    assertThat(choices.get(0).path("name").asString()).isEqualTo("1 — demo");
    assertThat(choices.get(0).path("value").asLong()).isEqualTo(1);
  }

  @Test
  void commandsOutsideTheConfiguredChannelsAreRefusedEphemerally() {
    EmuInteraction elsewhere = emu.slash(ALICE, BOT.announce, "obcluster", "list", Map.of());

    assertThat(elsewhere.awaitResponseText(WAIT)).contains("not accepted in this channel");
    assertThat(elsewhere.original().orElseThrow().ephemeral()).isTrue();
  }
}
