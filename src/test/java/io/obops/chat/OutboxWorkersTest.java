package io.obops.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.access.Surface;
import io.obops.testsupport.ApprovalSpringTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * The outbox delivers each conversation on its own worker: on the whole application (real
 * PostgreSQL), two stop requests held in two channels of an in-memory platform whose calls to a
 * chosen channel can be held, as a platform waiting out a rate limit holds them. The chat routines
 * are off ({@code tick-interval} 0), so only the calls made here deliver.
 */
@TestPropertySource(properties = "obops.chat.tick-interval=0s")
@DirtiesContext // its own context (no routines): close it, and its connections, when done
class OutboxWorkersTest extends ApprovalSpringTest {

  static final ChatUser DANA = ChatConversationTest.DANA;

  @Autowired ChatService chat;
  @Autowired ChatOutbox outbox;
  @Autowired OutboxSender sender;

  HeldPlatform platform;
  ChatGateway gateway;

  @BeforeEach
  void connect() {
    platform =
        new HeldPlatform(new FakeChatPlatform(new FakeChatPlatform.World(), Surface.DISCORD));
    gateway = chat.connect(platform);
  }

  @AfterEach
  void disconnect() {
    platform.releaseAll();
    assertThat(sender.awaitIdle(Duration.ofSeconds(20))).isTrue();
    chat.disconnect(platform);
  }

  /** A stop requested in {@code channel}; its card and thread are delivered with the command. */
  private Conversation request(String channel, long cluster) {
    ChatReply reply =
        gateway.onCommand(
            DANA,
            new ChannelRef(channel),
            ChatCommand.parse("/obcluster stop id:" + cluster + " reason:drill"));
    assertThat(reply.text()).contains("posted");
    return jdbc.sql(
            "select c.request_id, c.thread_ref from chat_conversation c join approval_request r"
                + " on r.id = c.request_id where r.cluster_id = ? and r.state = 'PENDING'")
        .param(cluster)
        .query((rs, n) -> new Conversation(rs.getLong(1), rs.getString(2)))
        .single();
  }

  private record Conversation(long requestId, String thread) {}

  /** Records {@code n} posts in the conversation's thread: "prefix 1" … "prefix n". */
  private List<String> posts(Conversation c, String prefix, int n) {
    List<String> texts = IntStream.rangeClosed(1, n).mapToObj(i -> prefix + " " + i).toList();
    for (String t : texts) {
      outbox.post(c.requestId(), "test:" + c.requestId() + ":" + t, ChatMessage.text(t));
    }
    return texts;
  }

  /** The texts of the posts this test recorded in a thread (not the thread's first message). */
  private List<String> recorded(Conversation c, String prefix) {
    return platform.fake.world.texts(c.thread()).stream()
        .filter(t -> t.startsWith(prefix + " "))
        .toList();
  }

