package io.obops.chat.discord;

import static io.obops.chat.discord.DiscordTestBot.ALICE;
import static io.obops.chat.discord.DiscordTestBot.APPROVER_ROLE;
import static io.obops.chat.discord.DiscordTestBot.BOB;
import static io.obops.chat.discord.DiscordTestBot.CAROL;
import static io.obops.chat.discord.DiscordTestBot.OPERATOR_ROLE;
import static org.assertj.core.api.Assertions.assertThat;

import io.obops.chat.ChatService;
import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.chat.discord.emulator.EmuInteraction;
import io.obops.chat.discord.emulator.EmuMessage;
import io.obops.chat.discord.emulator.EmuPermissions;
import io.obops.sandbox.Sandbox;
import io.obops.task.TaskEngine;
import io.obops.testsupport.MutableClock;
import io.obops.testsupport.RunningSandbox;
import io.obops.testsupport.TestClockConfiguration;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The bot against an emulator that plays by Discord's rules: the bot is an ordinary member with
 * only the permissions each test gives it, threads archive and lock, roles are not mentionable
 * unless said so, files can be refused. Real JDA, the whole application on PostgreSQL, the sandbox
 * cluster stopped over SSH; the engine and the chat ticker driven by hand on a settable clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
@DirtiesContext
class DiscordRulesEndToEndTest {

  private static final Duration WAIT = Duration.ofSeconds(20);
  private static final DiscordTestBot BOT = new DiscordTestBot();
  private static final Pattern TASK = Pattern.compile("task (\\d+) is running");

