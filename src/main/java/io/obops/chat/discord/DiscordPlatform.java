package io.obops.chat.discord;

import io.obops.access.Surface;
import io.obops.chat.ChannelRef;
import io.obops.chat.ChatMessage;
import io.obops.chat.ChatPlatform;
import io.obops.chat.ChatPlatformException;
import io.obops.chat.MessageRef;
import java.time.Duration;
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
 * The core's outbound seam on Discord. Every call is exactly one REST request on the bot token's
 * channel routes ({@code POST/PATCH channels/{id}/messages...}, {@code POST
 * channels/{id}/messages/{id}/threads}), never an interaction webhook, so nothing here depends on
 * the 15-minute interaction token; the core's reporter decides how often to edit, and this class
 * adds no calls of its own except the optional announce line. A 429 is waited out by JDA's rate
 * limiter (it reads Discord's bucket headers), so calls are only slower, never lost; a call that
 * finally fails throws {@link ChatPlatformException}.
 *
 * <p>Threading: thread-safe; every method blocks the calling thread (never a JDA thread) until
 * Discord answered.
 */
final class DiscordPlatform implements ChatPlatform {

  private static final Logger log = LoggerFactory.getLogger(DiscordPlatform.class);

  /** Discord refuses edits of messages older than an hour once their budget is spent. */
  static final Duration EDIT_WINDOW = Duration.ofMinutes(55);

  private final Supplier<JDA> jda;
  private final DiscordProperties properties;

  DiscordPlatform(Supplier<JDA> jda, DiscordProperties properties) {
    this.jda = jda;
    this.properties = properties;
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
    GuildMessageChannel target = channel(DiscordRefs.channelId(channel));
    Message posted =
        call(
            "post a message in " + channel,
            () -> {
              var action = target.sendMessage(DiscordMessages.create(message, ""));
              return (nonce == null ? action : action.setNonce(nonce)).complete();
            });
    return DiscordRefs.message(target.getIdLong(), posted.getIdLong());
  }

  @Override
  public void edit(MessageRef target, ChatMessage message) {
    GuildMessageChannel channel = channel(DiscordRefs.channelId(target));
    call(
        "edit message " + target,
        () ->
            channel
                .editMessageById(DiscordRefs.messageId(target), DiscordMessages.edit(message, ""))
                .complete());
  }

  @Override
  public ChannelRef openThread(MessageRef message, String title) {
    GuildMessageChannel channel = channel(DiscordRefs.channelId(message));
    long messageId = DiscordRefs.messageId(message);
    if (!(channel instanceof IThreadContainer container)) {
      return DiscordRefs.channel(channel.getIdLong()); // already in a thread: documented no-op
    }
    String name = DiscordMessages.cut(title == null || title.isBlank() ? "obops" : title, 100);
    ThreadChannel thread;
    try {
      thread =
          container
              .createThreadChannel(name, messageId)
              .setAutoArchiveDuration(ThreadChannel.AutoArchiveDuration.TIME_1_WEEK)
              .complete();
    } catch (ErrorResponseException e) {
      if (e.getErrorResponse() == ErrorResponse.THREAD_WITH_THIS_MESSAGE_ALREADY_EXISTS) {
        return DiscordRefs.channel(messageId); // a replayed call: the thread's id is the message's
      }
      throw failure("open a thread on " + message, e);
    } catch (RuntimeException e) {
      throw failure("open a thread on " + message, e);
    }
    announce("Started: " + name, thread.getIdLong());
    return DiscordRefs.channel(thread.getIdLong());
  }

  @Override
  public MessageRef postFile(
      ChannelRef channel, String text, String fileName, String contentType, byte[] content) {
    return postFile(channel, text, fileName, contentType, content, null);
  }

  @Override
  public MessageRef postFile(
      ChannelRef channel,
      String text,
      String fileName,
      String contentType,
      byte[] content,
      String nonce) {
    GuildMessageChannel target = channel(DiscordRefs.channelId(channel));
    Message posted =
        call(
            "post " + fileName + " in " + channel,
            () -> {
              var action =
                  target
                      .sendMessage(DiscordMessages.cut(text, DiscordMessages.MAX_CONTENT))
                      .addFiles(FileUpload.fromData(content, fileName));
              return (nonce == null ? action : action.setNonce(nonce)).complete();
            });
    if (fileName.startsWith("task-") && fileName.endsWith(".json")) {
      announce(
          "Task "
              + fileName.substring(5, fileName.length() - 5)
              + " ended; its summary and "
              + fileName
              + " are in the thread",
          target.getIdLong());
    }
    return DiscordRefs.message(target.getIdLong(), posted.getIdLong());
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

  // ------------------------------------------------------------------

  /** One line in the announce channel with a link to the thread; failures only log. */
  private void announce(String line, long threadId) {
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
    String link = "https://discord.com/channels/" + channel.getGuild().getId() + "/" + threadId;
    channel
        .sendMessage(DiscordMessages.cut(line + " — " + link, DiscordMessages.MAX_CONTENT))
        .queue(
            ok -> {},
            e -> log.warn("could not post the notice in announce channel {}", channelId, e));
  }

  private GuildMessageChannel channel(long id) {
    JDA connection = jda.get();
    if (connection == null) {
      throw new ChatPlatformException("the Discord adapter is not connected", false);
    }
    GuildMessageChannel channel = connection.getChannelById(GuildMessageChannel.class, id);
    if (channel == null) {
      throw new ChatPlatformException(
          "Discord channel or thread "
              + id
              + " is unknown to the bot (deleted, archived, or the bot lost access)",
          true);
    }
    return channel;
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
    return new ChatPlatformException("Discord refused to " + what + ": " + e.getMessage(), gone, e);
  }
}
