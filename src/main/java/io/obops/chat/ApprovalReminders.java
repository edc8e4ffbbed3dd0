package io.obops.chat;

import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalRequests;
import io.obops.approval.ApprovalState;
import io.obops.operations.ApprovalOperations;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * A periodic job: once half of a pending request's time to live has passed without a decision, one
 * line in its thread names who can approve and when it expires, and the card's expiry is brought up
 * to date. Due is judged on the database's clock (the injected {@link Clock}); the conditional
 * {@code reminded_at} update makes it once per request across replicas.
 *
 * <p>One entry point, {@link #runDue()}, with its own interval ({@link #every()}): the chat ticker
 * calls it now; a periodic-job scheduler can call it on that schedule instead.
 */
final class ApprovalReminders {

  private static final Logger log = LoggerFactory.getLogger(ApprovalReminders.class);

  private final JdbcClient jdbc;
  private final ApprovalRequests requests;
  private final ApprovalOperations approvals;
  private final ConversationStore store;
  private final CardEditor cards;
  private final Platforms platforms;
  private final Rendering rendering;
  private final Clock clock;
  private final Duration every;
  private Instant lastRun = Instant.MIN;

  ApprovalReminders(
      JdbcClient jdbc,
      ApprovalRequests requests,
      ApprovalOperations approvals,
      ConversationStore store,
      CardEditor cards,
      Platforms platforms,
      Rendering rendering,
      Clock clock,
      Duration every) {
    this.jdbc = jdbc;
    this.requests = requests;
    this.approvals = approvals;
    this.store = store;
    this.cards = cards;
    this.platforms = platforms;
    this.rendering = rendering;
    this.clock = clock;
    this.every = every;
  }

  Duration every() {
    return every;
  }

  /** Reminds every request that is due, if {@link #every()} passed since the last run. */
  synchronized int runDue() {
    Instant now = clock.instant();
    if (now.isBefore(lastRun.plus(every))) {
      return 0;
    }
    lastRun = now;
    int posted = 0;
    for (long id : candidates()) {
      try {
        posted += remind(id, OffsetDateTime.now(clock)) ? 1 : 0;
      } catch (RuntimeException e) {
        log.warn("request {}: reminder not posted: {}", id, e.toString());
      }
    }
    return posted;
  }

  private List<Long> candidates() {
    return new ArrayList<>(
        jdbc.sql(
                "select c.request_id from chat_conversation c join approval_request r"
                    + " on r.id = c.request_id where c.card_state = 'PENDING'"
                    + " and c.reminded_at is null and r.state = 'PENDING' order by c.request_id")
            .query(Long.class)
            .list());
  }

  private boolean remind(long id, OffsetDateTime now) {
    ApprovalRequest r = requests.find(id).orElse(null);
    ConversationStore.Conversation c = store.find(id).orElse(null);
    if (r == null || c == null || r.state() != ApprovalState.PENDING) {
      return false;
    }
    Duration ttl = Duration.between(r.createTime(), r.expireTime());
    if (now.isBefore(r.createTime().plus(ttl.dividedBy(2)))) {
      return false;
    }
    ChatPlatform p = platforms.get(c.surface()).orElse(null);
    if (p == null) {
      return false; // the adapter is not connected (yet): the next run tries again
    }
    int claimed =
        jdbc.sql(
                "update chat_conversation set reminded_at = ? where request_id = ?"
                    + " and reminded_at is null")
            .params(now, id)
            .update();
    if (claimed == 0) {
      return false;
    }
    List<String> who = CardEditor.mentions(p, approvals.approvers(r));
    Platforms.post(
        p,
        c.thread(),
        ChatMessage.text(
            "⏰ Request #"
                + r.id()
                + " to "
                + r.verb()
                + " "
                + r.cluster().name()
                + " still waits for approval ("
                + r.approvals()
                + " of "
                + r.approvalsRequired()
                + "); it expires "
                + Rendering.relative(Duration.between(now, r.expireTime()))
                + " ("
                + rendering.time(r.expireTime())
                + "). "
                + (who.isEmpty()
                    ? "Nobody may approve it yet: ask an obops administrator."
                    : String.join(", ", who) + ": approve or reject it on the card.")));
    cards.show(p, c, null, true);
    return true;
  }
}
