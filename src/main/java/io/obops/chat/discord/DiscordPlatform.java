package io.obops.chat.discord;

import io.obops.access.Surface;
import io.obops.chat.ChannelRef;
import io.obops.chat.ChatMessage;
import io.obops.chat.ChatPlatform;
import io.obops.chat.ChatPlatformException;
import io.obops.chat.MessageRef;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.Message;
import net.dv8tion.jda.api.entities.channel.attribute.IThreadContainer;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;
import net.dv8tion.jda.api.exceptions.ErrorResponseException;
import net.dv8tion.jda.api.requests.ErrorResponse;
import net.dv8tion.jda.api.utils.FileUpload;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The core's outbound seam on Discord. Every call is one REST request on the bot token's channel
 * routes ({@code POST/PATCH channels/{id}/messages...}, {@code POST
 * channels/{id}/messages/{id}/threads}), never an interaction webhook, so nothing here depends on
 * the 15-minute interaction token. A 429 is waited out by JDA's rate limiter (it reads Discord's
 * bucket headers); a call that finally fails throws {@link ChatPlatformException}.
 *
 * <p>What it survives without the core's help:
 *
 * <ul>
 *   <li>Threads JDA does not have cached (archived, or not in GUILD_CREATE after a restart) are
 *       looked up through REST ({@link ThreadLookup}); posting into an archived, unlocked thread
 *       un-archives it. An edit in an archived thread is reported as gone, so the core posts a
 *       fresh board, which un-archives it.
 *   <li>A locked or deleted thread moves the conversation to the thread's parent channel, with one
 *       notice there; later calls for that thread go to the parent without a request to the thread
 *       (a locked thread's 403s count toward Discord's invalid-request limit).
 *   <li>Failures back off per channel ({@link Backoff}): no retry storm at the ticker's pace.
 *   <li>A file Discord refuses (Attach Files missing, an outage) is thrown back to the chat outbox,
 *       which tries it again with backoff (durably, on whichever replica holds the gateway); a PNG
 *       refused as too large is replaced by a smaller rendering ({@link SmallerPng}).
 *   <li>Mentions: nothing pings but the approver role (see {@link DiscordMessages}).
 * </ul>
 *
 * <p>Threading: thread-safe; every method blocks the calling thread (never a JDA thread) until
 * Discord answered, a rate limit's wait included: the chat outbox calls it from one worker per
 * conversation, so that wait holds only the conversation whose channel is limited (JDA queues the
 * calls of one bucket and runs other buckets meanwhile). Its state is concurrent maps ({@code
 * parents}, {@code moved}; a move to the parent posts its notice once, by {@code putIfAbsent}) and
 * {@link Backoff}; two conversations failing in one channel at once count as two failures there.
 *
 * <p>Why one file: every JDA call and the mapping of Discord's answers (error codes, archived,
 * locked and deleted threads, backoff) to one {@code ChatPlatformException} live here, so nothing
 * else of JDA leaks into the core.
 */
final class DiscordPlatform implements ChatPlatform {

  private static final Logger log = LoggerFactory.getLogger(DiscordPlatform.class);

  /** Discord refuses edits of messages older than an hour once their budget is spent. */
  static final Duration EDIT_WINDOW = Duration.ofMinutes(55);

  /** How often a refused file is tried again before obops gives up on it. */
  private final Supplier<JDA> jda;

  private final DiscordProperties properties;
  private final List<String> pingableRoles;
  private final Backoff backoff;

  /** Thread id → parent channel id, as learned from JDA or Discord (for a deleted thread). */
  private final Map<Long, Long> parents = new ConcurrentHashMap<>();

  /** Thread id → the parent channel its conversation moved to (locked or deleted). */
  private final Map<Long, Long> moved = new ConcurrentHashMap<>();

  DiscordPlatform(
      Supplier<JDA> jda, DiscordProperties properties, Clock clock, String approverRole) {
    this.jda = jda;
    this.properties = properties;
    this.pingableRoles =
        approverRole != null && approverRole.startsWith("discord-role:")
            ? List.of(approverRole.substring("discord-role:".length()))
            : List.of();
    this.backoff = new Backoff(clock);
  }

  @Override
  public Surface surface() {
    return Surface.DISCORD;
  }

  @Override
  public MessageRef post(ChannelRef channel, ChatMessage message) {
    return post(channel, message, null);
  }

  /**
   * Sends the nonce with {@code enforce_nonce} (JDA always sets it): a repeat returns the first.
   */
  @Override
  public MessageRef post(ChannelRef channel, ChatMessage message, String nonce) {
    return send(
        DiscordRefs.channelId(channel),
        "post a message",
        true,
        c -> {
          var action = c.sendMessage(DiscordMessages.create(message, "", pingableRoles));
          return (nonce == null ? action : action.setNonce(nonce)).complete();
        });
  }

