package io.obops.chat.discord.emulator;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Discord's permission bits and how a member's permissions in a channel are computed
 * (developers/topics/permissions.mdx, "Permission Overwrites"): the {@code @everyone} role and the
 * member's roles give the base; ADMINISTRATOR gives everything; then the channel's {@code
 * @everyone} overwrite, the role overwrites together, and the member's own overwrite, each deny
 * before allow. Threads use their parent channel's permissions. Without VIEW_CHANNEL nothing else
 * counts.
 */
public final class EmuPermissions {

  public static final long ADMINISTRATOR = 1L << 3;
  public static final long VIEW_CHANNEL = 1L << 10;
  public static final long SEND_MESSAGES = 1L << 11;
  public static final long EMBED_LINKS = 1L << 14;
  public static final long ATTACH_FILES = 1L << 15;
  public static final long READ_MESSAGE_HISTORY = 1L << 16;
  public static final long MENTION_EVERYONE = 1L << 17;
  public static final long USE_APPLICATION_COMMANDS = 1L << 31;
  public static final long MANAGE_THREADS = 1L << 34;
  public static final long CREATE_PUBLIC_THREADS = 1L << 35;
  public static final long SEND_MESSAGES_IN_THREADS = 1L << 38;
  public static final long ALL = (1L << 51) - 1;

  /** What obops needs (the README's invite integer): the emulated bot's default. */
  public static final long OBOPS =
      VIEW_CHANNEL
          | SEND_MESSAGES
          | EMBED_LINKS
          | ATTACH_FILES
          | CREATE_PUBLIC_THREADS
          | SEND_MESSAGES_IN_THREADS;

  /** One channel overwrite: for a role or a member. */
  record Overwrite(long targetId, boolean member, long allow, long deny) {}

  private static final Map<Long, String> NAMES = new LinkedHashMap<>();

  static {
    NAMES.put(VIEW_CHANNEL, "View Channel");
    NAMES.put(SEND_MESSAGES, "Send Messages");
    NAMES.put(EMBED_LINKS, "Embed Links");
    NAMES.put(ATTACH_FILES, "Attach Files");
    NAMES.put(READ_MESSAGE_HISTORY, "Read Message History");
    NAMES.put(MENTION_EVERYONE, "Mention Everyone");
    NAMES.put(CREATE_PUBLIC_THREADS, "Create Public Threads");
    NAMES.put(SEND_MESSAGES_IN_THREADS, "Send Messages in Threads");
  }

  private EmuPermissions() {}

  /** Discord's name of one permission bit (for test names and messages). */
  public static String name(long bit) {
    return NAMES.getOrDefault(bit, "permission bit " + Long.numberOfTrailingZeros(bit));
  }

  static long compute(
      long guildId,
      long everyone,
      Map<Long, Long> memberRoles,
      long memberId,
      List<Overwrite> overwrites) {
    long base = everyone;
    for (long p : memberRoles.values()) {
      base |= p;
    }
    if ((base & ADMINISTRATOR) != 0) {
      return ALL;
    }
    long p = base;
    List<Overwrite> roles = new ArrayList<>();
    Overwrite mine = null;
    for (Overwrite o : overwrites) {
      if (!o.member() && o.targetId() == guildId) {
        p = (p & ~o.deny()) | o.allow();
      } else if (!o.member() && memberRoles.containsKey(o.targetId())) {
        roles.add(o);
      } else if (o.member() && o.targetId() == memberId) {
        mine = o;
      }
    }
    long allow = 0;
    long deny = 0;
    for (Overwrite o : roles) {
      allow |= o.allow();
      deny |= o.deny();
    }
    p = (p & ~deny) | allow;
    if (mine != null) {
      p = (p & ~mine.deny()) | mine.allow();
    }
    if ((p & VIEW_CHANNEL) == 0) {
      return 0;
    }
    return p;
  }
}
