package io.obops.chat;

import io.obops.access.Surface;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code chat_conversation} table: per approval request started in chat, the platform
 * references of its card, thread and board (null until the outbox delivered them), and how far the
 * reporter has read its task (version, last milestone, end round). Recorded with the request; the
 * reporter moves its cursor under the row's lock ({@link #lock}), so two replicas never record the
 * same progress twice.
 */
final class ConversationStore {

  /** One row. */
  record Conversation(
      long requestId,
      Surface surface,
      ChannelRef channel,
      MessageRef card,
      ChannelRef thread,
      String requesterMention,
      String cardState,
      Long taskId,
      MessageRef board,
      OffsetDateTime boardPostedAt,
      boolean finished,
      String threadTitle,
      long reportedVersion,
      long reportedMilestone,
      int endRound,
      OffsetDateTime endPostedAt) {}

  private static final String COLUMNS =
      "request_id, surface, channel_ref, card_ref, thread_ref, requester_mention, card_state,"
          + " task_id, board_ref, board_posted_at, finished, thread_title, reported_version,"
          + " reported_milestone, end_round, end_posted_at";

  private final JdbcClient jdbc;
  private final Clock clock;

  ConversationStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  /** Records a conversation whose card and thread are still to be posted. */
  void insert(
      long requestId,
      Surface surface,
      ChannelRef channel,
      String threadTitle,
      String requesterMention) {
    jdbc.sql(
            "insert into chat_conversation (request_id, surface, channel_ref, thread_title,"
                + " requester_mention, card_state, created_at)"
                + " values (?, ?, ?, ?, ?, 'PENDING', ?)")
        .params(
            requestId,
            surface.name(),
            channel.value(),
            threadTitle,
            requesterMention,
            OffsetDateTime.now(clock))
        .update();
  }

  /** The row, locked until the caller's transaction ends (the reporter's cursor moves under it). */
  Optional<Conversation> lock(long requestId) {
    return jdbc.sql("select " + COLUMNS + " from chat_conversation where request_id = ? for update")
        .param(requestId)
        .query(ConversationStore::row)
        .optional();
  }

  void setCard(long requestId, MessageRef card) {
    jdbc.sql("update chat_conversation set card_ref = ? where request_id = ?")
        .params(card.value(), requestId)
        .update();
  }

  void setThread(long requestId, ChannelRef thread) {
    jdbc.sql("update chat_conversation set thread_ref = ? where request_id = ?")
        .params(thread.value(), requestId)
        .update();
  }

  /** The reporter has recorded the task up to this version and milestone. */
  void reported(long requestId, long version, long milestone) {
    jdbc.sql(
            "update chat_conversation set reported_version = ?, reported_milestone = ? where"
                + " request_id = ?")
        .params(version, milestone, requestId)
        .update();
  }

  /** The last message of end round {@code round} was delivered. */
  void endPosted(long requestId, int round, OffsetDateTime at) {
    jdbc.sql(
            "update chat_conversation set end_posted_at = ? where request_id = ? and end_round ="
                + " ?")
        .params(at, requestId, round)
        .update();
  }

  Optional<Conversation> find(long requestId) {
    return jdbc.sql("select " + COLUMNS + " from chat_conversation where request_id = ?")
        .param(requestId)
        .query(ConversationStore::row)
        .optional();
  }

  Optional<Conversation> byTask(long taskId) {
    return jdbc.sql("select " + COLUMNS + " from chat_conversation where task_id = ?")
        .param(taskId)
        .query(ConversationStore::row)
        .optional();
  }

  /** Conversations whose card still shows PENDING. */
  List<Conversation> pendingCards() {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from chat_conversation where card_state = 'PENDING'"
                + " order by request_id")
        .query(ConversationStore::row)
        .list();
  }

  /** Conversations with a task whose end has not been posted yet. */
  List<Conversation> unfinished() {
    return jdbc.sql(
            "select "
                + COLUMNS
                + " from chat_conversation"
                + " where task_id is not null and not finished and card_state <> 'UNPOSTED'"
                + " order by request_id")
        .query(ConversationStore::row)
        .list();
  }

  /** Moves the card from {@code from} to {@code to}; false if someone else already did. */
  boolean moveCard(long requestId, String from, String to) {
    return jdbc.sql(
                "update chat_conversation set card_state = ? where request_id = ? and"
                    + " card_state = ?")
            .params(to, requestId, from)
            .update()
        == 1;
  }

  void setTask(long requestId, long taskId) {
    jdbc.sql("update chat_conversation set task_id = ? where request_id = ? and task_id is null")
        .params(taskId, requestId)
        .update();
  }

  void setBoard(long requestId, MessageRef board, OffsetDateTime postedAt) {
    jdbc.sql("update chat_conversation set board_ref = ?, board_posted_at = ? where request_id = ?")
        .params(board.value(), postedAt, requestId)
        .update();
  }

  /**
   * Marks the end recorded (in the outbox, with this transaction); false if it already was. It
   * counts as posted once {@code end_posted_at} is set, by the delivery of its last message.
   */
  boolean finish(long requestId) {
    return jdbc.sql(
                "update chat_conversation set finished = true where request_id = ? and not"
                    + " finished")
            .param(requestId)
            .update()
        == 1;
  }

  /** The task runs again (a retry): its end is to be posted again, as a new round. */
  void reopen(long requestId) {
    jdbc.sql(
            "update chat_conversation set finished = false, end_round = end_round + 1,"
                + " end_posted_at = null, reported_version = -1 where request_id = ? and finished")
        .param(requestId)
        .update();
  }

  private static Conversation row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    long task = rs.getLong("task_id");
    Long taskId = rs.wasNull() ? null : task;
    String board = rs.getString("board_ref");
    String card = rs.getString("card_ref");
    String thread = rs.getString("thread_ref");
    return new Conversation(
        rs.getLong("request_id"),
        Surface.valueOf(rs.getString("surface")),
        new ChannelRef(rs.getString("channel_ref")),
        card == null ? null : new MessageRef(card),
        thread == null ? null : new ChannelRef(thread),
        rs.getString("requester_mention"),
        rs.getString("card_state"),
        taskId,
        board == null ? null : new MessageRef(board),
        rs.getObject("board_posted_at", OffsetDateTime.class),
        rs.getBoolean("finished"),
        rs.getString("thread_title"),
        rs.getLong("reported_version"),
        rs.getLong("reported_milestone"),
        rs.getInt("end_round"),
        rs.getObject("end_posted_at", OffsetDateTime.class));
  }
}
