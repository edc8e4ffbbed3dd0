package io.obops.chat.discord.emulator;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A message as the emulator stores it: what the bot posted, every revision (the first is the
 * message as created, each edit adds one), and its files. Thread-safe; getters return copies.
 */
public final class EmuMessage {

  /** A file attached to a message. */
  public record Attachment(long id, String filename, String contentType, byte[] data) {
    public String text() {
      return new String(data, StandardCharsets.UTF_8);
    }
  }

  /** Who a message notified when it was posted (edits notify nobody). */
  public record Pings(List<Long> users, List<Long> roles, boolean everyone) {
    public static final Pings NONE = new Pings(List.of(), List.of(), false);

    public boolean any() {
      return everyone || !users.isEmpty() || !roles.isEmpty();
    }
  }

  /** A button as the bot sent it. */
  public record Button(String customId, String label, int style, boolean disabled, String url) {}

  /** The message's state after its creation or one edit. */
  public record Revision(
      Instant at, String content, JsonNode embeds, JsonNode components, List<String> files) {}

  private final long id;
  private final long channelId;
  private final int type;
  private final boolean fromInteraction;
  private final Instant createdAt;
  private final List<Revision> revisions = new ArrayList<>();
  private String content = "";
  private ArrayNode embeds = EmuJson.array();
  private ArrayNode components = EmuJson.array();
  private List<Attachment> attachments = new ArrayList<>();
  private int flags;
  private Long threadId;
  private Pings pings = Pings.NONE;

  EmuMessage(long id, long channelId, int type, boolean fromInteraction, Instant createdAt) {
    this.id = id;
    this.channelId = channelId;
    this.type = type;
    this.fromInteraction = fromInteraction;
    this.createdAt = createdAt;
  }

  public long id() {
    return id;
  }

  public long channelId() {
    return channelId;
  }

  public Instant createdAt() {
    return createdAt;
  }

  public synchronized String content() {
    return content;
  }

  public synchronized JsonNode embeds() {
    return embeds.deepCopy();
  }

  /**
   * Titles, descriptions and field texts of the embeds, joined: what a reader sees besides text.
   */
  public synchronized String embedText() {
    StringBuilder out = new StringBuilder();
    for (JsonNode e : embeds) {
      for (String key : List.of("title", "description")) {
        if (e.hasNonNull(key)) {
          out.append(e.get(key).asString()).append('\n');
        }
      }
      for (JsonNode f : e.path("fields")) {
        out.append(f.path("name").asString())
            .append(": ")
            .append(f.path("value").asString())
            .append('\n');
      }
      if (e.path("footer").hasNonNull("text")) {
        out.append(e.path("footer").get("text").asString()).append('\n');
      }
    }
    return out.toString();
  }

  /** The content and the embeds' text: everything a reader sees. */
  public synchronized String text() {
    return content + "\n" + embedText();
  }

  public synchronized JsonNode components() {
    return components.deepCopy();
  }

  public synchronized List<Button> buttons() {
    List<Button> out = new ArrayList<>();
    collectButtons(components, out);
    return out;
  }

  private static void collectButtons(JsonNode nodes, List<Button> out) {
    for (JsonNode c : nodes) {
      if (c.path("type").asInt() == 2) {
        out.add(
            new Button(
                c.path("custom_id").asString(null),
                c.path("label").asString(""),
                c.path("style").asInt(),
                c.path("disabled").asBoolean(false),
                c.path("url").asString(null)));
      }
      collectButtons(c.path("components"), out);
    }
  }

  public synchronized Optional<Button> button(String labelOrIdPrefix) {
    return buttons().stream()
        .filter(
            b ->
                labelOrIdPrefix.equals(b.label())
                    || (b.customId() != null && b.customId().startsWith(labelOrIdPrefix)))
        .findFirst();
  }

  public synchronized List<Attachment> attachments() {
    return List.copyOf(attachments);
  }

  public synchronized Optional<Attachment> attachment(String filename) {
    return attachments.stream().filter(a -> a.filename().equals(filename)).findFirst();
  }

  /** The creation and every edit, oldest first. */
  public synchronized List<Revision> revisions() {
    return List.copyOf(revisions);
  }

  public synchronized int editCount() {
    return revisions.size() - 1;
  }

  public synchronized boolean ephemeral() {
    return (flags & 64) != 0;
  }

  /** A deferred interaction response still showing "thinking…". */
  public synchronized boolean loading() {
    return (flags & 128) != 0;
  }

  /** Who this message notified when it was posted. */
  public synchronized Pings pings() {
    return pings;
  }

  synchronized void pings(Pings p) {
    pings = p;
  }

  public synchronized Optional<Long> threadId() {
    return Optional.ofNullable(threadId);
  }

  public boolean fromInteraction() {
    return fromInteraction;
  }

  // ------------------------------------------------------------ emulator side

