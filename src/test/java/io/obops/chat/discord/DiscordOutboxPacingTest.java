package io.obops.chat.discord;

import static io.obops.chat.discord.DiscordTestBot.ALICE;
import static org.assertj.core.api.Assertions.assertThat;

import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.chat.discord.emulator.EmuMessage;
import io.obops.sandbox.Sandbox;
import io.obops.testsupport.RunningSandbox;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Pacing across conversations: the routines run on their own (real clock, the production tick) and
 * the emulator keeps Discord's limits (5 messages per 5 s per channel, the global limit). While one
 * request's thread waits out a 429 with a long queue of posts behind it, another request's thread
 * in another channel gets its posts at once; each thread's posts still arrive in order, each once.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class DiscordOutboxPacingTest {

  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final DiscordTestBot BOT = new DiscordTestBot();

  @DynamicPropertySource
  static void discord(DynamicPropertyRegistry registry) {
    BOT.register(registry);
    registry.add("obops.sandbox.enabled", () -> "true");
    registry.add("obops.sandbox.zones", () -> "1");
    registry.add("obops.sandbox.servers-per-zone", () -> "1");
    registry.add("obops.chat.tick-interval", () -> "100ms"); // the production default
  }

  @AfterAll
  static void closeEmulator() {
    BOT.emu.close();
  }

  @Autowired DiscordBot bot;
  @Autowired Sandbox sandbox;
  @Autowired JdbcClient jdbc;

  private final DiscordEmulator emu = BOT.emu;

  /** A stop request's card (new in the ops channel) and the id of its thread. */
  private record Conversation(EmuMessage card, long thread, long requestId) {}

  private Conversation request(List<Long> seen) {
    emu.slash(ALICE, BOT.ops, "obcluster", "stop", Map.of("id", "1", "reason", "drill"))
        .awaitResponseText(WAIT);
    EmuMessage card =
        emu.awaitMessage(
            BOT.ops, m -> !seen.contains(m.id()) && m.button("Approve").isPresent(), WAIT);
    long thread = emu.await(() -> card.threadId().orElse(null), WAIT, "the card's thread");
    String approve = card.button("Approve").orElseThrow().customId();
    return new Conversation(card, thread, Long.parseLong(approve.split(":")[2]));
  }

  /** Records posts in a conversation's thread, as the reporter would (one row each, in order). */
  private List<String> queuePosts(Conversation c, String prefix, int n) {
    List<String> texts = IntStream.rangeClosed(1, n).mapToObj(i -> prefix + " " + i).toList();
    for (String t : texts) {
      jdbc.sql(
              "insert into chat_outbox (request_id, dedupe_key, kind, body, due_at, created_at)"
                  + " values (?, ?, 'POST', ?, now() - interval '1 second', now())")
          .params(
              c.requestId(),
              "pacing:" + c.requestId() + ":" + t,
              "{\"text\":\"" + t + "\",\"card\":null,\"buttons\":[]}")
          .update();
    }
    return texts;
  }

  private List<String> posted(long thread, String prefix) {
    return emu.messages(thread).stream()
        .map(EmuMessage::content)
        .filter(t -> t.startsWith(prefix + " "))
        .toList();
  }

  @Test
  void aThreadWaitingOutARateLimitDoesNotDelayAnotherRequestsThread() throws InterruptedException {
    bot.awaitReady();
    RunningSandbox.restore(jdbc, sandbox);
    Conversation busy = request(List.of());
    String cancel = busy.card().button("Cancel (requester)").orElseThrow().customId();
    emu.click(ALICE, busy.card().id(), cancel).awaitResponseText(WAIT); // frees the cluster
    Conversation other = request(List.of(busy.card().id()));

    // Discord answers the busy thread's next post with a 429 (its channel's budget is spent), and
    // more posts than one 5-second window takes are queued behind it.
    emu.forceRateLimit("POST", "^channels/" + busy.thread() + "/messages$", 1, 4);
    int limitedBefore = emu.rateLimited();
    List<String> busyPosts = queuePosts(busy, "busy", 8);
    emu.awaitTrue(
        () -> emu.rateLimited() > limitedBefore, WAIT, "the busy thread's post answered by a 429");

    List<String> otherPosts = queuePosts(other, "other", 3);
    emu.awaitTrue(
        () -> posted(other.thread(), "other").size() == otherPosts.size(),
        WAIT,
        "the other request's posts");

    assertThat(posted(busy.thread(), "busy")).isEmpty(); // still waiting out its 429
    assertThat(posted(other.thread(), "other")).containsExactlyElementsOf(otherPosts);

    emu.awaitTrue(
        () -> posted(busy.thread(), "busy").size() == busyPosts.size(),
        WAIT,
        "the busy thread's posts, once its wait is over");
    assertThat(posted(busy.thread(), "busy")).containsExactlyElementsOf(busyPosts);
    assertThat(posted(other.thread(), "other")).containsExactlyElementsOf(otherPosts);
    // the last post is marked delivered a moment after Discord shows it
    emu.awaitTrue(
        () ->
            jdbc.sql("select count(*) from chat_outbox where state <> 'DELIVERED'")
                    .query(Long.class)
                    .single()
                == 0,
        WAIT,
        "every outbox row delivered");
  }
}
