package io.obops.chat.discord.emulator;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A loopback Discord API (REST and gateway) that the real, unpatched JDA 6 client talks to: login,
 * READY and GUILD_CREATE, command registration, slash commands, autocomplete and button
 * interactions, interaction callbacks and webhooks, channel messages (JSON and multipart), edits,
 * threads, Discord-shaped rate limits and 429s, the 3-second acknowledgement deadline and the
 * interaction token's lifetime. See {@code /work/shared/reference/discord-emulator.md} for the
 * payload rules it follows.
 *
 * <p>The control API (plain methods) dispatches interactions as given members, reads what the bot
 * posted (per channel and thread, with every revision and file), forces 429s, drops the gateway
 * connection and moves the emulator's clock. Every {@code await...} polls under a lock with a
 * deadline (no sleeps). Thread-safe.
 */
public final class DiscordEmulator implements AutoCloseable {

  /** A guild member the emulator knows. */
  public record Member(long id, String name, List<Long> roleIds) {}

  /** A request the bot made: method, path below {@code /api/v10/}, status. */
  public record Request(String method, String path, int status) {}

  /**
   * A thread the bot created, as it stands: archived (auto-archived after {@code autoArchive} of no
   * activity, or by {@link #archiveThread}), locked (by a moderator, {@link #lockThread}).
   */
  public record Thread(
      long id,
      long parentId,
      String name,
      Instant createdAt,
      Duration autoArchive,
      Instant lastActivity,
      boolean archived,
      boolean locked) {
    Thread with(Instant activity, boolean archived, boolean locked) {
      return new Thread(id, parentId, name, createdAt, autoArchive, activity, archived, locked);
    }
  }

  final Object lock = new Object();
  private final String token;
  private final long applicationId = 1100000000000000001L;
  private final long guildId = 1200000000000000001L;
  private final String botName = "obops-bot";
  private final Map<String, Long> channelsByName = new LinkedHashMap<>();
  private final Map<Long, String> channelNames = new LinkedHashMap<>();
  private final Map<Long, String> roles = new LinkedHashMap<>();
  private final java.util.Set<Long> mentionableRoles = new java.util.HashSet<>();
  private final long botRoleId = EmuJson.snowflake();
  private final long ownerId = 1399999999999999999L;
  private long everyonePermissions = 0;
  private long botPermissions = EmuPermissions.OBOPS;
  private final Map<Long, List<EmuPermissions.Overwrite>> overwrites = new HashMap<>();
  private volatile long uploadLimit = 10L * 1024 * 1024;
  private final Map<Long, Member> members = new LinkedHashMap<>();
  private final Map<Long, EmuMessage> messages = new LinkedHashMap<>();
  private final Map<Long, Thread> threads = new LinkedHashMap<>();
  private final Map<Long, EmuInteraction> interactionsById = new HashMap<>();
  private final Map<String, EmuInteraction> interactionsByToken = new HashMap<>();
  private final Map<String, ArrayNode> commands = new HashMap<>();
  private final List<Request> requests = new ArrayList<>();
  private final AtomicInteger attachmentIds = new AtomicInteger();
  private final EmuRateLimits rateLimits = new EmuRateLimits();
  private volatile Clock clock = Clock.systemUTC();
  private volatile Duration ackDeadline = Duration.ofSeconds(3);
  private volatile Duration tokenTtl = Duration.ofMinutes(15);
  private volatile Duration editAgeLimit = Duration.ofHours(1);
  private int staleEdits;
  private HttpServer http;
  private ExecutorService httpPool;
  private EmuGateway gateway;

  private DiscordEmulator(String token) {
    this.token = token;
  }

  /** An emulator whose bot logs in with {@code token}; it has one text channel, {@code ops}. */
  public static DiscordEmulator create(String token) {
    DiscordEmulator emu = new DiscordEmulator(token);
    emu.addChannel("ops");
    return emu;
  }

  // ------------------------------------------------------------------ set-up

  /** Adds a text channel (before the bot connects) and returns its id. */
  public long addChannel(String name) {
    synchronized (lock) {
      long id = EmuJson.snowflake();
      channelsByName.put(name, id);
      channelNames.put(id, name);
      return id;
    }
  }

  /** Adds a text channel while the bot is connected (CHANNEL_CREATE) and returns its id. */
  public long addChannelLive(String name) {
    long id = addChannel(name);
    gateway.dispatch("CHANNEL_CREATE", channelJson(id));
    return id;
  }

  /** Adds a role (before the bot connects) and returns its id. */
  public long addRole(String name) {
    return addRole(EmuJson.snowflake(), name);
  }

  /** Adds a role with a chosen id (before the bot connects). */
  public long addRole(long id, String name) {
    synchronized (lock) {
      roles.put(id, name);
      return id;
    }
  }

  /** Adds a guild member with the given roles and returns the user id. */
  public long addMember(String name, long... roleIds) {
    return addMember(EmuJson.snowflake(), name, roleIds);
  }

