package io.obops.chat;

import io.obops.access.Surface;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The {@code chat_conversation} table: per approval request started in chat, the platform
 * references of its card, thread and board. Updates that must happen once (the end of a task) are
 * conditional, so two replicas or a replayed event can't post twice.
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
      boolean finished) {}

  private static final String COLUMNS =
      "request_id, surface, channel_ref, card_ref, thread_ref, requester_mention, card_state,"
          + " task_id, board_ref, board_posted_at, finished";

  private final JdbcClient jdbc;
  private final Clock clock;

  ConversationStore(JdbcClient jdbc, Clock clock) {
    this.jdbc = jdbc;
    this.clock = clock;
  }

  void insert(
      long requestId,
      Surface surface,
      ChannelRef channel,
      MessageRef card,
      ChannelRef thread,
      String requesterMention) {
    jdbc.sql(
            "insert into chat_conversation (request_id, surface, channel_ref, card_ref,"
                + " thread_ref, requester_mention, card_state, created_at)"
                + " values (?, ?, ?, ?, ?, ?, 'PENDING', ?)")
        .params(
            requestId,
            surface.name(),
            channel.value(),
            card.value(),
            thread.value(),
            requesterMention,
            OffsetDateTime.now(clock))
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
                + " where task_id is not null and not finished order by request_id")
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

  /** Marks the end posted; false if it already was (another replica, a replay). */
  boolean finish(long requestId) {
    return jdbc.sql(
                "update chat_conversation set finished = true where request_id = ? and not"
                    + " finished")
            .param(requestId)
            .update()
        == 1;
  }

  /** The task runs again (a retry): its end is to be posted again. */
  void reopen(long requestId) {
    jdbc.sql("update chat_conversation set finished = false where request_id = ?")
        .param(requestId)
        .update();
  }

  private static Conversation row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    long task = rs.getLong("task_id");
    Long taskId = rs.wasNull() ? null : task;
    String board = rs.getString("board_ref");
    return new Conversation(
        rs.getLong("request_id"),
        Surface.valueOf(rs.getString("surface")),
        new ChannelRef(rs.getString("channel_ref")),
        new MessageRef(rs.getString("card_ref")),
        new ChannelRef(rs.getString("thread_ref")),
        rs.getString("requester_mention"),
        rs.getString("card_state"),
        taskId,
        board == null ? null : new MessageRef(board),
        rs.getObject("board_posted_at", OffsetDateTime.class),
        rs.getBoolean("finished"));
  }
}