  private static void await(BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void whileOneConversationsPlatformCallIsHeldAnotherConversationIsFullyDelivered()
      throws Exception {
    Conversation held = request("ops-a", 1);
    Conversation free = request("ops-b", 3);
    List<String> heldPosts = posts(held, "held", 5); // recorded first: lower ids
    List<String> freePosts = posts(free, "free", 5);
    CountDownLatch release = platform.hold(held.thread());

    CompletableFuture<Integer> delivery = CompletableFuture.supplyAsync(chat::deliver);
    await(() -> recorded(free, "free").size() == freePosts.size(), "the free conversation");

    assertThat(recorded(free, "free")).containsExactlyElementsOf(freePosts);
    assertThat(recorded(held, "held")).isEmpty();
    await(() -> platform.waiting(held.thread()) == 1, "the held conversation's first post");
    assertThat(delivery).isNotDone(); // deliver() returns once every conversation was worked

    release.countDown();
    assertThat(delivery.get(20, TimeUnit.SECONDS)).isEqualTo(10);
    assertThat(recorded(held, "held")).containsExactlyElementsOf(heldPosts);
    assertThat(outbox.undelivered()).isZero();
  }

  @Test
  void aConversationIsDeliveredByOneThreadAtATimeInOrderAndEachMessageOnce() throws Exception {
    Conversation a = request("ops-a", 1);
    Conversation b = request("ops-b", 3);
    // a: more than one turn's worth, so it is handed out again mid-way; b: done in one turn
    List<String> aPosts = posts(a, "a", OutboxSender.TURN + 15);
    List<String> bPosts = posts(b, "b", 10);
    CountDownLatch release = platform.hold(a.thread());

    // every entry point at once: the synchronous one, the routine's, the command's
    List<Supplier<Integer>> callers =
        List.of(
            chat::deliver,
            chat::deliver,
            () -> sender.handOutDue().size(),
            () -> sender.deliverDue(Duration.ofMillis(50)),
            chat::deliver);
    List<CompletableFuture<Integer>> running = new ArrayList<>();
    for (Supplier<Integer> caller : callers) {
      running.add(CompletableFuture.supplyAsync(caller));
    }
    await(() -> platform.waiting(a.thread()) == 1, "a's first post to be held");
    await(() -> recorded(b, "b").size() == bPosts.size(), "b, meanwhile");
    // The held call outlasts its row's claim (as a long rate-limit wait may): the row is
    // claimable again, yet a stays on its one worker.
    clock.advance(Duration.ofMinutes(1));
    assertThat(sender.handOutDue()).as("handed out again").doesNotContain(a.requestId());
    for (int i = 0; i < 3; i++) {
      running.add(CompletableFuture.supplyAsync(() -> sender.handOutDue().size()));
      running.add(CompletableFuture.supplyAsync(chat::deliver));
    }
    release.countDown();
    CompletableFuture.allOf(running.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
    chat.deliver(); // whatever a bounded caller left running or due

    assertThat(recorded(a, "a")).containsExactlyElementsOf(aPosts);
    assertThat(recorded(b, "b")).containsExactlyElementsOf(bPosts);
    assertThat(platform.mostAtOnce)
        .containsOnlyKeys("ops-a", "ops-b")
        .allSatisfy(
            (k, n) -> {
              assertThat(n.get()).as(k).isEqualTo(1);
            });
    assertThat(outbox.undelivered()).isZero();
  }

  /**
   * The in-memory platform with holds: a call to a held channel waits until released. It also
   * counts, per conversation (the channel its card is in), how many of its calls ran at once.
   */
  static final class HeldPlatform implements ChatPlatform {

    final FakeChatPlatform fake;
    private final Map<String, CountDownLatch> holds = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> waiting = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> inCall = new ConcurrentHashMap<>();
    final Map<String, AtomicInteger> mostAtOnce = new ConcurrentHashMap<>();

    HeldPlatform(FakeChatPlatform fake) {
      this.fake = fake;
    }

    CountDownLatch hold(String channel) {
      return holds.computeIfAbsent(channel, c -> new CountDownLatch(1));
    }

    void releaseAll() {
      holds.values().forEach(CountDownLatch::countDown);
    }

    int waiting(String channel) {
      return waiting.getOrDefault(channel, new AtomicInteger()).get();
    }

    /** The conversation's channel: a thread's card's channel, or the channel itself. */
    private String conversationOf(String channel) {
      if (channel.startsWith("thread:")) {
        return fake.world.channelOf.get(channel.substring("thread:".length()));
      }
      return channel;
    }

    private <T> T call(String channel, Supplier<T> call) {
      CountDownLatch latch = holds.get(channel);
      if (latch != null) {
        waiting.computeIfAbsent(channel, c -> new AtomicInteger()).incrementAndGet();
        try {
          if (!latch.await(60, TimeUnit.SECONDS)) {
            throw new ChatPlatformException("held too long", false);
          }
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new ChatPlatformException("interrupted", false);
        } finally {
          waiting.get(channel).decrementAndGet();
        }
      }
      String conversation = conversationOf(channel);
      AtomicInteger now = inCall.computeIfAbsent(conversation, c -> new AtomicInteger());
      int at = now.incrementAndGet();
      mostAtOnce
          .computeIfAbsent(conversation, c -> new AtomicInteger())
          .accumulateAndGet(at, Math::max);
      try {
        Thread.yield(); // widen the window in which a second thread could come in
        return call.get();
      } finally {
        now.decrementAndGet();
      }
    }

    @Override
    public Surface surface() {
      return fake.surface();
    }

    @Override
    public MessageRef post(ChannelRef channel, ChatMessage message) {
      return call(channel.value(), () -> fake.post(channel, message));
    }

    @Override
    public MessageRef post(ChannelRef channel, ChatMessage message, String nonce) {
      return call(channel.value(), () -> fake.post(channel, message, nonce));
    }

    @Override
    public void edit(MessageRef target, ChatMessage message) {
      call(
          fake.world.channelOf.getOrDefault(target.value(), "?"),
          () -> {
            fake.edit(target, message);
            return null;
          });
    }

    @Override
    public ChannelRef openThread(MessageRef message, String title) {
      return call(
          fake.world.channelOf.getOrDefault(message.value(), "?"),
          () -> fake.openThread(message, title));
    }

    @Override
    public MessageRef postFile(
        ChannelRef channel, String text, String fileName, String contentType, byte[] content) {
      return call(
          channel.value(), () -> fake.postFile(channel, text, fileName, contentType, content));
    }

    @Override
    public MessageRef postFile(
        ChannelRef channel,
        String text,
        String fileName,
        String contentType,
        byte[] content,
        String nonce) {
      return call(
          channel.value(),
          () -> fake.postFile(channel, text, fileName, contentType, content, nonce));
    }

    @Override
    public String mentionUser(String principal) {
      return fake.mentionUser(principal);
    }

    @Override
    public String mentionRole(String rolePrincipal) {
      return fake.mentionRole(rolePrincipal);
    }

    @Override
    public int maxMessageLength() {
      return fake.maxMessageLength();
    }

    @Override
    public boolean canEditMessagesOlderThan(Duration age) {
      return fake.canEditMessagesOlderThan(age);
    }
  }
}