  @Override
  public void edit(MessageRef target, ChatMessage message) {
    long channelId = DiscordRefs.channelId(target);
    if (moved.containsKey(channelId)) {
      throw new ChatPlatformException(
          "message " + target + " is in a thread that was locked or deleted; post anew", true);
    }
    GuildMessageChannel channel = target(channelId);
    if (channel.getIdLong() != channelId) {
      throw new ChatPlatformException(
          "message " + target + " is in a thread that was locked or deleted; post anew", true);
    }
    String what = "edit message " + target;
    backoff.check(channelId, what);
    try {
      channel
          .editMessageById(DiscordRefs.messageId(target), DiscordMessages.edit(message, ""))
          .complete();
      backoff.succeeded(channelId);
    } catch (ErrorResponseException e) {
      ErrorResponse r = e.getErrorResponse();
      if (r == ErrorResponse.ILLEGAL_OPERATION_ARCHIVED_THREAD) {
        // An archived thread's messages cannot be edited, but a post un-archives it: gone.
        throw new ChatPlatformException(
            "message " + target + " is in an archived thread; post anew", true, e);
      }
      if (r == ErrorResponse.THREAD_LOCKED && channel instanceof ThreadChannel t) {
        moveToParent(t.getIdLong(), t.getParentChannel().getIdLong(), "locked");
        throw new ChatPlatformException(
            "message " + target + " is in a locked thread; post anew", true, e);
      }
      backoff.failed(channelId, r.name());
      throw failure(what, e);
    } catch (RuntimeException e) {
      backoff.failed(channelId, e.getClass().getSimpleName());
      throw failure(what, e);
    }
  }

  @Override
  public ChannelRef openThread(MessageRef message, String title) {
    GuildMessageChannel channel = target(DiscordRefs.channelId(message));
    long messageId = DiscordRefs.messageId(message);
    if (!(channel instanceof IThreadContainer container)) {
      return DiscordRefs.channel(channel.getIdLong()); // already in a thread: documented no-op
    }
    String name = DiscordMessages.cut(title == null || title.isBlank() ? "obops" : title, 100);
    String what = "open a thread on " + message;
    backoff.check(channel.getIdLong(), what);
    ThreadChannel thread;
    try {
      thread =
          container
              .createThreadChannel(name, messageId)
              .setAutoArchiveDuration(ThreadChannel.AutoArchiveDuration.TIME_1_WEEK)
              .complete();
      backoff.succeeded(channel.getIdLong());
    } catch (ErrorResponseException e) {
      if (e.getErrorResponse() == ErrorResponse.THREAD_WITH_THIS_MESSAGE_ALREADY_EXISTS) {
        parents.put(messageId, channel.getIdLong());
        return DiscordRefs.channel(messageId); // a replayed call: the thread's id is the message's
      }
      backoff.failed(channel.getIdLong(), e.getErrorResponse().name());
      throw failure(what, e);
    } catch (RuntimeException e) {
      backoff.failed(channel.getIdLong(), e.getClass().getSimpleName());
      throw failure(what, e);
    }
    parents.put(thread.getIdLong(), channel.getIdLong());
    announce("Started: " + name, thread.getIdLong());
    return DiscordRefs.channel(thread.getIdLong());
  }

  @Override
  public MessageRef postFile(
      ChannelRef channel, String text, String fileName, String contentType, byte[] content) {
    return postFile(channel, text, fileName, contentType, content, null);
  }

  /**
   * Posts the file (a too-large PNG scaled down until Discord takes it); a refusal is thrown, and
   * the chat outbox that delivers it tries again with backoff. The nonce makes a repeat return the
   * first post.
   */
  @Override
  public MessageRef postFile(
      ChannelRef channel,
      String text,
      String fileName,
      String contentType,
      byte[] content,
      String nonce) {
    return upload(channel, text, fileName, content, nonce);
  }