  synchronized void apply(JsonNode body, List<Attachment> uploaded, Instant at, boolean creation) {
    if (body.has("content")) {
      content = body.get("content").isNull() ? "" : body.get("content").asString();
    }
    if (body.has("embeds")) {
      embeds = body.get("embeds").isArray() ? (ArrayNode) body.get("embeds").deepCopy() : null;
      if (embeds == null) {
        embeds = EmuJson.array();
      }
      for (JsonNode e : embeds) {
        if (e instanceof ObjectNode o && !o.has("type")) {
          o.put("type", "rich"); // Discord adds it, and JDA requires it
        }
      }
    }
    if (body.has("components")) {
      components =
          body.get("components").isArray()
              ? numbered((ArrayNode) body.get("components").deepCopy())
              : EmuJson.array();
    }
    if (creation && body.has("flags") && body.get("flags").canConvertToInt()) {
      flags = body.get("flags").asInt() & ~128;
    }
    if (!creation) {
      flags &= ~128; // an edit resolves a deferred "thinking…" message
    }
    List<Attachment> kept = new ArrayList<>();
    if (body.has("attachments") && !creation) {
      for (JsonNode a : body.get("attachments")) {
        String aid = a.path("id").asString();
        attachments.stream().filter(x -> String.valueOf(x.id()).equals(aid)).forEach(kept::add);
      }
    } else if (!creation) {
      kept.addAll(attachments);
    }
    kept.addAll(uploaded);
    attachments = kept;
    revisions.add(
        new Revision(
            at,
            content,
            embeds.deepCopy(),
            components.deepCopy(),
            attachments.stream().map(Attachment::filename).toList()));
  }

  private static ArrayNode numbered(ArrayNode components) {
    int[] next = {1};
    number(components, next);
    return components;
  }

  private static void number(JsonNode nodes, int[] next) {
    for (JsonNode c : nodes) {
      if (c instanceof ObjectNode o && !o.has("id")) {
        o.put("id", next[0]++);
      }
      number(c.path("components"), next);
    }
  }

  synchronized void markLoading(boolean ephemeral) {
    flags = 128 | (ephemeral ? 64 : 0);
    revisions.add(new Revision(createdAt, "", EmuJson.array(), EmuJson.array(), List.of()));
  }

  synchronized void thread(long id) {
    threadId = id;
  }

  /**
   * The message as Discord returns it. Its thread is looked up after the message's own lock is let
   * go: the emulator takes its lock before a message's (tests await messages under it), never
   * after.
   */
  ObjectNode toJson(DiscordEmulator emu) {
    ObjectNode m;
    Long thread;
    synchronized (this) {
      m = ownJson(emu);
      thread = threadId;
    }
    if (thread != null) {
      m.set("thread", emu.threadJson(thread));
    }
    return m;
  }

  private ObjectNode ownJson(DiscordEmulator emu) {
    ObjectNode m = EmuJson.object();
    m.put("id", Long.toString(id));
    m.put("type", type);
    m.put("channel_id", Long.toString(channelId));
    m.put("guild_id", Long.toString(emu.guildId()));
    ObjectNode author = m.putObject("author");
    author.put("id", Long.toString(emu.botUserId()));
    author.put("username", emu.botName());
    author.put("discriminator", "0");
    author.put("bot", true);
    author.putNull("avatar");
    m.put("content", content);
    m.put("timestamp", EmuJson.timestamp(createdAt));
    if (revisions.size() > 1 && !revisions.get(revisions.size() - 1).at().equals(createdAt)) {
      m.put("edited_timestamp", EmuJson.timestamp(revisions.get(revisions.size() - 1).at()));
    } else {
      m.putNull("edited_timestamp");
    }
    m.put("tts", false);
    m.put("mention_everyone", pings.everyone());
    ArrayNode mentions = m.putArray("mentions");
    for (long u : pings.users()) {
      ObjectNode user = mentions.addObject();
      user.put("id", Long.toString(u));
      user.put("username", "user" + u);
      user.put("discriminator", "0");
      user.putNull("avatar");
    }
    ArrayNode roles = m.putArray("mention_roles");
    pings.roles().forEach(r -> roles.add(Long.toString(r)));
    ArrayNode files = m.putArray("attachments");
    for (Attachment a : attachments) {
      ObjectNode f = files.addObject();
      f.put("id", Long.toString(a.id()));
      f.put("filename", a.filename());
      f.put("size", a.data().length);
      String url = emu.restRoot() + "attachments/" + channelId + "/" + a.id() + "/" + a.filename();
      f.put("url", url);
      f.put("proxy_url", url);
      if (a.contentType() != null) {
        f.put("content_type", a.contentType());
      }
    }
    m.set("embeds", embeds.deepCopy());
    m.set("components", components.deepCopy());
    m.put("pinned", false);
    m.put("flags", flags);
    if (fromInteraction) {
      m.put("webhook_id", Long.toString(emu.applicationId()));
      m.put("application_id", Long.toString(emu.applicationId()));
    }
    return m;
  }
}