  /** Adds a guild member with a chosen id and the given roles. */
  public long addMember(long id, String name, long... roleIds) {
    synchronized (lock) {
      List<Long> r = new ArrayList<>();
      for (long roleId : roleIds) {
        r.add(roleId);
      }
      members.put(id, new Member(id, name, List.copyOf(r)));
      return id;
    }
  }

  /** Replaces a member's roles (takes effect on their next interaction). */
  public void setRoles(long userId, long... roleIds) {
    synchronized (lock) {
      Member m = members.get(userId);
      List<Long> r = new ArrayList<>();
      for (long roleId : roleIds) {
        r.add(roleId);
      }
      members.put(userId, new Member(userId, m.name(), List.copyOf(r)));
    }
  }

  // ------------------------------------------------------------------ Discord's rules

  /**
   * The permissions of the bot's own (managed) role, its only source of permissions: the guild's
   * {@code @everyone} grants nothing and the bot is neither owner nor administrator unless given
   * {@link EmuPermissions#ADMINISTRATOR}. Default {@link EmuPermissions#OBOPS}. A connected bot
   * gets GUILD_ROLE_UPDATE.
   */
  public void botPermissions(long permissions) {
    ObjectNode role;
    synchronized (lock) {
      botPermissions = permissions;
      role = roleJson(botRoleId, "obops-bot", roles.size() + 1, Long.toString(permissions), false);
      role.put("managed", true);
    }
    roleUpdate(role);
  }

  /** The channel overwrite for the bot's role in a channel (CHANNEL_UPDATE to a connected bot). */
  public void botOverwrite(long channelId, long allow, long deny) {
    synchronized (lock) {
      List<EmuPermissions.Overwrite> list =
          overwrites.computeIfAbsent(channelId, k -> new ArrayList<>());
      list.removeIf(o -> o.targetId() == botRoleId);
      list.add(new EmuPermissions.Overwrite(botRoleId, false, allow, deny));
    }
    if (gateway != null) {
      gateway.dispatch("CHANNEL_UPDATE", channelJson(channelId));
    }
  }

  /** Whether members may ping a role (Discord creates roles not mentionable). */
  public void mentionable(long roleId, boolean mentionable) {
    ObjectNode role;
    synchronized (lock) {
      if (mentionable) {
        mentionableRoles.add(roleId);
      } else {
        mentionableRoles.remove(roleId);
      }
      int position = new ArrayList<>(roles.keySet()).indexOf(roleId) + 1;
      role = roleJson(roleId, roles.get(roleId), position, "0", mentionable);
    }
    roleUpdate(role);
  }

  private void roleUpdate(ObjectNode role) {
    if (gateway != null) {
      ObjectNode d = EmuJson.object();
      d.put("guild_id", Long.toString(guildId));
      d.set("role", role);
      gateway.dispatch("GUILD_ROLE_UPDATE", d);
    }
  }

  /** Largest upload (all files of one message) accepted; larger: 413, code 40005. */
  public void uploadLimit(long bytes) {
    this.uploadLimit = bytes;
  }

  long uploadLimit() {
    return uploadLimit;
  }

  /** The bot's permissions in a channel or thread (a thread's are its parent's). */
  public long botPermissionsIn(long channelId) {
    synchronized (lock) {
      Thread t = threads.get(channelId);
      long channel = t == null ? channelId : t.parentId();
      return EmuPermissions.compute(
          guildId,
          everyonePermissions,
          Map.of(botRoleId, botPermissions),
          applicationId,
          overwrites.getOrDefault(channel, List.of()));
    }
  }

  boolean botMay(long channelId, long permission) {
    return (botPermissionsIn(channelId) & permission) == permission;
  }

  boolean roleMentionable(long roleId) {
    synchronized (lock) {
      return mentionableRoles.contains(roleId);
    }
  }

  /** Archives a thread as Discord does after its auto-archive duration (THREAD_UPDATE). */
  public void archiveThread(long id) {
    updateThread(id, true, false);
  }

  /** Locks (and archives) a thread, as a moderator does: only MANAGE_THREADS may post then. */
  public void lockThread(long id) {
    updateThread(id, true, true);
  }

  /**
   * Archives every unarchived thread idle for longer than its auto-archive duration on the
   * emulator's clock; returns how many.
   */
  public int archiveIdleThreads() {
    List<Long> idle = new ArrayList<>();
    synchronized (lock) {
      for (Thread t : threads.values()) {
        if (!t.archived() && t.lastActivity().plus(t.autoArchive()).isBefore(now())) {
          idle.add(t.id());
        }
      }
    }
    idle.forEach(this::archiveThread);
    return idle.size();
  }

  /** Deletes a thread and its messages (THREAD_DELETE). */
  public void deleteThread(long id) {
    ObjectNode d = EmuJson.object();
    synchronized (lock) {
      Thread t = threads.remove(id);
      messages.values().removeIf(m -> m.channelId() == id);
      d.put("id", Long.toString(id));
      d.put("guild_id", Long.toString(guildId));
      d.put("parent_id", Long.toString(t.parentId()));
      d.put("type", 11);
      lock.notifyAll();
    }
    gateway.dispatch("THREAD_DELETE", d);
  }