  private MessageRef upload(
      ChannelRef channel, String text, String fileName, byte[] content, String nonce) {
    byte[] bytes = content;
    String note = "";
    for (int attempt = 0; ; attempt++) {
      byte[] file = bytes;
      String line = DiscordMessages.cut(text + note, DiscordMessages.MAX_CONTENT);
      try {
        MessageRef ref =
            send(
                DiscordRefs.channelId(channel),
                "post " + fileName,
                false, // a refused file backs off in the outbox, not the whole channel
                c -> {
                  var action =
                      c.sendMessage(line)
                          .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
                          .addFiles(FileUpload.fromData(file, fileName));
                  return (nonce == null ? action : action.setNonce(nonce)).complete();
                });
        announceEnd(fileName, DiscordRefs.channelId(channel));
        return ref;
      } catch (ChatPlatformException e) {
        Optional<byte[]> smaller =
            tooLarge(e) && fileName.endsWith(".png") && attempt < 4
                ? SmallerPng.halve(bytes)
                : Optional.empty();
        if (smaller.isEmpty()) {
          throw e;
        }
        log.info(
            "{} ({} bytes) is larger than Discord accepts here; posting a smaller rendering",
            fileName,
            bytes.length);
        bytes = smaller.get();
        note = " (scaled down to fit Discord's upload limit)";
      }
    }
  }

  private static boolean tooLarge(ChatPlatformException e) {
    return e.getCause() instanceof ErrorResponseException r
        && r.getErrorResponse() == ErrorResponse.REQUEST_ENTITY_TOO_LARGE;
  }

  @Override
  public String mentionUser(String principal) {
    return principal.startsWith("discord-user:")
        ? "<@" + principal.substring("discord-user:".length()) + ">"
        : principal;
  }

  @Override
  public String mentionRole(String rolePrincipal) {
    return rolePrincipal.startsWith("discord-role:")
        ? "<@&" + rolePrincipal.substring("discord-role:".length()) + ">"
        : "";
  }

  @Override
  public int maxMessageLength() {
    return DiscordMessages.MAX_CONTENT;
  }

  @Override
  public boolean canEditMessagesOlderThan(Duration age) {
    return age.compareTo(EDIT_WINDOW) < 0;
  }

  /** From JDA's cache (no request): what the bot lacks in the channel to hold a conversation. */
  @Override
  public List<String> missingPermissions(ChannelRef channel) {
    JDA connection = jda.get();
    if (connection == null) {
      return List.of();
    }
    GuildMessageChannel c =
        connection.getChannelById(GuildMessageChannel.class, DiscordRefs.channelId(channel));
    // JDA hides a channel the bot may not view: the interaction came from it, so it exists.
    return c == null
        ? List.of(net.dv8tion.jda.api.Permission.VIEW_CHANNEL.getName())
        : DiscordPermissions.missingForConversation(c);
  }

  @Override
  public String channelLabel(ChannelRef channel) {
    return "<#" + DiscordRefs.channelId(channel) + ">";
  }

  // ------------------------------------------------------------------

  /**
   * One request to a channel: backs off after failures (if {@code backOff}), and moves to the
   * parent channel when the thread turns out locked or deleted (then tries there once).
   */
  private MessageRef send(
      long id, String what, boolean backOff, Function<GuildMessageChannel, Message> request) {
    GuildMessageChannel target = target(id);
    long key = target.getIdLong();
    if (backOff) {
      backoff.check(key, what);
    }
    try {
      Message m = request.apply(target);
      backoff.succeeded(key);
      return DiscordRefs.message(key, m.getIdLong());
    } catch (ErrorResponseException e) {
      ErrorResponse r = e.getErrorResponse();
      Long parent = target instanceof ThreadChannel t ? t.getParentChannel().getIdLong() : null;
      if (parent != null
          && (r == ErrorResponse.THREAD_LOCKED || r == ErrorResponse.UNKNOWN_CHANNEL)) {
        GuildMessageChannel there =
            moveToParent(key, parent, r == ErrorResponse.THREAD_LOCKED ? "locked" : "deleted");
        Message m = call(what + " in " + there.getId(), () -> request.apply(there));
        return DiscordRefs.message(there.getIdLong(), m.getIdLong());
      }
      if (backOff) {
        backoff.failed(key, r.name());
      }
      throw failure(what + " in channel " + key, e);
    } catch (RuntimeException e) {
      if (backOff) {
        backoff.failed(key, e.getClass().getSimpleName());
      }
      throw failure(what + " in channel " + key, e);
    }
  }

