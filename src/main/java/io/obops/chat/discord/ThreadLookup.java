package io.obops.chat.discord;

import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.entities.channel.concrete.ThreadChannel;
import net.dv8tion.jda.api.requests.Route;
import net.dv8tion.jda.api.utils.data.DataObject;
import net.dv8tion.jda.internal.JDAImpl;
import net.dv8tion.jda.internal.requests.RestActionImpl;

/**
 * Finds a channel JDA does not have cached, through {@code GET channels/{id}}: JDA drops a thread
 * from its cache when it is archived (THREAD_UPDATE), and after a restart GUILD_CREATE lists only
 * active threads, so every thread that auto-archived (a failed subtask waiting a day for Retry) is
 * unknown to the cache. JDA 6 has no public "retrieve channel by id", so this uses its request and
 * entity classes (internal API, the one place obops does; checked by the end-to-end tests on every
 * JDA upgrade).
 */
final class ThreadLookup {

  /** What Discord says about a channel id. */
  record Found(ThreadChannel thread, long parentId, boolean locked) {}

  private ThreadLookup() {}

  /**
   * The thread with this id, built from Discord's answer (archived threads included; posting into
   * one un-archives it). Throws JDA's {@code ErrorResponseException} as Discord answered (10003
   * unknown channel, 50001 missing access), or {@code IllegalStateException} if the id is a channel
   * that is not a thread of a cached guild.
   */
  static Found find(JDA jda, long id) {
    DataObject json =
        new RestActionImpl<DataObject>(
                jda,
                Route.Channels.GET_CHANNEL.compile(Long.toUnsignedString(id)),
                (response, request) -> response.getObject())
            .complete();
    int type = json.getInt("type", -1);
    if (type != 11 && type != 12 && type != 10) {
      throw new IllegalStateException(
          "Discord channel " + id + " is not a thread (type " + type + ")");
    }
    long guildId = json.getUnsignedLong("guild_id");
    long parentId = json.getUnsignedLong("parent_id");
    boolean locked =
        json.optObject("thread_metadata").map(m -> m.getBoolean("locked", false)).orElse(false);
    ThreadChannel thread = ((JDAImpl) jda).getEntityBuilder().createThreadChannel(json, guildId);
    return new Found(thread, parentId, locked);
  }
}