  @DynamicPropertySource
  static void discord(DynamicPropertyRegistry registry) {
    BOT.register(registry);
    registry.add("obops.sandbox.enabled", () -> "true");
    registry.add("obops.sandbox.zones", () -> "1");
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
  @Autowired DiscordHealth health;

  private final DiscordEmulator emu = BOT.emu;
  private final Set<Long> seenCards = new HashSet<>();

  @BeforeEach
  void runningClusterAndConnectedBot() throws InterruptedException {
    emu.clock(clock);
    bot.awaitReady();
    emu.awaitTrue(
        () -> emu.registeredCommands(emu.guildId()).size() == 1, WAIT, "/obcluster registered");
    RunningSandbox.restore(jdbc, sandbox);
    emu.messages(BOT.ops).forEach(m -> seenCards.add(m.id()));
  }

  @AfterEach
  void everyPermissionBack() {
    grant(EmuPermissions.OBOPS);
    jdbc.sql(
            "update approval_request set state = 'CANCELLED', pending_cluster_id = null"
                + " where state = 'PENDING' or pending_cluster_id is not null")
        .update();
    // What a test left undelivered (and the channel's backoff after a refusal) stays with it.
    jdbc.sql("delete from chat_outbox where delivered_at is null").update();
    clock.advance(Duration.ofMinutes(10));
  }

  // ------------------------------------------------------------------ helpers

  /** Gives the bot's role exactly these permissions and waits until JDA has seen the change. */
  private void grant(long permissions) {
    emu.botPermissions(permissions);
    emu.awaitTrue(
        () -> {
          List<String> missing = bot.permissionReport().values().iterator().next();
          if (permissions == EmuPermissions.OBOPS) {
            return missing.isEmpty();
          }
          for (long bit = 1; bit != 0; bit <<= 1) {
            String name = EmuPermissions.name(bit);
            if ((EmuPermissions.OBOPS & ~permissions & bit) != 0
                && missing.stream().noneMatch(m -> m.startsWith(name))) {
              return false;
            }
          }
          return true;
        },
        WAIT,
        "JDA sees the bot's new permissions (it sees " + bot.permissionReport() + " so far)");
  }

  private EmuInteraction stop(long user, String reason) {
    return emu.slash(user, BOT.ops, "obcluster", "stop", Map.of("id", "1", "reason", reason));
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

  private long approvedTask(EmuMessage card) {
    String id = card.button("Approve").orElseThrow().customId();
    String reply = emu.click(BOB, card.id(), id).awaitResponseText(WAIT);
    Matcher m = TASK.matcher(reply);
    assertThat(m.find()).as(reply).isTrue();
    return Long.parseLong(m.group(1));
  }

  private void runAndReport(BooleanSupplier done) {
    engine.runUntilIdle();
    for (int i = 0; i < 30 && !done.getAsBoolean(); i++) {
      chat.tick();
      clock.advance(Duration.ofSeconds(3));
    }
    assertThat(done.getAsBoolean()).as("reported in 30 ticks").isTrue();
  }

  private boolean has(long channel, String text) {
    return emu.messages(channel).stream().anyMatch(m -> m.text().contains(text));
  }

  private boolean hasFile(long channel, String name) {
    return emu.messages(channel).stream().anyMatch(m -> m.attachment(name).isPresent());
  }

  private long requests() {
    return jdbc.sql("select count(*) from approval_request").query(Long.class).single();
  }

  // ------------------------------------------------------------------ checks before acting

  @ParameterizedTest(name = "without {0}")
  @ValueSource(
      strings = {
        "View Channel",
        "Send Messages",
        "Embed Links",
        "Attach Files",
        "Create Public Threads",
        "Send Messages in Threads"
      })
  void aStopRequestWhereTheBotLacksAPermissionIsRefusedAtOnceNamingItAndCreatesNothing(
      String permission) {
    long bit = bit(permission);
    grant(EmuPermissions.OBOPS & ~bit);
    long before = requests();
    int threads = emu.threads().size();
    long posted = posted();

    EmuInteraction request = stop(ALICE, "disk swap");
    String answer = request.awaitResponseText(WAIT);

    assertThat(answer).contains(permission, "<#" + BOT.ops + ">", "administrator");
    assertThat(request.original().orElseThrow().ephemeral()).isTrue();
    assertThat(requests()).isEqualTo(before);
    assertThat(emu.threads()).hasSize(threads);
    assertThat(posted()).isEqualTo(posted);
    Health h = health.health();
    assertThat(h.getStatus()).isEqualTo(DiscordHealth.DEGRADED);
    assertThat(h.getDetails().get("missingPermissions").toString()).contains(permission);
  }

  private long posted() {
    return emu.messages(BOT.ops).stream().filter(m -> !m.fromInteraction()).count();
  }

  private static long bit(String name) {
    for (long b :
        List.of(
            EmuPermissions.VIEW_CHANNEL,
            EmuPermissions.SEND_MESSAGES,
            EmuPermissions.EMBED_LINKS,
            EmuPermissions.ATTACH_FILES,
            EmuPermissions.CREATE_PUBLIC_THREADS,
            EmuPermissions.SEND_MESSAGES_IN_THREADS)) {
      if (EmuPermissions.name(b).equals(name)) {
        return b;
      }
    }
    throw new IllegalArgumentException(name);
  }

  @Test
  void aRequestWhoseThreadDiscordRefusesAfterAllIsCancelledNotLeftPending() {
    // JDA's cache says the bot may open threads; Discord knows better (50013).
    emu.failNext("POST", "^channels/" + BOT.ops + "/messages/\\d+/threads$", 1, 403, 50013);

    String answer = stop(ALICE, "drill").awaitResponseText(WAIT);

    assertThat(answer).contains("could not be posted here", "cancelled", "nothing will run");
    assertThat(
            jdbc.sql("select count(*) from approval_request where state = 'PENDING'")
                .query(Long.class)
                .single())
        .isZero();
    // The card was up when its thread was refused: it is shown closed, its buttons gone or off
    // (once past the channel's backoff after that failure).
    clock.advance(Duration.ofSeconds(2));
    chat.tick();
    EmuMessage refused =
        emu.messages(BOT.ops).stream()
            .filter(m -> !seenCards.contains(m.id()))
            .reduce((a, b) -> b)
            .orElseThrow();
    seenCards.add(refused.id());
    assertThat(refused.text()).contains("cancelled");
    assertThat(refused.buttons()).allMatch(EmuMessage.Button::disabled);
    assertThat(stop(ALICE, "drill, again").awaitResponseText(WAIT)).contains("is posted");
    String cancel = newCard().button("Cancel (requester)").orElseThrow().customId();
    emu.click(
            ALICE,
            emu.messages(BOT.ops).stream()
                .filter(m -> m.button(cancel).isPresent())
                .findFirst()
                .orElseThrow()
                .id(),
            cancel)
        .awaitResponseText(WAIT);
  }

  @Test
  void withEveryPermissionTheHealthIsUpAndNothingIsMissing() {
    Health h = health.health();

    assertThat(h.getStatus().getCode()).isEqualTo("UP");
    assertThat(h.getDetails().get("state")).isEqualTo("CONNECTED");
    assertThat(bot.permissionReport().values()).allMatch(List::isEmpty);
  }

  // ------------------------------------------------------------------ mentions

  @Test
  void onlyTheApproverRolePingsNeverEveryoneOrRolesOrUsersFromTheReason() {
    emu.mentionable(APPROVER_ROLE, true);
    emu.mentionable(OPERATOR_ROLE, true);
    try {
      stop(ALICE, "@everyone @here <@&" + OPERATOR_ROLE + "> <@" + CAROL + "> look")
          .awaitResponseText(WAIT);
      EmuMessage card = newCard();

      assertThat(card.pings().roles()).containsExactly(APPROVER_ROLE);
      assertThat(card.pings().users()).isEmpty();
      assertThat(card.pings().everyone()).isFalse();
      long thread = thread(card);
      approvedTask(card);
      runAndReport(() -> has(thread, "is running"));
      assertThat(emu.messages(thread)).noneMatch(m -> m.pings().any());
    } finally {
      emu.mentionable(APPROVER_ROLE, false);
      emu.mentionable(OPERATOR_ROLE, false);
    }
  }

  @Test
  void anApproverRoleThatIsNotMentionableNotifiesNobody() {
    stop(ALICE, "drill").awaitResponseText(WAIT);
    EmuMessage card = newCard();

    assertThat(card.content()).contains("<@&" + APPROVER_ROLE + ">");
    assertThat(card.pings().any()).isFalse(); // hence the README: make it mentionable
    String cancel = card.button("Cancel (requester)").orElseThrow().customId();
    assertThat(emu.click(ALICE, card.id(), cancel).awaitResponseText(WAIT)).contains("cancelled");
  }

  // ------------------------------------------------------------------ threads

  @Test
  void anAutoArchivedThreadReceivesTheNextPostAndIsUnarchived() {
    stop(ALICE, "drill").awaitResponseText(WAIT);
    EmuMessage card = newCard();
    long thread = thread(card);
    long taskId = approvedTask(card);
    clock.advance(Duration.ofDays(8)); // the thread was opened with a week's auto-archive
    assertThat(emu.archiveIdleThreads()).isGreaterThanOrEqualTo(1);
    assertThat(emu.thread(thread).orElseThrow().archived()).isTrue();
    int before = emu.messages(thread).size();

    runAndReport(() -> hasFile(thread, "task-" + taskId + ".json"));

    assertThat(emu.messages(thread).size()).isGreaterThan(before);
    assertThat(emu.thread(thread).orElseThrow().archived()).isFalse();
    assertThat(emu.messages(BOT.ops)).noneMatch(m -> m.content().contains("<#" + thread + ">"));
  }

  @Test
  void aLockedThreadMovesTheConversationToTheParentChannelWithANotice() {
    stop(ALICE, "drill").awaitResponseText(WAIT);
    EmuMessage card = newCard();
    long thread = thread(card);
    long taskId = approvedTask(card);
    emu.lockThread(thread);
    int inThread = emu.messages(thread).size();

    runAndReport(() -> hasFile(BOT.ops, "task-" + taskId + ".json"));

    assertThat(emu.messages(thread)).hasSize(inThread);
    assertThat(has(BOT.ops, "<#" + thread + "> is locked")).isTrue();
    assertThat(emu.messages(BOT.ops).stream().filter(m -> m.content().contains("is locked")))
        .hasSize(1);
    assertThat(emu.requests())
        .noneMatch(r -> r.path().startsWith("channels/" + thread + "/") && r.status() == 403);
  }

  // ------------------------------------------------------------------ files

  @Test
  void aFileDiscordRefusesIsRetriedByTheOutboxAndPostedOnceItCan() {
    stop(ALICE, "drill").awaitResponseText(WAIT);
    EmuMessage card = newCard();
    long thread = thread(card);
    long taskId = approvedTask(card);
    grant(EmuPermissions.OBOPS & ~EmuPermissions.ATTACH_FILES);
    String json = "task-" + taskId + ".json";

    runAndReport(() -> has(thread, "observers") || has(thread, "stopped"));
    for (int i = 0; i < 5; i++) {
      chat.tick();
      clock.advance(Duration.ofSeconds(3));
    }
    assertThat(hasFile(thread, json)).isFalse();
    assertThat(
            jdbc.sql(
                    "select count(*) from chat_outbox where file_name = ? and delivered_at is null"
                        + " and attempts > 0")
                .param(json)
                .query(Long.class)
                .single())
        .isEqualTo(1);

    grant(EmuPermissions.OBOPS);
    runAndReport(() -> hasFile(thread, json) && hasFile(thread, "task-" + taskId + ".png"));

    assertThat(emu.messages(thread).stream().filter(m -> m.attachment(json).isPresent()))
        .hasSize(1);
  }

  // ------------------------------------------------------------------ autocomplete

  @Test
  void theClusterOptionIsAStringThatAcceptsANameOrAnId() {
    JsonNode option =
        emu.registeredCommands(emu.guildId()).get(0).path("options").get(0).path("options").get(0);
    assertThat(option.path("type").asInt()).isEqualTo(3);
    JsonNode choices =
        emu.autocomplete(ALICE, BOT.ops, "obcluster", "status", "id", "de").awaitChoices(WAIT);
    assertThat(choices.get(0).path("value").asString()).isEqualTo("1");

    String byName =
        emu.slash(ALICE, BOT.ops, "obcluster", "status", Map.of("id", "demo"))
            .awaitResponseText(WAIT);
    String byId =
        emu.slash(ALICE, BOT.ops, "obcluster", "status", Map.of("id", "1")).awaitResponseText(WAIT);
    assertThat(byName).isEqualTo(byId).contains("(id 1)");
  }
}
