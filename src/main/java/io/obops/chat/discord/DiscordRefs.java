package io.obops.chat.discord;

import io.obops.chat.ChannelRef;
import io.obops.chat.MessageRef;

/**
 * The opaque references the core stores: {@code discord:<channelId>} for a channel or thread and
 * {@code discord:<channelId>/<messageId>} for a message. Snowflakes are stable, so references work
 * after a restart.
 */
final class DiscordRefs {

  private static final String PREFIX = "discord:";

  private DiscordRefs() {}

  static ChannelRef channel(long channelId) {
    return new ChannelRef(PREFIX + channelId);
  }

  static MessageRef message(long channelId, long messageId) {
    return new MessageRef(PREFIX + channelId + "/" + messageId);
  }

  static long channelId(ChannelRef ref) {
    return parse(ref.value(), false)[0];
  }

  static long channelId(MessageRef ref) {
    return parse(ref.value(), true)[0];
  }

  static long messageId(MessageRef ref) {
    return parse(ref.value(), true)[1];
  }

  private static long[] parse(String value, boolean message) {
    if (!value.startsWith(PREFIX)) {
      throw new IllegalArgumentException("not a Discord reference: " + value);
    }
    String[] parts = value.substring(PREFIX.length()).split("/");
    try {
      if (message && parts.length == 2) {
        return new long[] {Long.parseUnsignedLong(parts[0]), Long.parseUnsignedLong(parts[1])};
      }
      if (!message && parts.length == 1) {
        return new long[] {Long.parseUnsignedLong(parts[0])};
      }
    } catch (NumberFormatException e) {
      // fall through
    }
    throw new IllegalArgumentException("malformed Discord reference: " + value);
  }
}
