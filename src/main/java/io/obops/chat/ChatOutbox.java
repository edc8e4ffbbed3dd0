package io.obops.chat;

import io.obops.access.Surface;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.ObjectMapper;

/**
 * The {@code chat_outbox} table: every outbound chat effect, recorded in the transaction of the
 * state change it reports (a request and its card; a decision and the card's edit; the reporter's
 * cursor and the progress it read) and delivered later by {@link OutboxSender}. Recording is
 * idempotent by a key that names the effect ({@code card:12}, {@code fail:88:2}); a second record
 * with the same key is dropped. Rows of one conversation are delivered in id order; a row waits
 * while an earlier row of its conversation is undelivered, except that a board edit not yet due
 * (coalescing) lets later rows pass.
 */
final class ChatOutbox {

  /** What a row does. */
  enum Kind {
    /** Posts the approval card (rendered at delivery) in the conversation's channel. */
    CARD,
    /** Opens the thread on the card. */
    THREAD,
    /** Posts {@code body} in the thread. */
    POST,
    /** Edits the card to its request's current state (rendered at delivery). */
    CARD_EDIT,
    /** Edits (or posts) the progress board, rendered at delivery from the task's current state. */
    BOARD,
    /** Posts a file in the thread, {@code body}'s text as its line. */
    FILE
  }

  /** One row, with its conversation's surface. */
  record Entry(
      long id,
      long requestId,
      String key,
      Kind kind,
      String body,
      String fileName,
      String fileType,
      String fileData,
      Integer endsRound,
      int attempts,
      OffsetDateTime dueAt,
      Surface surface) {

    /** The delivery's idempotency key: Discord's nonce (at most 25 characters). */
    String nonce() {
      return "obops-" + id;
    }
  }

  private static final String COLUMNS =
      "o.id, o.request_id, o.dedupe_key, o.kind, o.body, o.file_name, o.file_type, o.file_data,"
          + " o.ends_round, o.attempts, o.due_at, c.surface";

  private final JdbcClient jdbc;
  private final Clock clock;
  private final ObjectMapper json;

