package io.obops.chat;

import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalRequests;
import io.obops.approval.ApprovalState;
import io.obops.operations.ApprovalOperations;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Once half of a pending request's time to live has passed without a decision, one line in its
 * thread names who can approve and when it expires, and the card is brought up to date (its expiry
 * moves). Both are outbox rows, recorded in the transaction that claims the reminder with a
 * conditional {@code reminded_at} update, so it happens once per request across replicas; due is
 * judged on the database's clock (the injected {@link Clock}). Run by the chat reporter's routine.
 */
final class ApprovalReminders {

  private static final Logger log = LoggerFactory.getLogger(ApprovalReminders.class);

  private final JdbcClient jdbc;
  private final ApprovalRequests requests;
  private final ApprovalOperations approvals;
  private final ConversationStore store;
  private final ChatOutbox outbox;
  private final Platforms platforms;
  private final Rendering rendering;
  private final TransactionTemplate tx;
  private final Clock clock;

  ApprovalReminders(
      JdbcClient jdbc,
      ApprovalRequests requests,
      ApprovalOperations approvals,
      ConversationStore store,
      ChatOutbox outbox,
      Platforms platforms,
      Rendering rendering,
      TransactionTemplate tx,
      Clock clock) {
    this.jdbc = jdbc;
    this.requests = requests;
    this.approvals = approvals;
    this.store = store;
    this.outbox = outbox;
    this.platforms = platforms;
    this.rendering = rendering;
    this.tx = tx;
    this.clock = clock;
  }

  /** Records the reminder of every request that is due; returns how many. */
  int runDue() {
    int posted = 0;
    for (long id : candidates()) {
      try {
        posted +=
            Boolean.TRUE.equals(tx.execute(s -> remind(id, OffsetDateTime.now(clock)))) ? 1 : 0;
      } catch (RuntimeException e) {
        log.warn("request {}: reminder not recorded: {}", id, e.toString());
      }
    }
    return posted;
  }

  private List<Long> candidates() {
    return new ArrayList<>(
        jdbc.sql(
                "select c.request_id from chat_conversation c join approval_request r"
                    + " on r.id = c.request_id where c.card_state = 'PENDING'"
                    + " and c.reminded_at is null and r.state = 'PENDING'"
                    + " and r.expires_at > :now order by c.request_id")
            .param("now", OffsetDateTime.now(clock))
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
    // Who to name is the platform's mention of each approver: known where the platform is
    // connected; elsewhere the principals are named as they are.
    ChatPlatform p = platforms.get(c.surface()).orElse(null);
    int claimed =
        jdbc.sql(
                "update chat_conversation set reminded_at = ? where request_id = ?"
                    + " and reminded_at is null")
            .params(now, id)
            .update();
    if (claimed == 0) {
      return false;
    }
    List<String> who =
        p == null ? approvals.approvers(r) : CardEditor.mentions(p, approvals.approvers(r));
    outbox.post(
        id,
        "reminder:" + id,
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
    outbox.record(id, "card-reminder:" + id, ChatOutbox.Kind.CARD_EDIT, now);
    return true;
  }
}