  private void updateThread(long id, boolean archived, boolean locked) {
    ObjectNode json;
    synchronized (lock) {
      Thread t = threads.get(id);
      threads.put(id, t.with(t.lastActivity(), archived, locked));
      json = threadJson(id);
      lock.notifyAll();
    }
    gateway.dispatch("THREAD_UPDATE", json);
  }

  /** A post in a thread: counts as activity and un-archives an unlocked thread. */
  void threadActivity(long id) {
    boolean unarchived;
    ObjectNode json;
    synchronized (lock) {
      Thread t = threads.get(id);
      if (t == null) {
        return;
      }
      unarchived = t.archived();
      threads.put(id, t.with(now(), false, t.locked()));
      json = threadJson(id);
    }
    if (unarchived) {
      gateway.dispatch("THREAD_UPDATE", json);
    }
  }

  public DiscordEmulator start() {
    return start(0, 0);
  }

  /**
   * Starts REST and the gateway on chosen loopback ports (0: any), e.g. where a bot has been
   * failing to connect, to show it connects once "Discord" is back.
   */
  public DiscordEmulator start(int restPort, int gatewayPort) {
    try {
      http = HttpServer.create(new InetSocketAddress("127.0.0.1", restPort), 64);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    httpPool = Executors.newFixedThreadPool(16, r -> daemon(r, "discord-emulator-http"));
    http.setExecutor(httpPool);
    http.createContext("/", new EmuRest(this));
    http.start();
    gateway = new EmuGateway(this, gatewayPort);
    gateway.startAndWait();
    return this;
  }

  private static java.lang.Thread daemon(Runnable r, String name) {
    java.lang.Thread t = new java.lang.Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  @Override
  public void close() {
    if (http != null) {
      http.stop(0);
      httpPool.shutdownNow();
    }
    if (gateway != null) {
      try {
        gateway.stop(1000);
      } catch (InterruptedException e) {
        java.lang.Thread.currentThread().interrupt();
      }
    }
  }

  // ------------------------------------------------------------------ where JDA connects

  /** For {@code RestConfig#setBaseUrl}. */
  public String restBaseUrl() {
    return restRoot() + "api/v10/";
  }

  /** For {@code SessionController#getGateway}. */
  public String gatewayUrl() {
    return "ws://127.0.0.1:" + gateway.getPort() + "/gateway";
  }

  String restRoot() {
    return "http://127.0.0.1:" + http.getAddress().getPort() + "/";
  }

  public long guildId() {
    return guildId;
  }

  public long applicationId() {
    return applicationId;
  }

  public long botUserId() {
    return applicationId;
  }

  String botName() {
    return botName;
  }

  public long channel(String name) {
    synchronized (lock) {
      Long id = channelsByName.get(name);
      if (id == null) {
        throw new IllegalArgumentException("no channel " + name);
      }
      return id;
    }
  }

  boolean tokenMatches(String candidate) {
    return token.equals(candidate);
  }

  // ------------------------------------------------------------------ time

  /** The clock behind token lifetimes and message ages (default: the system clock). */
  public void clock(Clock clock) {
    this.clock = clock;
  }

  Instant now() {
    return clock.instant();
  }

  /** How long the bot has to acknowledge an interaction (default 3 s, real time). */
  public void ackDeadline(Duration deadline) {
    this.ackDeadline = deadline;
  }

  Duration ackDeadline() {
    return ackDeadline;
  }

  /** How long an interaction token works for webhooks (default 15 min, on the emulator clock). */
  public void tokenTtl(Duration ttl) {
    this.tokenTtl = ttl;
  }

  Duration tokenTtl() {
    return tokenTtl;
  }

  /** Edits to messages older than this are refused (code 30046); default 1 h. */
  public void editAgeLimit(Duration limit) {
    this.editAgeLimit = limit;
  }

  Duration editAgeLimit() {
    return editAgeLimit;
  }

  // ------------------------------------------------------------------ rate limits

  /** Every route bucket allows {@code limit} requests per {@code window} (default 50 per 1 s). */
  public void rateLimit(int limit, Duration window) {
    rateLimits.configure(limit, window.toMillis());
  }

  /**
   * Routes matching {@code pathRegex} (below {@code /api/v10/}, e.g. {@code
   * ^channels/\\d+/messages$}) allow {@code limit} requests per {@code window} per channel (the
   * default for channel messages is Discord's 5 per 5 s).
   */
  public void routeLimit(String method, String pathRegex, int limit, Duration window) {
    rateLimits.route(method, pathRegex, limit, window.toMillis());
  }

  /** All routes but interactions together allow {@code limit} per {@code window} (50 per 1 s). */
  public void globalLimit(int limit, Duration window) {
    rateLimits.global(limit, window.toMillis());
  }

  /** 429s answered because of the global limit. */
  public int globalRateLimited() {
    return rateLimits.globalRateLimited();
  }

  /**
   * The next {@code count} requests whose method is {@code method} and whose path below {@code
   * /api/v10/} matches {@code pathRegex} get a 429 with {@code Retry-After: retryAfterSeconds}.
   */
  public void forceRateLimit(String method, String pathRegex, int count, int retryAfterSeconds) {
    rateLimits.force(method, pathRegex, count, retryAfterSeconds);
  }

  /** A refusal the next matching requests get (a test hook, like {@link #forceRateLimit}). */
  record Fault(
      String method, java.util.regex.Pattern path, int[] remaining, int status, int code) {}

  private final List<Fault> faults = new ArrayList<>();

  /**
   * The next {@code count} requests with {@code method} whose path below {@code /api/v10/} matches
   * {@code pathRegex} are answered {@code status} with Discord's error {@code code} (e.g. 403,
   * 50013), as when Discord knows better than the bot's cache.
   */
  public void failNext(String method, String pathRegex, int count, int status, int code) {
    synchronized (lock) {
      faults.add(
          new Fault(
              method, java.util.regex.Pattern.compile(pathRegex), new int[] {count}, status, code));
    }
  }

  /** The fault for this request, if one is armed (and counts it). */
  Optional<Fault> fault(String method, String path) {
    synchronized (lock) {
      for (java.util.Iterator<Fault> it = faults.iterator(); it.hasNext(); ) {
        Fault f = it.next();
        if (f.method().equals(method) && f.path().matcher(path).find()) {
          if (f.remaining()[0] <= 0) {
            it.remove();
            continue;
          }
          if (--f.remaining()[0] == 0) {
            it.remove();
          }
          return Optional.of(f);
        }
      }
      return Optional.empty();
    }
  }

  /** 429s answered so far (forced and earned). */
  public int rateLimited() {
    return rateLimits.rateLimited();
  }

  /** 429s the bot earned by exceeding a bucket (not forced). */
  public int earnedRateLimits() {
    return rateLimits.rateLimited() - rateLimits.forcedRateLimited();
  }

  EmuRateLimits rateLimits() {
    return rateLimits;
  }

  // ------------------------------------------------------------------ gateway control

  public int identifies() {
    return gateway.identifies();
  }

  public int resumes() {
    return gateway.resumes();
  }

  /** Closes the bot's gateway connection with a resumable code. */
  public void dropGatewayConnection() {
    gateway.dropConnection();
  }

  /** Sends op 7 RECONNECT. */
  public void requestReconnect() {
    gateway.requestReconnect();
  }

  // ------------------------------------------------------------------ interactions

  /**
   * Dispatches {@code /command subcommand option:value ...} as the member in the channel. Option
   * values are sent with the type of the registered option (integer, string...).
   */
  public EmuInteraction slash(
      long userId, long channelId, String command, String subcommand, Map<String, ?> options) {
    return command(userId, channelId, command, subcommand, options, null);
  }

  /** Dispatches an autocomplete request for {@code focused} with the text typed so far. */
  public EmuInteraction autocomplete(
      long userId,
      long channelId,
      String command,
      String subcommand,
      String focused,
      String typed) {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put(focused, typed);
    return command(userId, channelId, command, subcommand, options, focused);
  }

  private EmuInteraction command(
      long userId,
      long channelId,
      String command,
      String subcommand,
      Map<String, ?> options,
      String focused) {
    ObjectNode data = EmuJson.object();
    JsonNode registered = registeredCommand(command);
    data.put("id", registered.path("id").asString("0"));
    data.put("name", command);
    data.put("type", 1);
    ArrayNode top = data.putArray("options");
    ArrayNode target = top;
    JsonNode optionDefs = registered.path("options");
    if (subcommand != null) {
      ObjectNode sub = top.addObject();
      sub.put("type", 1);
      sub.put("name", subcommand);
      target = sub.putArray("options");
      for (JsonNode o : registered.path("options")) {
        if (o.path("name").asString().equals(subcommand)) {
          optionDefs = o.path("options");
        }
      }
    }
    for (Map.Entry<String, ?> e : options.entrySet()) {
      int type = 3;
      for (JsonNode def : optionDefs) {
        if (def.path("name").asString().equals(e.getKey())) {
          type = def.path("type").asInt(3);
        }
      }
      ObjectNode o = target.addObject();
      o.put("type", type);
      o.put("name", e.getKey());
      String value = String.valueOf(e.getValue());
      if (e.getKey().equals(focused)) {
        o.put("value", value);
        o.put("focused", true);
      } else if (type == 4) {
        o.put("value", Long.parseLong(value));
      } else if (type == 10) {
        o.put("value", Double.parseDouble(value));
      } else if (type == 5) {
        o.put("value", Boolean.parseBoolean(value));
      } else {
        o.put("value", value);
      }
    }
    return dispatchInteraction(focused == null ? 2 : 4, userId, channelId, data, null);
  }

  /** Clicks the button {@code customId} on the message, as the member. */
  public EmuInteraction click(long userId, long messageId, String customId) {
    EmuMessage m = messageById(messageId);
    if (m == null) {
      throw new IllegalArgumentException("no message " + messageId);
    }
    ObjectNode data = EmuJson.object();
    data.put("custom_id", customId);
    data.put("component_type", 2);
    return dispatchInteraction(3, userId, m.channelId(), data, m);
  }

  private EmuInteraction dispatchInteraction(
      int type, long userId, long channelId, ObjectNode data, EmuMessage source) {
    EmuInteraction interaction;
    ObjectNode d;
    synchronized (lock) {
      Member member = members.get(userId);
      if (member == null) {
        throw new IllegalArgumentException("no member " + userId);
      }
      long id = EmuJson.snowflake();
      String itoken = "emu-itoken-" + id;
      interaction =
          new EmuInteraction(
              this,
              id,
              itoken,
              type,
              channelId,
              userId,
              source == null ? null : source.id(),
              now());
      interactionsById.put(id, interaction);
      interactionsByToken.put(itoken, interaction);
      d = EmuJson.object();
      d.put("id", Long.toString(id));
      d.put("application_id", Long.toString(applicationId));
      d.put("type", type);
      d.put("version", 1);
      d.put("token", itoken);
      d.put("locale", "en-US");
      d.put("guild_locale", "en-US");
      d.put("context", 0);
      d.put("guild_id", Long.toString(guildId));
      ObjectNode guild = d.putObject("guild");
      guild.put("id", Long.toString(guildId));
      guild.put("locale", "en-US");
      guild.putArray("features");
      d.put("channel_id", Long.toString(channelId));
      d.set("channel", channelJson(channelId));
      d.set("member", memberJson(member, true));
      d.put("app_permissions", Long.toString(botPermissionsIn(channelId)));
      d.putArray("entitlements");
      d.putObject("authorizing_integration_owners").put("0", Long.toString(guildId));
      d.put("attachment_size_limit", 10485760);
      d.set("data", data);
      if (source != null) {
        d.set("message", source.toJson(this));
      }
    }
    if (!gateway.dispatch("INTERACTION_CREATE", d)) {
      throw new IllegalStateException("no bot is connected to the gateway");
    }
    return interaction;
  }

  EmuInteraction interaction(long id) {
    return interactionsById.get(id);
  }

  EmuInteraction interactionByToken(String t) {
    return interactionsByToken.get(t);
  }

  /** The command definitions the bot registered, globally ({@code null}) or for a guild. */
  public JsonNode registeredCommands(Long guild) {
    synchronized (lock) {
      ArrayNode c = commands.get(guild == null ? "global" : guild.toString());
      return c == null ? EmuJson.array() : c.deepCopy();
    }
  }

  private JsonNode registeredCommand(String name) {
    synchronized (lock) {
      for (ArrayNode list : commands.values()) {
        for (JsonNode c : list) {
          if (c.path("name").asString().equals(name)) {
            return c;
          }
        }
      }
    }
    return EmuJson.object();
  }

  ArrayNode registerCommands(String scope, JsonNode body) {
    synchronized (lock) {
      ArrayNode out = EmuJson.array();
      for (JsonNode c : body) {
        ObjectNode copy = (ObjectNode) c.deepCopy();
        copy.put("id", Long.toString(EmuJson.snowflake()));
        copy.put("application_id", Long.toString(applicationId));
        copy.put("version", Long.toString(EmuJson.snowflake()));
        copy.put("type", c.path("type").asInt(1));
        if (!scope.equals("global")) {
          copy.put("guild_id", scope);
        }
        out.add(copy);
      }
      commands.put(scope, out);
      lock.notifyAll();
      return out;
    }
  }

  // ------------------------------------------------------------------ reading what the bot did

  public EmuMessage messageById(long id) {
    synchronized (lock) {
      return messages.get(id);
    }
  }

  /** Messages in a channel or thread, oldest first (ephemeral ones included). */
  public List<EmuMessage> messages(long channelId) {
    synchronized (lock) {
      return messages.values().stream().filter(m -> m.channelId() == channelId).toList();
    }
  }

  public List<Thread> threads() {
    synchronized (lock) {
      return List.copyOf(threads.values());
    }
  }

  public Optional<Thread> thread(long id) {
    synchronized (lock) {
      return Optional.ofNullable(threads.get(id));
    }
  }

  public List<Request> requests() {
    synchronized (lock) {
      return List.copyOf(requests);
    }
  }

  /** Webhook calls refused because their interaction token had expired (401, code 50027). */
  public int expiredTokenUses() {
    synchronized (lock) {
      return (int)
          interactionsById.values().stream()
              .flatMap(i -> i.refusals().stream())
              .filter(r -> r.contains("expired token"))
              .count();
    }
  }

  /** Edits refused because the message was older than the edit age limit. */
  public int staleEdits() {
    synchronized (lock) {
      return staleEdits;
    }
  }

  /** Waits for a message in the channel that matches. */
  public EmuMessage awaitMessage(long channelId, Predicate<EmuMessage> match, Duration timeout) {
    return await(
        () ->
            messages.values().stream()
                .filter(m -> m.channelId() == channelId && match.test(m))
                .findFirst()
                .orElse(null),
        timeout,
        "a matching message in channel " + channelId);
  }

  /** Waits until {@code condition} holds (evaluated under the lock after every change). */
  public void awaitTrue(Supplier<Boolean> condition, Duration timeout, String what) {
    await(() -> condition.get() ? Boolean.TRUE : null, timeout, what);
  }

  /**
   * Waits until {@code probe} returns non-null, re-evaluating after every change the bot makes;
   * fails with {@code what} at the deadline.
   */
  public <T> T await(Supplier<T> probe, Duration timeout, String what) {
    long deadline = System.nanoTime() + timeout.toNanos();
    synchronized (lock) {
      while (true) {
        T value = probe.get();
        if (value != null) {
          return value;
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new AssertionError("timed out after " + timeout + " waiting for " + what);
        }
        try {
          lock.wait(Math.max(1, Math.min(left / 1_000_000, 100)));
        } catch (InterruptedException e) {
          java.lang.Thread.currentThread().interrupt();
          throw new AssertionError("interrupted waiting for " + what, e);
        }
      }
    }
  }

  // ------------------------------------------------------------------ state changes (EmuRest)

  void record(Request r) {
    synchronized (lock) {
      requests.add(r);
      lock.notifyAll();
    }
  }

  boolean knownChannel(long id) {
    synchronized (lock) {
      return channelNames.containsKey(id) || threads.containsKey(id);
    }
  }

  EmuMessage createMessage(
      long channelId,
      int type,
      boolean fromInteraction,
      JsonNode body,
      List<EmuMessage.Attachment> files) {
    synchronized (lock) {
      EmuMessage m = new EmuMessage(EmuJson.snowflake(), channelId, type, fromInteraction, now());
      m.apply(body, files, m.createdAt(), true);
      m.pings(pings(channelId, m.content(), body.path("allowed_mentions")));
      messages.put(m.id(), m);
      lock.notifyAll();
      return m;
    }
  }

  EmuMessage createLoading(long channelId, boolean ephemeral) {
    synchronized (lock) {
      EmuMessage m = new EmuMessage(EmuJson.snowflake(), channelId, 20, true, now());
      m.markLoading(ephemeral);
      messages.put(m.id(), m);
      lock.notifyAll();
      return m;
    }
  }

  void editMessage(EmuMessage m, JsonNode body, List<EmuMessage.Attachment> files) {
    synchronized (lock) {
      m.apply(body, files, now(), false);
      lock.notifyAll();
    }
  }

  void deleteMessage(long id) {
    synchronized (lock) {
      messages.remove(id);
      lock.notifyAll();
    }
  }

  void staleEdit() {
    synchronized (lock) {
      staleEdits++;
    }
  }

  Thread createThread(long parentId, Long messageId, String name, int autoArchiveMinutes) {
    synchronized (lock) {
      long id = messageId != null ? messageId : EmuJson.snowflake();
      Thread t =
          new Thread(
              id,
              parentId,
              name,
              now(),
              Duration.ofMinutes(autoArchiveMinutes),
              now(),
              false,
              false);
      threads.put(id, t);
      if (messageId != null) {
        messages.get(messageId).thread(id);
      }
      lock.notifyAll();
      return t;
    }
  }

  private static final java.util.regex.Pattern USER_MENTION =
      java.util.regex.Pattern.compile("<@!?(\\d+)>");
  private static final java.util.regex.Pattern ROLE_MENTION =
      java.util.regex.Pattern.compile("<@&(\\d+)>");

  /**
   * Who a new message notifies, as Discord decides it: mentions in the content (never in embeds),
   * filtered by {@code allowed_mentions} (absent: everything parsed), a role only if it is
   * mentionable or the bot may Mention Everyone, {@code @everyone}/{@code @here} only with Mention
   * Everyone.
   */
  private EmuMessage.Pings pings(long channelId, String content, JsonNode allowed) {
    java.util.Set<String> parse = new java.util.HashSet<>();
    java.util.Set<Long> users = new java.util.HashSet<>();
    java.util.Set<Long> allowedRoles = new java.util.HashSet<>();
    if (allowed.isMissingNode() || allowed.isNull()) {
      parse.addAll(List.of("users", "roles", "everyone"));
    } else {
      allowed.path("parse").forEach(p -> parse.add(p.asString()));
      allowed.path("users").forEach(u -> users.add(Long.parseLong(u.asString())));
      allowed.path("roles").forEach(r -> allowedRoles.add(Long.parseLong(r.asString())));
    }
    boolean mentionEveryone = botMay(channelId, EmuPermissions.MENTION_EVERYONE);
    List<Long> pingedUsers = new ArrayList<>();
    java.util.regex.Matcher u = USER_MENTION.matcher(content);
    while (u.find()) {
      long id = Long.parseLong(u.group(1));
      if (parse.contains("users") || users.contains(id)) {
        pingedUsers.add(id);
      }
    }
    List<Long> pingedRoles = new ArrayList<>();
    java.util.regex.Matcher r = ROLE_MENTION.matcher(content);
    while (r.find()) {
      long id = Long.parseLong(r.group(1));
      if ((parse.contains("roles") || allowedRoles.contains(id))
          && (mentionableRoles.contains(id) || mentionEveryone)) {
        pingedRoles.add(id);
      }
    }
    boolean everyone =
        parse.contains("everyone")
            && mentionEveryone
            && (content.contains("@everyone") || content.contains("@here"));
    return new EmuMessage.Pings(List.copyOf(pingedUsers), List.copyOf(pingedRoles), everyone);
  }

  void acknowledged(EmuInteraction i, int callbackType) {
    synchronized (lock) {
      i.acknowledge(callbackType, now());
      lock.notifyAll();
    }
  }

  void changed() {
    synchronized (lock) {
      lock.notifyAll();
    }
  }

  EmuMessage.Attachment attachment(String filename, String contentType, byte[] data) {
    return new EmuMessage.Attachment(
        1_000_000L + attachmentIds.incrementAndGet(), filename, contentType, data);
  }

  Optional<EmuMessage.Attachment> attachmentById(long id) {
    synchronized (lock) {
      return messages.values().stream()
          .flatMap(m -> m.attachments().stream())
          .filter(a -> a.id() == id)
          .findFirst();
    }
  }

  // ------------------------------------------------------------------ payloads

  ObjectNode userJson() {
    ObjectNode u = EmuJson.object();
    u.put("id", Long.toString(applicationId));
    u.put("username", botName);
    u.put("discriminator", "0");
    u.putNull("global_name");
    u.putNull("avatar");
    u.put("bot", true);
    u.put("verified", true);
    u.put("mfa_enabled", false);
    u.put("flags", 0);
    return u;
  }

  ObjectNode readyPayload(String sessionId, String resumeUrl) {
    ObjectNode d = EmuJson.object();
    d.put("v", 10);
    d.set("user", userJson());
    ObjectNode g = d.putArray("guilds").addObject();
    g.put("id", Long.toString(guildId));
    g.put("unavailable", true);
    d.putArray("private_channels");
    d.put("session_id", sessionId);
    d.put("resume_gateway_url", resumeUrl);
    ObjectNode app = d.putObject("application");
    app.put("id", Long.toString(applicationId));
    app.put("flags", 0);
    return d;
  }

  ObjectNode guildCreatePayload() {
    synchronized (lock) {
      ObjectNode d = EmuJson.object();
      d.put("id", Long.toString(guildId));
      d.put("name", "Emulated Guild");
      d.put("unavailable", false);
      d.put("owner_id", Long.toString(ownerId));
      d.put("preferred_locale", "en-US");
      d.put("afk_timeout", 300);
      d.put("verification_level", 0);
      d.put("default_message_notifications", 0);
      d.put("explicit_content_filter", 0);
      d.put("mfa_level", 0);
      d.put("nsfw_level", 0);
      d.put("premium_tier", 0);
      d.putArray("features");
      d.put("member_count", members.size() + 1);
      ArrayNode r = d.putArray("roles");
      r.add(roleJson(guildId, "@everyone", 0, Long.toString(everyonePermissions), false));
      int position = 1;
      for (Map.Entry<Long, String> e : roles.entrySet()) {
        r.add(
            roleJson(
                e.getKey(), e.getValue(), position++, "0", mentionableRoles.contains(e.getKey())));
      }
      ObjectNode botRole =
          roleJson(botRoleId, "obops-bot", position, Long.toString(botPermissions), false);
      botRole.put("managed", true);
      r.add(botRole);
      ArrayNode ch = d.putArray("channels");
      position = 0;
      for (Map.Entry<Long, String> e : channelNames.entrySet()) {
        ObjectNode c = ch.addObject();
        c.put("id", Long.toString(e.getKey()));
        c.put("type", 0);
        c.put("name", e.getValue());
        c.put("position", position++);
        c.putNull("parent_id");
        c.putNull("topic");
        c.put("nsfw", false);
        c.put("rate_limit_per_user", 0);
        c.putNull("last_message_id");
        c.set("permission_overwrites", overwritesJson(e.getKey()));
      }
      // Like Discord: only active threads; archived ones are fetched on demand.
      ArrayNode th = d.putArray("threads");
      for (Thread t : threads.values()) {
        if (!t.archived()) {
          th.add(threadJson(t.id()));
        }
      }
      d.putArray("guild_scheduled_events");
      d.putArray("emojis");
      d.putArray("stickers");
      d.putArray("voice_states");
      d.putArray("presences");
      d.putArray("stage_instances");
      ArrayNode m = d.putArray("members");
      ObjectNode self = m.addObject();
      ObjectNode u = self.putObject("user");
      u.put("id", Long.toString(applicationId));
      u.put("username", botName);
      u.put("discriminator", "0");
      u.put("bot", true);
      u.putNull("avatar");
      self.putArray("roles").add(Long.toString(botRoleId));
      self.put("joined_at", "2024-01-01T00:00:00.000000+00:00");
      self.putNull("nick");
      self.put("deaf", false);
      self.put("mute", false);
      self.put("flags", 0);
      for (Member member : members.values()) {
        m.add(memberJson(member, false));
      }
      return d;
    }
  }

  private static ObjectNode roleJson(
      long id, String name, int position, String permissions, boolean mentionable) {
    ObjectNode role = EmuJson.object();
    role.put("id", Long.toString(id));
    role.put("name", name);
    role.put("position", position);
    role.put("permissions", permissions);
    role.put("color", 0);
    ObjectNode colors = role.putObject("colors");
    colors.put("primary_color", 0);
    colors.putNull("secondary_color");
    colors.putNull("tertiary_color");
    role.put("hoist", false);
    role.put("managed", false);
    role.put("mentionable", mentionable);
    role.put("flags", 0);
    return role;
  }

  private ObjectNode memberJson(Member member, boolean withPermissions) {
    ObjectNode m = EmuJson.object();
    ObjectNode u = m.putObject("user");
    u.put("id", Long.toString(member.id()));
    u.put("username", member.name());
    u.put("discriminator", "0");
    u.putNull("avatar");
    u.put("public_flags", 0);
    ArrayNode r = m.putArray("roles");
    member.roleIds().forEach(id -> r.add(Long.toString(id)));
    if (withPermissions) {
      m.put("permissions", "2251799813685247");
    }
    m.put("joined_at", "2024-01-01T00:00:00.000000+00:00");
    m.putNull("nick");
    m.put("deaf", false);
    m.put("mute", false);
    m.put("flags", 0);
    m.put("pending", false);
    return m;
  }

  ObjectNode channelJson(long channelId) {
    synchronized (lock) {
      if (threads.containsKey(channelId)) {
        ObjectNode t = threadJson(channelId);
        t.put("permissions", Long.toString(botPermissionsIn(channelId)));
        return t;
      }
      ObjectNode c = EmuJson.object();
      c.put("id", Long.toString(channelId));
      c.put("type", 0);
      c.put("name", channelNames.getOrDefault(channelId, "unknown"));
      c.put("guild_id", Long.toString(guildId));
      c.put("permissions", Long.toString(botPermissionsIn(channelId)));
      c.put("nsfw", false);
      c.putNull("parent_id");
      c.put("position", 0);
      c.put("flags", 0);
      c.put("rate_limit_per_user", 0);
      c.putNull("topic");
      c.putNull("last_message_id");
      c.set("permission_overwrites", overwritesJson(channelId));
      return c;
    }
  }

  private ArrayNode overwritesJson(long channelId) {
    ArrayNode out = EmuJson.array();
    for (EmuPermissions.Overwrite o : overwrites.getOrDefault(channelId, List.of())) {
      ObjectNode j = out.addObject();
      j.put("id", Long.toString(o.targetId()));
      j.put("type", o.member() ? 1 : 0);
      j.put("allow", Long.toString(o.allow()));
      j.put("deny", Long.toString(o.deny()));
    }
    return out;
  }

  ObjectNode threadJson(long threadId) {
    synchronized (lock) {
      Thread t = threads.get(threadId);
      ObjectNode j = EmuJson.object();
      j.put("id", Long.toString(t.id()));
      j.put("type", 11);
      j.put("guild_id", Long.toString(guildId));
      j.put("parent_id", Long.toString(t.parentId()));
      j.put("name", t.name());
      j.put("owner_id", Long.toString(applicationId));
      j.put("flags", 0);
      j.put("member_count", 1);
      j.put("message_count", 0);
      j.put("total_message_count", 0);
      j.putNull("last_message_id");
      j.put("rate_limit_per_user", 0);
      ObjectNode meta = j.putObject("thread_metadata");
      meta.put("archived", t.archived());
      meta.put("locked", t.locked());
      meta.put("invitable", true);
      meta.put("auto_archive_duration", t.autoArchive().toMinutes());
      meta.put("archive_timestamp", EmuJson.timestamp(t.lastActivity()));
      meta.put("create_timestamp", EmuJson.timestamp(t.createdAt()));
      ObjectNode member = j.putObject("member");
      member.put("id", Long.toString(t.id()));
      member.put("user_id", Long.toString(applicationId));
      member.put("join_timestamp", EmuJson.timestamp(t.createdAt()));
      member.put("flags", 0);
      return j;
    }
  }
}