  ChatOutbox(JdbcClient jdbc, Clock clock, ObjectMapper json) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.json = json;
  }

  /** Records a message-less effect (card, thread, card edit, board); false if the key exists. */
  boolean record(long requestId, String key, Kind kind, OffsetDateTime due) {
    return insert(requestId, key, kind, null, null, null, null, null, due);
  }

  /** Records a post of {@code message} in the thread; false if the key exists. */
  boolean post(long requestId, String key, ChatMessage message) {
    return insert(
        requestId,
        key,
        Kind.POST,
        json.writeValueAsString(message),
        null,
        null,
        null,
        null,
        OffsetDateTime.now(clock));
  }

  /**
   * Records a file post; {@code endsRound} non-null marks the last row of that end round (its
   * delivery marks the end posted).
   */
  boolean file(
      long requestId,
      String key,
      String text,
      String fileName,
      String contentType,
      byte[] content,
      Integer endsRound) {
    return insert(
        requestId,
        key,
        Kind.FILE,
        json.writeValueAsString(ChatMessage.text(text)),
        fileName,
        contentType,
        Base64.getEncoder().encodeToString(content),
        endsRound,
        OffsetDateTime.now(clock));
  }

  private boolean insert(
      long requestId,
      String key,
      Kind kind,
      String body,
      String fileName,
      String fileType,
      String fileData,
      Integer endsRound,
      OffsetDateTime due) {
    return jdbc.sql(
                "insert into chat_outbox (request_id, dedupe_key, kind, body, file_name,"
                    + " file_type, file_data, ends_round, due_at, created_at)"
                    + " select ?, ?, ?, ?, ?, ?, ?, ?, ?, ? where not exists"
                    + " (select 1 from chat_outbox where dedupe_key = ?)")
            .params(
                requestId,
                key,
                kind.name(),
                body,
                fileName,
                fileType,
                fileData,
                endsRound,
                due,
                OffsetDateTime.now(clock),
                key)
            .update()
        == 1;
  }

  /** The conversation's undelivered board row, if any. */
  Optional<Long> pendingBoard(long requestId) {
    return jdbc
        .sql(
            "select id from chat_outbox where request_id = ? and kind = 'BOARD' and state ="
                + " 'PENDING' order by id")
        .param(requestId)
        .query(Long.class)
        .list()
        .stream()
        .findFirst();
  }

  /** When the conversation's board was last delivered (null: never). */
  OffsetDateTime lastBoardDelivery(long requestId) {
    return jdbc.sql(
            "select max(delivered_at) from chat_outbox where request_id = ? and kind = 'BOARD'")
        .param(requestId)
        .query((rs, n) -> rs.getObject(1, OffsetDateTime.class))
        .optional()
        .orElse(null);
  }

  /** Makes a row due at {@code at} (a board the end wants now). */
  void dueAt(long id, OffsetDateTime at) {
    jdbc.sql("update chat_outbox set due_at = ? where id = ? and state = 'PENDING'")
        .params(at, id)
        .update();
  }

  /**
   * The rows deliverable now on these surfaces: the first undelivered row of each conversation
   * (skipping boards not yet due), due and not claimed by anyone else.
   */
  List<Entry> due(Collection<Surface> surfaces, int limit) {
    return deliverable(surfaces, null, limit);
  }

  /**
   * The conversation's row deliverable now, if any: its first undelivered row (skipping a board not
   * yet due), due and not claimed by anyone else (what {@link #due} would list for it).
   */
  Optional<Entry> nextDue(long requestId, Collection<Surface> surfaces) {
    return deliverable(surfaces, requestId, 1).stream().findFirst();
  }

  private List<Entry> deliverable(Collection<Surface> surfaces, Long requestId, int limit) {
    if (surfaces.isEmpty()) {
      return List.of();
    }
    OffsetDateTime now = OffsetDateTime.now(clock);
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from chat_outbox o join chat_conversation c on c.request_id = o.request_id"
                + " where o.state = 'PENDING' and o.due_at <= :now"
                + " and (o.claimed_until is null or o.claimed_until < :now)"
                + " and c.surface in (:surfaces)"
                + (requestId == null ? "" : " and o.request_id = :request")
                + " and not exists (select 1 from chat_outbox p where p.request_id ="
                + " o.request_id and p.state = 'PENDING' and p.id < o.id"
                + " and not (p.kind = 'BOARD' and p.due_at > :now))"
                + " order by o.id limit :limit")
        .param("now", now)
        .param("surfaces", surfaces.stream().map(Surface::name).toList())
        .param("request", requestId == null ? -1L : requestId)
        .param("limit", limit)
        .query(ChatOutbox::row)
        .list();
  }

  /** Claims a row for {@code claimUntil}; false if someone else holds a live claim. */
  boolean claim(long id, String by, OffsetDateTime claimUntil) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    return jdbc.sql(
                "update chat_outbox set claimed_by = ?, claimed_until = ? where id = ? and state"
                    + " = 'PENDING' and (claimed_until is null or claimed_until < ?)")
            .params(by, claimUntil, id, now)
            .update()
        == 1;
  }

  /** The platform confirmed the row: delivered, with what it returned. */
  void delivered(long id, String resultRef) {
    jdbc.sql(
            "update chat_outbox set state = 'DELIVERED', result_ref = ?, delivered_at = ?,"
                + " claimed_by = null, claimed_until = null, last_error = null where id = ?")
        .params(resultRef, OffsetDateTime.now(clock), id)
        .update();
  }

  /** The attempt failed: try again at {@code next}. */
  void failed(long id, String error, OffsetDateTime next) {
    jdbc.sql(
            "update chat_outbox set attempts = attempts + 1, due_at = ?, last_error = ?,"
                + " claimed_by = null, claimed_until = null where id = ?")
        .params(next, cut(error), id)
        .update();
  }

  /** Gives up every undelivered row of the conversation (its card can never be posted). */
  int abandon(long requestId, String why) {
    return jdbc.sql(
            "update chat_outbox set state = 'ABANDONED', last_error = ?, claimed_by = null,"
                + " claimed_until = null where request_id = ? and state = 'PENDING'")
        .params(cut(why), requestId)
        .update();
  }

  /** How many rows are undelivered (all surfaces). */
  int undelivered() {
    return jdbc.sql("select count(*) from chat_outbox where state = 'PENDING'")
        .query(Integer.class)
        .single();
  }

  ChatMessage message(Entry e) {
    return json.readValue(e.body(), ChatMessage.class);
  }

  static byte[] content(Entry e) {
    return Base64.getDecoder().decode(e.fileData());
  }

  private static String cut(String s) {
    return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
  }

  private static Entry row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    int round = rs.getInt("ends_round");
    Integer endsRound = rs.wasNull() ? null : round;
    return new Entry(
        rs.getLong("id"),
        rs.getLong("request_id"),
        rs.getString("dedupe_key"),
        Kind.valueOf(rs.getString("kind")),
        rs.getString("body"),
        rs.getString("file_name"),
        rs.getString("file_type"),
        rs.getString("file_data"),
        endsRound,
        rs.getInt("attempts"),
        rs.getObject("due_at", OffsetDateTime.class),
        Surface.valueOf(rs.getString("surface")));
  }
}
