package io.obops.chat;

import io.obops.access.Surface;
import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalRequests;
import io.obops.approval.ApprovalState;
import java.time.Clock;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The approval card of a request and its thread, as outbox rows: recorded with the request (in its
 * transaction: card, thread, the thread's first line), and, once the request closes (decided in
 * chat or over REST, expired, cancelled), the card's edit and one line in the thread, recorded in
 * the transaction that moves the conversation's card state. Any replica may record; the replica
 * holding the platform delivers ({@link OutboxSender}).
 */
final class ApprovalCards {

  private static final Logger log = LoggerFactory.getLogger(ApprovalCards.class);

  private final ApprovalRequests requests;
  private final ConversationStore store;
  private final ChatOutbox outbox;
  private final Rendering rendering;
  private final TransactionTemplate tx;
  private final Clock clock;

  ApprovalCards(
      ApprovalRequests requests,
      ConversationStore store,
      ChatOutbox outbox,
      Rendering rendering,
      TransactionTemplate tx,
      Clock clock) {
    this.requests = requests;
    this.store = store;
    this.outbox = outbox;
    this.rendering = rendering;
    this.tx = tx;
    this.clock = clock;
  }

  /**
   * Records the conversation of a new request and what announces it: the card in {@code channel},
   * its thread, the thread's first line. Runs in the request's transaction.
   */
  void record(Surface surface, ChannelRef channel, ChatUser requester, ApprovalRequest r) {
    String title =
        Character.toUpperCase(r.verb().charAt(0))
            + r.verb().substring(1)
            + " "
            + r.cluster().name()
            + " — request #"
            + r.id();
    store.insert(r.id(), surface, channel, title, requester.mention());
    OffsetDateTime now = OffsetDateTime.now(clock);
    outbox.record(r.id(), "card:" + r.id(), ChatOutbox.Kind.CARD, now);
    outbox.record(r.id(), "thread:" + r.id(), ChatOutbox.Kind.THREAD, now);
    outbox.post(
        r.id(),
        "intro:" + r.id(),
        ChatMessage.text(
            "Everything about request #"
                + r.id()
                + " goes in this thread: the decision, then the progress of task "
                + r.taskId()
                + "."));
  }

  /**
   * Records the re-rendering of a PENDING request's card with its latest pre-flight plan (once per
   * plan version: after the request is made and after each Refresh), and the full plan as a file in
   * its thread when the card cannot show every server. Never throws (logs instead).
   */
  void showPlan(long requestId) {
    try {
      tx.executeWithoutResult(s -> recordPlan(requestId));
    } catch (RuntimeException e) {
      log.warn("request {}: plan not shown: {}", requestId, e.toString());
    }
  }

  private void recordPlan(long requestId) {
    ConversationStore.Conversation c = store.find(requestId).orElse(null);
    ApprovalRequest r = requests.find(requestId).orElse(null);
    if (c == null || r == null || r.plan() == null || r.state() != ApprovalState.PENDING) {
      return;
    }
    String version = requestId + ":" + r.plan().version();
    if (c.card() != null) {
      // A card not posted yet shows the plan in force when it is posted: no edit needed.
      outbox.record(
          requestId, "card-plan:" + version, ChatOutbox.Kind.CARD_EDIT, OffsetDateTime.now(clock));
    }
    if (PlanRendering.needsFile(r.id(), r.plan())) {
      outbox.file(
          requestId,
          "plan-file:" + version,
          "Pre-flight plan v"
              + r.plan().version()
              + " of request #"
              + r.id()
              + ": "
              + r.plan().summary(),
          PlanRendering.fileName(r.id(), r.plan()),
          "text/plain",
          PlanRendering.file(r.id(), r.plan(), rendering::time),
          null);
    }
  }

  /**
   * Records the edit of every card still showing PENDING whose request closed; returns how many.
   */
  int refreshPending() {
    int n = 0;
    for (ConversationStore.Conversation c : store.pendingCards()) {
      n += refresh(c.requestId()) ? 1 : 0;
    }
    return n;
  }

  /** Records the card's edit if its request's state changed; never throws (logs instead). */
  boolean refresh(long requestId) {
    try {
      return Boolean.TRUE.equals(tx.execute(s -> refreshNow(requestId)));
    } catch (RuntimeException e) {
      log.warn("request {}: card not refreshed: {}", requestId, e.toString());
      return false;
    }
  }

  private boolean refreshNow(long requestId) {
    ConversationStore.Conversation c = store.find(requestId).orElse(null);
    ApprovalRequest r = requests.find(requestId).orElse(null);
    if (c == null || r == null || r.state().name().equals(c.cardState())) {
      return false;
    }
    if ("UNPOSTED".equals(c.cardState())) {
      return false; // never posted (given up on): there is no card to edit, no thread to post in
    }
    if (!store.moveCard(requestId, c.cardState(), r.state().name())) {
      return false; // another replica recorded it
    }
    outbox.record(
        requestId,
        "card-edit:" + requestId + ":" + r.state().name(),
        ChatOutbox.Kind.CARD_EDIT,
        OffsetDateTime.now(clock));
    String line = rendering.decision(r);
    if (r.state() == ApprovalState.APPROVED && r.taskId() != null) {
      store.setTask(requestId, r.taskId());
      line += ". " + c.requesterMention() + " the " + r.verb() + " is running.";
    } else {
      line += "." + (r.taskId() == null ? "" : " Task " + r.taskId() + " never runs.");
    }
    outbox.post(requestId, "decision:" + requestId, ChatMessage.text(line));
    return true;
  }
}
