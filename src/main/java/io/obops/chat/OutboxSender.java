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
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Delivers the chat outbox through the platforms connected to this replica: the first undelivered
 * row of each conversation, claimed for {@code claimFor} so that two replicas do not deliver it at
 * once. A create carries the row's idempotency key ({@link ChatOutbox.Entry#nonce()}: Discord's
 * nonce with {@code enforce_nonce}), so a delivery repeated after a crash, or after a claim ran
 * out, returns the message already posted; edits are idempotent. A row is marked delivered, with
 * what the platform returned, only once the platform confirmed it; a failure is retried with
 * backoff (1 s doubling up to {@code maxBackoff}).
 *
 * <p>An approval card that still cannot be posted when its next try would come after its request
 * expires cancels the request (audited by the operations layer with the platform's error) and gives
 * up its conversation's rows.
 *
 * <p>Threading: {@link #deliverDue} may run on several threads and replicas at once; claims decide.
 */
final class OutboxSender {

  private static final Logger log = LoggerFactory.getLogger(OutboxSender.class);
  private static final int BATCH = 100;

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
  }

  /** Delivers what is due until nothing more is; returns how many rows it delivered. */
  int deliverDue() {
    int delivered = 0;
    for (int round = 0; round < 1000; round++) {
      List<ChatOutbox.Entry> due = outbox.due(platforms.surfaces(), BATCH);
      int progressed = 0;
      for (ChatOutbox.Entry e : due) {
        if (outbox.claim(e.id(), replica, OffsetDateTime.now(clock).plus(claimFor)) && deliver(e)) {
          progressed++;
        }
      }
      delivered += progressed;
      if (progressed == 0) {
        break;
      }
    }
    return delivered;
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
