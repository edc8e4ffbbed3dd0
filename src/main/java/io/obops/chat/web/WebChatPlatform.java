package io.obops.chat.web;

import io.obops.access.Surface;
import io.obops.chat.ChannelRef;
import io.obops.chat.ChatMessage;
import io.obops.chat.ChatPlatform;
import io.obops.chat.ChatPlatformException;
import io.obops.chat.MessageRef;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import org.springframework.jdbc.core.simple.JdbcClient;
import tools.jackson.databind.ObjectMapper;

/**
 * The web console as a chat platform: messages live in {@code web_chat_message} (so the console
 * shows the same conversation after a restart), a thread is the channel {@code thread:<message>},
 * files are stored with their message. Every post and edit is announced to listeners (the console's
 * Server-Sent Events). Edits work at any age; mentions are plain {@code @name}.
 *
 * <p>Threading: thread-safe (the outbox calls it from several workers at once): every call is its
 * own statement on the shared {@code JdbcClient}, listeners sit in a copy-on-write list and are
 * told on the calling thread (each console stream serialises what it is told); one conversation's
 * calls come from one worker at a time, so its messages are announced in order.
 */
final class WebChatPlatform implements ChatPlatform {

  /** A stored message as the console shows it. */
  public record WebMessage(
      long id,
      String channel,
      ChatMessage message,
      String fileName,
      String fileType,
      OffsetDateTime createdAt,
      OffsetDateTime updatedAt) {}

  private static final String PREFIX = "web:";
  private final JdbcClient jdbc;
  private final ObjectMapper json;
  private final Clock clock;
  private final List<Consumer<WebMessage>> listeners = new CopyOnWriteArrayList<>();

  public WebChatPlatform(JdbcClient jdbc, ObjectMapper json, Clock clock) {
    this.jdbc = jdbc;
    this.json = json;
    this.clock = clock;
  }

  public void addListener(Consumer<WebMessage> listener) {
    listeners.add(listener);
  }

  public void removeListener(Consumer<WebMessage> listener) {
    listeners.remove(listener);
  }

  @Override
  public Surface surface() {
    return Surface.WEB;
  }

  @Override
  public MessageRef post(ChannelRef channel, ChatMessage message) {
    return new MessageRef("w" + insert(channel.value(), message, null, null, null));
  }

  private long insert(String channel, ChatMessage m, String name, String type, byte[] data) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    var keys = new org.springframework.jdbc.support.GeneratedKeyHolder();
    jdbc.sql(
            "insert into web_chat_message (channel, body, file_name, file_type, file_data,"
                + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?)")
        .params(
            channel,
            json.writeValueAsString(m),
            name,
            type,
            data == null ? null : Base64.getEncoder().encodeToString(data),
            now,
            now)
        .update(keys, "id");
    long id = ((Number) keys.getKeys().get("id")).longValue();
    announce(id);
    return id;
  }

  @Override
  public void edit(MessageRef target, ChatMessage message) {
    long id = id(target);
    int n =
        jdbc.sql("update web_chat_message set body = ?, updated_at = ? where id = ?")
            .params(json.writeValueAsString(message), OffsetDateTime.now(clock), id)
            .update();
    if (n == 0) {
      throw new ChatPlatformException("web console message " + target + " does not exist", true);
    }
    announce(id);
  }

  @Override
  public ChannelRef openThread(MessageRef message, String title) {
    return new ChannelRef("thread:" + message.value());
  }

  @Override
  public MessageRef postFile(
      ChannelRef channel, String text, String fileName, String contentType, byte[] content) {
    return new MessageRef(
        "w" + insert(channel.value(), ChatMessage.text(text), fileName, contentType, content));
  }

  @Override
  public String mentionUser(String principal) {
    return "@" + (principal.startsWith(PREFIX) ? principal.substring(PREFIX.length()) : principal);
  }

  @Override
  public String mentionRole(String rolePrincipal) {
    return "";
  }

  @Override
  public int maxMessageLength() {
    return 8000;
  }

  @Override
  public boolean canEditMessagesOlderThan(Duration age) {
    return true;
  }

  // ---------------------------------------------------------------- reading (the console)

  public List<WebMessage> channel(String channel, int limit) {
    List<WebMessage> newest =
        new java.util.ArrayList<>(
            jdbc.sql(
                    "select id, channel, body, file_name, file_type, created_at, updated_at from"
                        + " web_chat_message where channel = ? order by id desc limit ?")
                .params(channel, limit)
                .query(this::row)
                .list());
    java.util.Collections.reverse(newest);
    return newest;
  }

  public Optional<WebMessage> find(long id) {
    return jdbc.sql(
            "select id, channel, body, file_name, file_type, created_at, updated_at from"
                + " web_chat_message where id = ?")
        .param(id)
        .query(this::row)
        .optional();
  }

  /** The file of a message: name, type and bytes. */
  public Optional<Map.Entry<WebMessage, byte[]>> file(long id) {
    return find(id)
        .filter(m -> m.fileName() != null)
        .map(
            m ->
                Map.entry(
                    m,
                    Base64.getDecoder()
                        .decode(
                            jdbc.sql("select file_data from web_chat_message where id = ?")
                                .param(id)
                                .query(String.class)
                                .single())));
  }

  private WebMessage row(java.sql.ResultSet rs, int n) throws java.sql.SQLException {
    return new WebMessage(
        rs.getLong("id"),
        rs.getString("channel"),
        json.readValue(rs.getString("body"), ChatMessage.class),
        rs.getString("file_name"),
        rs.getString("file_type"),
        rs.getObject("created_at", OffsetDateTime.class),
        rs.getObject("updated_at", OffsetDateTime.class));
  }

  private void announce(long id) {
    if (listeners.isEmpty()) {
      return;
    }
    find(id).ifPresent(m -> listeners.forEach(l -> l.accept(m)));
  }

  private static long id(MessageRef ref) {
    try {
      return Long.parseLong(ref.value().substring(1));
    } catch (RuntimeException e) {
      throw new ChatPlatformException("not a web console message: " + ref, true);
    }
  }
}
