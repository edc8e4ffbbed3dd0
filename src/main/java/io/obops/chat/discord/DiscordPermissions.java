package io.obops.chat.discord;

import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.Permission;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.entities.channel.middleman.GuildMessageChannel;

/**
 * What the bot needs in a channel, checked against JDA's cache (roles, channel overwrites; kept
 * current by GUILD_ROLE_UPDATE and CHANNEL_UPDATE), so a check costs no request.
 *
 * <p>A channel where requests are made needs: View Channel and Send Messages (the card), Embed
 * Links (else Discord silently drops the card's details), Create Public Threads and Send Messages
 * in Threads (the conversation), Attach Files (the final JSON and the graph). In a thread the card
 * and everything after go into the thread itself. The announce channel needs View Channel and Send
 * Messages. {@link #INVITE} is the README's invite integer: exactly these bits.
 */
final class DiscordPermissions {

  static final Set<Permission> CONVERSATION =
      EnumSet.of(
          Permission.VIEW_CHANNEL,
          Permission.MESSAGE_SEND,
          Permission.MESSAGE_EMBED_LINKS,
          Permission.MESSAGE_ATTACH_FILES,
          Permission.CREATE_PUBLIC_THREADS,
          Permission.MESSAGE_SEND_IN_THREADS);

  static final Set<Permission> IN_THREAD =
      EnumSet.of(
          Permission.VIEW_CHANNEL,
          Permission.MESSAGE_SEND_IN_THREADS,
          Permission.MESSAGE_EMBED_LINKS,
          Permission.MESSAGE_ATTACH_FILES);

  static final Set<Permission> ANNOUNCE =
      EnumSet.of(Permission.VIEW_CHANNEL, Permission.MESSAGE_SEND);

  /** A configured channel JDA does not show: deleted, or hidden because the bot may not view it. */
  private static final List<String> UNKNOWN =
      List.of(Permission.VIEW_CHANNEL.getName() + " (or the channel is deleted)");

  /** The permissions integer for the invite URL (README). */
  static final long INVITE = Permission.getRaw(CONVERSATION);

  private DiscordPermissions() {}

  /** Discord's names of what the bot lacks in {@code channel} for a conversation, in order. */
  static List<String> missingForConversation(GuildMessageChannel channel) {
    return missing(channel, channel instanceof ThreadChannel ? IN_THREAD : CONVERSATION);
  }

  static List<String> missing(GuildMessageChannel channel, Set<Permission> needed) {
    Member self = channel.getGuild().getSelfMember();
    GuildMessageChannel where =
        channel instanceof ThreadChannel t ? t.getParentMessageChannel() : channel;
    return needed.stream()
        .filter(p -> !self.hasPermission(where, p))
        .map(Permission::getName)
        .toList();
  }

  /**
   * Per configured channel (command channels, the announce channel): what is missing, or that the
   * bot cannot find the channel. Empty lists for channels that are fine.
   */
  static Map<String, List<String>> report(JDA jda, DiscordProperties properties) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    for (long id : properties.commandChannels()) {
      GuildMessageChannel c = jda.getChannelById(GuildMessageChannel.class, id);
      out.put(label(c, id), c == null ? UNKNOWN : missingForConversation(c));
    }
    Long announce = properties.announceChannel();
    if (announce != null) {
      GuildMessageChannel c = jda.getChannelById(GuildMessageChannel.class, announce);
      out.put(label(c, announce) + " (announce)", c == null ? UNKNOWN : missing(c, ANNOUNCE));
    }
    return out;
  }

  private static String label(GuildMessageChannel c, long id) {
    return c == null ? Long.toString(id) : "#" + c.getName() + " (" + id + ")";
  }
}
