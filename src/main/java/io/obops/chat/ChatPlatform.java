package io.obops.chat;

import io.obops.access.Surface;
import java.time.Duration;
import java.util.List;

/**
 * What the core needs from a chat platform; one implementation per adapter (Discord, the web
 * console, a test double). References it returns are opaque strings the core stores in its tables
 * and hands back after a restart, so they must stay meaningful across restarts of obops.
 *
 * <p>Threading: the core calls these methods from its own threads (the thread of a {@link
 * ChatGateway} call, and the outbox's workers: one conversation per worker, several conversations
 * at once), so calls for different conversations, even into one channel (their cards), run
 * concurrently; implementations must be thread-safe and may block (an HTTP call, a rate limit's
 * wait), which holds up only that conversation. They should handle rate limits themselves (wait and
 * retry a 429 per {@code retry_after}) and throw {@link ChatPlatformException} only when the call
 * finally failed; the core logs it and carries on (a board edit is retried at the next tick, a
 * failed edit of a gone message posts a fresh one).
 *
 * <p>Missing features are documented no-ops: a platform without threads returns the message's
 * channel from {@link #openThread}; one that cannot edit returns false from {@link
 * #canEditMessagesOlderThan} and the core posts fresh messages instead.
 */
public interface ChatPlatform {

  /** Which surface actions from this platform come from (recorded with decisions and audit). */
  Surface surface();

  /** Posts a message; returns its reference. Text longer than {@link #maxMessageLength} is cut. */
  MessageRef post(ChannelRef channel, ChatMessage message);

  /**
   * Posts a message at most once per {@code nonce} (the outbox's idempotency key, at most 25
   * characters, unique per outbound message): posting again with the same nonce returns the message
   * already posted (Discord: the message nonce with {@code enforce_nonce}). A platform without such
   * a key posts again (documented no-op: the default).
   */
  default MessageRef post(ChannelRef channel, ChatMessage message, String nonce) {
    return post(channel, message);
  }

  /** Replaces a message's text, card and buttons. */
  void edit(MessageRef target, ChatMessage message);

  /**
   * Opens a thread on a message and returns where to post into it. A platform without threads
   * returns the channel the message is in (no-op).
   */
  ChannelRef openThread(MessageRef message, String title);

  /**
   * Posts a file (the final {@code task-<id>.json}, the graph's PNG) with a line of text. A
   * platform without attachments posts the text with a link or a note instead.
   */
  MessageRef postFile(
      ChannelRef channel, String text, String fileName, String contentType, byte[] content);

  /**
   * {@link #postFile} at most once per {@code nonce}, as {@link #post(ChannelRef, ChatMessage,
   * String)}.
   */
  default MessageRef postFile(
      ChannelRef channel,
      String text,
      String fileName,
      String contentType,
      byte[] content,
      String nonce) {
    return postFile(channel, text, fileName, contentType, content);
  }

  /** How to mention a user principal ({@code discord-user:<id>} → {@code <@id>}). */
  String mentionUser(String principal);

  /** How to mention a role principal ({@code discord-role:<id>} → {@code <@&id>}); may be "". */
  String mentionRole(String rolePrincipal);

  /** Longest text a message may carry (Discord: 2000). */
  int maxMessageLength();

  /**
   * Whether a message this old can still be edited. The core posts a fresh board instead of editing
   * an older one (Discord: messages in threads stay editable, but an archived thread reopens on
   * post; an adapter may still say false past its own window).
   */
  boolean canEditMessagesOlderThan(Duration age);

  /**
   * What the bot itself lacks to hold a request's conversation in {@code channel}: post the card,
   * open its thread, post into it (files included). Names in the platform's own words (Discord:
   * "Create Public Threads"); empty when nothing is missing or the platform cannot tell (the
   * default, a documented no-op). The core asks before it creates a request, so a refusal leaves
   * nothing behind. Must not block on the network.
   */
  default List<String> missingPermissions(ChannelRef channel) {
    return List.of();
  }

  /** How to name {@code channel} to a reader of this platform (Discord: {@code <#id>}). */
  default String channelLabel(ChannelRef channel) {
    return channel.value();
  }
}
