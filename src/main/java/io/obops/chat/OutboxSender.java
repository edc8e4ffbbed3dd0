package io.obops.chat;

import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalRequests;
import io.obops.approval.ApprovalState;
import io.obops.core.RequestId;
import io.obops.operations.ApprovalOperations;
import io.obops.task.TaskClient;
import io.obops.task.TaskInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the chat outbox through the platforms connected to this replica, each conversation on
 * its own worker, so a conversation waiting out a platform's rate limit (Discord: 5 messages per 5
 * s per channel), a slow call or a failing one never delays another conversation's messages.
 *
 * <p>A worker's turn: it takes its conversation's first due row ({@link ChatOutbox#nextDue}),
 * claims it for {@code claimFor} (so that no other replica delivers it meanwhile), delivers it, and
 * goes on with the conversation's next due row until none is due, one fails, or it delivered {@link
 * #TURN} rows (then it gives its worker back and the conversation is handed out again). Rows of one
 * conversation therefore go strictly in order, one at a time: the outbox offers a row only once
 * every earlier row of its conversation is delivered, claims decide between replicas, and the
 * in-memory map {@code delivering} keeps a conversation on at most one worker of this replica (a
 * second hand-out joins the running turn instead of starting another).
 *
 * <p>A create carries the row's idempotency key ({@link ChatOutbox.Entry#nonce()}: Discord's nonce
 * with {@code enforce_nonce}), so a delivery repeated after a crash, or after a claim ran out,
 * returns the message already posted; edits are idempotent. A row is marked delivered, with what
 * the platform returned, only once the platform confirmed it; a failure is retried with backoff (1
 * s doubling up to {@code maxBackoff}).
 *
 * <p>An approval card that still cannot be posted when its next try would come after its request
 * expires cancels the request (audited by the operations layer with the platform's error) and gives
 * up its conversation's rows.
 *
 * <p>Threading: {@link #handOutDue} (the {@code chat-outbox} routine) hands the conversations with
 * a due row to idle workers and returns at once; {@link #deliverDue} does the same and waits until
 * those conversations were worked (tests, {@link ChatService#tick}; after a command, for a bounded
 * time). Both may run on several threads and replicas at once. The workers are {@code
 * outboxWorkers} daemon threads, stopped right after the routines when the application stops.
 */
final class OutboxSender implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
  private static final int BATCH = 100;

  /** Rows one turn delivers before its worker serves the other conversations again. */
  static final int TURN = 25;

  private final ChatOutbox outbox;
  private final ConversationStore store;
  private final Platforms platforms;
  private final Rendering rendering;
  private final ApprovalRequests requests;
  private final ApprovalOperations approvals;
  private final TaskClient tasks;
  private final ServerNames names;
  private final ChatProperties properties;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final String replica;
  private final CardEditor cards;
  private final Duration claimFor;
  private final Duration maxBackoff;
  private final ThreadPoolExecutor workers;

  /** The conversations (by request id) on a worker of this replica now: the turn's end. */
  private final Map<Long, CompletableFuture<Integer>> delivering = new ConcurrentHashMap<>();

  OutboxSender(
      ChatOutbox outbox,
      ConversationStore store,
      Platforms platforms,
      Rendering rendering,
      ApprovalRequests requests,
      ApprovalOperations approvals,
      TaskClient tasks,
      ServerNames names,
      ChatProperties properties,
      TransactionTemplate tx,
      Clock clock,
      String replica,
      CardEditor cards) {
    this.cards = cards;
    this.outbox = outbox;
    this.store = store;
    this.platforms = platforms;
    this.rendering = rendering;
    this.requests = requests;
    this.approvals = approvals;
    this.tasks = tasks;
    this.names = names;
    this.properties = properties;
    this.tx = tx;
    this.clock = clock;
    this.replica = replica;
    this.claimFor = properties.outboxClaim();
    this.maxBackoff = properties.outboxMaxBackoff();
    AtomicInteger n = new AtomicInteger();
    this.workers =
        new ThreadPoolExecutor(
            properties.outboxWorkers(),
            properties.outboxWorkers(),
            0,
            TimeUnit.MILLISECONDS,
            new LinkedBlockingQueue<>(), // at most one queued turn per conversation: delivering
            r -> {
              Thread t = new Thread(r, "obops-chat-outbox-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /**
   * Hands every conversation with a due row to a worker (queued while all are busy) and returns at
   * once; a conversation already on a worker here is left to it. Returns the conversations (request
   * ids) it handed out.
   */
  List<Long> handOutDue() {
    List<Long> started = new ArrayList<>();
    for (ChatOutbox.Entry e : outbox.due(platforms.surfaces(), BATCH)) {
      if (handOut(e.requestId()).started()) {
        started.add(e.requestId());
      }
    }
    return started;
  }

  /**
   * Delivers what is due until nothing more is: hands out every conversation with a due row (or
   * joins the turn already running for it), waits until those turns and every other turn running
   * here ended, then looks again. Returns how many rows the turns it started delivered (tests and
   * {@link ChatService#tick} drive the chat with it).
   */
  int deliverDue() {
    return deliverDue(null);
  }

  /**
   * {@link #deliverDue()} for at most {@code atMost}, waiting only for the conversations that had
   * due rows (after a command: its answer never waits for a busy conversation it did not touch);
   * turns still running then carry on without the caller. Null: {@link #deliverDue()}.
   */
  int deliverDue(Duration atMost) {
    long deadline = atMost == null ? Long.MAX_VALUE : System.nanoTime() + atMost.toNanos();
    int delivered = 0;
    for (int round = 0; round < 1000; round++) {
      Map<Long, Handout> handouts = new LinkedHashMap<>();
      for (ChatOutbox.Entry e : outbox.due(platforms.surfaces(), BATCH)) {
        handouts.computeIfAbsent(e.requestId(), this::handOut);
      }
      if (atMost == null) {
        // A turn holding its row's claim hides its conversation from due(): wait for it too.
        delivering.forEach((id, turn) -> handouts.putIfAbsent(id, new Handout(turn, false)));
      }
      int progressed = 0;
      boolean joined = false;
      for (Handout h : handouts.values()) {
        Integer rows = await(h.turn(), deadline);
        if (rows == null) {
          return delivered + progressed; // out of time (or interrupted): the turns carry on
        }
        if (h.started()) {
          progressed += rows;
        } else {
          joined = true; // another caller's turn: what it left due is looked at again
        }
      }
      delivered += progressed;
      if (progressed == 0 && !joined) {
        break;
      }
    }
    return delivered;
  }

  /**
   * Waits until the turns running or queued now have ended, at most {@code atMost}; false if some
   * still run (tests: after the routine handed work out).
   */
  boolean awaitIdle(Duration atMost) {
    long deadline = System.nanoTime() + atMost.toNanos();
    for (CompletableFuture<Integer> turn : List.copyOf(delivering.values())) {
      if (await(turn, deadline) == null) {
        return false;
      }
    }
    return true;
  }

  /** A conversation handed out: the end of its turn, and whether this call started that turn. */
  private record Handout(CompletableFuture<Integer> turn, boolean started) {}

  private Handout handOut(long requestId) {
    CompletableFuture<Integer> turn = new CompletableFuture<>();
    CompletableFuture<Integer> running = delivering.putIfAbsent(requestId, turn);
    if (running != null) {
      return new Handout(running, false);
    }
    try {
      workers.execute(new Turn(requestId, turn));
    } catch (RejectedExecutionException stopping) {
      // The application is stopping: the rows stay in the outbox for the next start.
      delivering.remove(requestId, turn);
      turn.complete(0);
    }
    return new Handout(turn, true);
  }

  /** One conversation's turn on a worker (a type, so that a turn never started can be ended). */
  private final class Turn implements Runnable {
    private final long requestId;
    private final CompletableFuture<Integer> end;

    Turn(long requestId, CompletableFuture<Integer> end) {
      this.requestId = requestId;
      this.end = end;
    }

    @Override
    public void run() {
      turn(requestId, end);
    }

    /** The application stopped before the turn ran: its rows stay for the next start. */
    void drop() {
      delivering.remove(requestId, end);
      end.complete(0);
    }
  }

  /** Delivers the conversation's due rows in order, one at a time, until one fails or none is. */
  private void turn(long requestId, CompletableFuture<Integer> end) {
    int delivered = 0;
    try {
      while (delivered < TURN && !Thread.currentThread().isInterrupted()) {
        ChatOutbox.Entry e = outbox.nextDue(requestId, platforms.surfaces()).orElse(null);
        if (e == null
            || !outbox.claim(e.id(), replica, OffsetDateTime.now(clock).plus(claimFor))
            || !deliver(e)) {
          break;
        }
        delivered++;
      }
    } catch (RuntimeException ex) {
      if (!workers.isShutdown()) {
        log.warn(
            "chat: delivering request {}'s messages stopped; the outbox tries again: {}",
            requestId,
            ex.toString());
      }
    } finally {
      // Leave before announcing the end, so a caller woken by it can hand the conversation out.
      delivering.remove(requestId, end);
      end.complete(delivered);
    }
  }

  /** The turn's rows, or null once {@code deadline} passed or the caller was interrupted. */
  private static Integer await(CompletableFuture<Integer> turn, long deadline) {
    try {
      return deadline == Long.MAX_VALUE
          ? turn.get()
          : turn.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (TimeoutException e) {
      return null;
    } catch (ExecutionException e) {
      return 0; // a turn never completes exceptionally; kept for the compiler
    }
  }

  /** Nothing to start: the workers exist from construction, so a call before start works. */
  @Override
  public void start() {}

  /**
   * Stops handing out work, drops the turns not started (nobody waits for them in vain) and
   * interrupts the running ones; waits for those a little, never long.
   */
  @Override
  public void stop() {
    for (Runnable queued : workers.shutdownNow()) {
      ((Turn) queued).drop();
    }
    try {
      workers.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public boolean isRunning() {
    return !workers.isShutdown();
  }

  /** Right after the routines stop (they hand work out), before the adapters disconnect. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1001;
  }

  private boolean deliver(ChatOutbox.Entry e) {
    ChatPlatform p = platforms.get(e.surface()).orElse(null);
    ConversationStore.Conversation c = store.find(e.requestId()).orElse(null);
    if (p == null || c == null) {
      outbox.failed(e.id(), "no platform connected", OffsetDateTime.now(clock));
      return false;
    }
    try {
      Runnable after = call(p, c, e);
      tx.executeWithoutResult(
          s -> {
            after.run();
            if (e.endsRound() != null) {
              store.endPosted(e.requestId(), e.endsRound(), OffsetDateTime.now(clock));
            }
          });
      return true;
    } catch (RuntimeException ex) {
      failed(e, ex);
      return false;
    }
  }

  /** Makes the platform call; returns what records its confirmation (run in one transaction). */
  private Runnable call(ChatPlatform p, ConversationStore.Conversation c, ChatOutbox.Entry e) {
    long id = e.id();
    switch (e.kind()) {
      case CARD -> {
        if (c.card() != null) {
          return () -> outbox.delivered(id, c.card().value());
        }
        ApprovalRequest r = requests.find(c.requestId()).orElseThrow();
        MessageRef card =
            p.post(c.channel(), fit(p, cards.render(p, r, null, c.requesterMention())), e.nonce());
        return () -> {
          store.setCard(c.requestId(), card);
          outbox.delivered(id, card.value());
        };
      }
      case THREAD -> {
        ChannelRef thread =
            c.thread() != null ? c.thread() : p.openThread(c.card(), c.threadTitle());
        return () -> {
          store.setThread(c.requestId(), thread);
          requests.setChatRefs(c.requestId(), refs(p, c, thread));
          outbox.delivered(id, thread.value());
        };
      }
      case POST -> {
        MessageRef posted = p.post(c.thread(), fit(p, outbox.message(e)), e.nonce());
        return () -> outbox.delivered(id, posted.value());
      }
      case CARD_EDIT -> {
        ApprovalRequest r = requests.find(c.requestId()).orElseThrow();
        // The card shows its request and task as they stand at delivery (not as recorded); past
        // the platform's edit window (Discord: an hour) it stays as it is: the thread has the rest.
        if (c.card() != null
            && p.canEditMessagesOlderThan(
                Duration.between(r.createTime(), OffsetDateTime.now(clock)))) {
          p.edit(c.card(), fit(p, cards.render(p, r, null, c.requesterMention())));
        }
        return () -> outbox.delivered(id, c.card() == null ? "" : c.card().value());
      }
      case BOARD -> {
        return board(p, c, e);
      }
      case FILE -> {
        MessageRef posted =
            p.postFile(
                c.thread(),
                outbox.message(e).text(),
                e.fileName(),
                e.fileType(),
                ChatOutbox.content(e),
                e.nonce());
        return () -> outbox.delivered(id, posted.value());
      }
      default -> throw new IllegalStateException("unknown outbox kind " + e.kind());
    }
  }

  /** Edits the board in place, or posts it (first time, past the edit window, or gone). */
  private Runnable board(ChatPlatform p, ConversationStore.Conversation c, ChatOutbox.Entry e) {
    TaskInstance task = tasks.find(c.taskId()).orElseThrow();
    OffsetDateTime now = OffsetDateTime.now(clock);
    ChatMessage board =
        fit(
            p,
            rendering.board(
                task,
                names.of(task),
                names.zones(task),
                now,
                Math.min(p.maxMessageLength(), 4096)));
    if (c.board() != null
        && c.boardPostedAt() != null
        && p.canEditMessagesOlderThan(Duration.between(c.boardPostedAt(), now))) {
      try {
        p.edit(c.board(), board);
        return () -> outbox.delivered(e.id(), c.board().value());
      } catch (ChatPlatformException ex) {
        if (!ex.gone()) {
          throw ex;
        }
        log.info("request {}: board {} is gone; posting a fresh one", c.requestId(), c.board());
      }
    }
    MessageRef posted = p.post(c.thread(), board, e.nonce());
    return () -> {
      store.setBoard(c.requestId(), posted, now);
      outbox.delivered(e.id(), posted.value());
    };
  }

  private void failed(ChatOutbox.Entry e, RuntimeException ex) {
    String error = ex.getMessage() == null ? ex.toString() : ex.getMessage();
    long seconds = Math.min(maxBackoff.toSeconds(), 1L << Math.min(20, e.attempts()));
    OffsetDateTime next = OffsetDateTime.now(clock).plusSeconds(Math.max(1, seconds));
    log.warn(
        "request {}: {} (outbox {}, attempt {}) not delivered; retrying at {}: {}",
        e.requestId(),
        e.kind(),
        e.id(),
        e.attempts() + 1,
        next,
        error);
    boolean announcing = e.kind() == ChatOutbox.Kind.CARD || e.kind() == ChatOutbox.Kind.THREAD;
    if (announcing
        && ex instanceof ChatPlatformException p
        && p.refused()
        && cardTooLate(e, null, error)) {
      return; // refused for good (the bot's permissions): no request stays PENDING unseen
    }
    if (announcing && cardTooLate(e, next, error)) {
      return;
    }
    outbox.failed(e.id(), error, next);
  }

  /**
   * A card (or its thread) whose next try comes after its request expires, or that the platform
   * refused for good ({@code next} null), is given up: the request is cancelled, with the reason,
   * and its conversation's rows abandoned.
   */
  private boolean cardTooLate(ChatOutbox.Entry e, OffsetDateTime next, String error) {
    ApprovalRequest r = requests.find(e.requestId()).orElse(null);
    if (r == null) {
      return false;
    }
    boolean closed = r.state() != ApprovalState.PENDING;
    if (next != null && next.isBefore(r.expireTime())) {
      return false;
    }
    if (!closed) {
      approvals.cancelUnannounced(new RequestId(r.id()), error);
    }
    tx.executeWithoutResult(
        s -> {
          outbox.abandon(e.requestId(), "the approval card could not be posted: " + error);
          boolean cardPosted = store.find(e.requestId()).map(c -> c.card() != null).orElse(false);
          if (cardPosted) {
            // The card is up but its thread could not be opened: show it closed, buttons off.
            store.moveCard(e.requestId(), "PENDING", ApprovalState.CANCELLED.name());
            outbox.record(
                e.requestId(),
                "card-unannounced:" + e.requestId(),
                ChatOutbox.Kind.CARD_EDIT,
                OffsetDateTime.now(clock));
          } else {
            store.moveCard(e.requestId(), "PENDING", "UNPOSTED");
          }
        });
    log.warn(
        "request {}: its approval card could not be posted before it would expire; {}",
        r.id(),
        closed ? "it was already " + r.state() : "cancelled");
    return true;
  }

  private static ChatMessage fit(ChatPlatform p, ChatMessage m) {
    return new ChatMessage(Rendering.fit(m.text(), p.maxMessageLength()), m.card(), m.buttons());
  }

  private static String refs(ChatPlatform p, ConversationStore.Conversation c, ChannelRef thread) {
    return "{\"surface\":\""
        + p.surface().wire()
        + "\",\"channel\":"
        + quote(c.channel().value())
        + ",\"card\":"
        + quote(c.card().value())
        + ",\"thread\":"
        + quote(thread.value())
        + "}";
  }

  private static String quote(String s) {
    return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }
}