  /**
   * The channel or thread to post to: JDA's cache, else Discord (an archived thread); a locked or
   * deleted thread's parent once the conversation moved there.
   */
  private GuildMessageChannel target(long id) {
    JDA connection = jda.get();
    if (connection == null) {
      throw new ChatPlatformException("the Discord adapter is not connected", false);
    }
    Long to = moved.get(id);
    if (to != null) {
      return cached(connection, to);
    }
    GuildMessageChannel channel = connection.getChannelById(GuildMessageChannel.class, id);
    if (channel instanceof ThreadChannel t) {
      long parent = t.getParentChannel().getIdLong();
      parents.put(id, parent);
      return t.isLocked() ? moveToParent(id, parent, "locked") : t;
    }
    if (channel != null) {
      return channel;
    }
    backoff.check(id, "look up Discord channel " + id);
    try {
      ThreadLookup.Found found = ThreadLookup.find(connection, id);
      backoff.succeeded(id);
      parents.put(id, found.parentId());
      return found.locked() ? moveToParent(id, found.parentId(), "locked") : found.thread();
    } catch (ErrorResponseException e) {
      Long parent = parents.get(id);
      if (e.getErrorResponse() == ErrorResponse.UNKNOWN_CHANNEL && parent != null) {
        return moveToParent(id, parent, "deleted");
      }
      if (e.getErrorResponse() == ErrorResponse.UNKNOWN_CHANNEL) {
        backoff.failed(id, "deleted"); // asked again only after a pause, not at every tick
        throw new ChatPlatformException("Discord channel or thread " + id + " is deleted", true, e);
      }
      backoff.failed(id, e.getErrorResponse().name());
      throw failure("look up Discord channel " + id, e);
    } catch (RuntimeException e) {
      backoff.failed(id, e.getClass().getSimpleName());
      throw failure("look up Discord channel " + id, e);
    }
  }

  private static GuildMessageChannel cached(JDA connection, long id) {
    GuildMessageChannel c = connection.getChannelById(GuildMessageChannel.class, id);
    if (c == null) {
      throw new ChatPlatformException(
          "Discord channel " + id + " is unknown to the bot (deleted, or the bot lost access)",
          true);
    }
    return c;
  }

  /** Moves a thread's conversation to its parent, with one notice there; returns the parent. */
  private GuildMessageChannel moveToParent(long threadId, long parentId, String why) {
    GuildMessageChannel parent = cached(jda.get(), parentId);
    if (moved.putIfAbsent(threadId, parentId) == null) {
      log.warn(
          "Discord thread {} is {}; its conversation continues in channel {}",
          threadId,
          why,
          parentId);
      String notice =
          "The thread <#"
              + threadId
              + "> is "
              + why
              + ", so obops cannot post there; this conversation continues here.";
      try {
        parent
            .sendMessage(notice)
            .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
            .complete();
      } catch (RuntimeException e) {
        log.warn("could not post the notice of the moved thread {}: {}", threadId, e.toString());
      }
    }
    return parent;
  }

  private void announceEnd(String fileName, long threadId) {
    if (fileName.startsWith("task-") && fileName.endsWith(".json")) {
      announce(
          "Task "
              + fileName.substring(5, fileName.length() - 5)
              + " ended; its summary and "
              + fileName
              + " are in the thread",
          threadId);
    }
  }

  /** One line in the announce channel (with a link to the thread if known); failures only log. */
  private void announce(String line, Long threadId) {
    Long channelId = properties.announceChannel();
    if (channelId == null) {
      return;
    }
    JDA connection = jda.get();
    GuildMessageChannel channel =
        connection == null ? null : connection.getChannelById(GuildMessageChannel.class, channelId);
    if (channel == null) {
      log.warn(
          "obops.discord.announce-channel {} is not a text channel the bot can see; no notice"
              + " posted",
          channelId);
      return;
    }
    String text =
        threadId == null
            ? line
            : line
                + " — https://discord.com/channels/"
                + channel.getGuild().getId()
                + "/"
                + threadId;
    channel
        .sendMessage(DiscordMessages.cut(text, DiscordMessages.MAX_CONTENT))
        .setAllowedMentions(EnumSet.noneOf(Message.MentionType.class))
        .queue(
            ok -> {},
            e -> log.warn("could not post the notice in announce channel {}", channelId, e));
  }

  private static <T> T call(String what, Supplier<T> request) {
    try {
      return request.get();
    } catch (RuntimeException e) {
      throw failure(what, e);
    }
  }

  private static ChatPlatformException failure(String what, RuntimeException e) {
    boolean gone =
        e instanceof ErrorResponseException r
            && (r.getErrorResponse() == ErrorResponse.UNKNOWN_MESSAGE
                || r.getErrorResponse() == ErrorResponse.UNKNOWN_CHANNEL);
    boolean refused =
        e instanceof net.dv8tion.jda.api.exceptions.InsufficientPermissionException
            || (e instanceof ErrorResponseException r
                && (r.getErrorResponse() == ErrorResponse.MISSING_ACCESS
                    || r.getErrorResponse() == ErrorResponse.MISSING_PERMISSIONS));
    return new ChatPlatformException(
        "Discord refused to " + what + ": " + e.getMessage(), gone, refused, e);
  }
}
