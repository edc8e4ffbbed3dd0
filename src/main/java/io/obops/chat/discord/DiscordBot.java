package io.obops.chat.discord;

import io.obops.chat.ChatCore;
import io.obops.chat.ChatGateway;
import java.time.Clock;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.exceptions.InvalidTokenException;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Discord connection's lifecycle. Discord down is not obops down: {@link #start} returns at
 * once and a background thread logs in with JDA (no privileged intents: interactions need none),
 * trying again with backoff (5 s doubling to 5 min) while Discord cannot be reached; REST, the
 * console and the engine run meanwhile. Once logged in, JDA itself keeps the gateway reconnecting.
 * A token Discord rejects stops the attempts (state {@code INVALID_TOKEN}). Once READY it registers
 * {@code /obcluster} per configured guild or globally, and logs what permissions the bot lacks per
 * configured channel ({@link DiscordPermissions}). {@link #state} and {@link #permissionReport}
 * feed the health endpoint. On stop it lets JDA finish queued requests (up to {@code
 * shutdown-timeout}). One instance per application, and one application per bot token; with several
 * replicas, the replica holding the gateway lease starts it ({@link io.obops.chat.GatewayLease}),
 * so it does not start with the application, and on stop it disconnects the platform from the core.
 */
public final class DiscordBot implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DiscordBot.class);
  private static final Duration RETRY_FIRST = Duration.ofSeconds(5);
  private static final Duration RETRY_MAX = Duration.ofMinutes(5);

  /** Where the adapter stands. */
  public enum State {
    STOPPED,
    /** Logging in (first attempt, or again after Discord could not be reached). */
    CONNECTING,
    /** Logged in; the gateway is (re)connecting or READY, see JDA's status. */
    CONNECTED,
    /** Discord rejected the token; fix it and restart. */
    INVALID_TOKEN
  }

  private final DiscordProperties properties;
  private final ChatCore core;
  private final Function<String, String> env;
  private final Clock clock;
  private final String approverRole;
  private volatile JDA jda;
  private volatile ChatGateway gateway;
  private volatile DiscordPlatform platform;
  private volatile State state = State.STOPPED;
  private volatile String lastError;
  private volatile boolean running;
  private CountDownLatch built = new CountDownLatch(1);
  private ExecutorService workers;
  private Thread connector;

  public DiscordBot(
      DiscordProperties properties,
      ChatCore core,
      Function<String, String> env,
      Clock clock,
      String approverRole) {
    this.properties = properties;
    this.core = core;
    this.env = env;
    this.clock = clock;
    this.approverRole = approverRole;
  }

  @Override
  public synchronized void start() {
    if (running) {
      return;
    }
    DiscordToken token = DiscordToken.resolve(properties, env); // a missing token fails start-up
    AtomicInteger n = new AtomicInteger();
    workers =
        Executors.newFixedThreadPool(
            properties.workers(), r -> daemon(r, "discord-chat-" + n.incrementAndGet()));
    platform = new DiscordPlatform(() -> jda, properties, clock, approverRole);
    gateway = core.connect(platform);
    built = new CountDownLatch(1);
    running = true;
    state = State.CONNECTING;
    connector = daemon(() -> connect(token), "discord-connect");
    connector.start();
    log.info(
        "Discord adapter starting; /obcluster goes to {}",
        properties.guildIds().isEmpty() ? "every guild (global command)" : properties.guildIds());
  }

  private static Thread daemon(Runnable r, String name) {
    Thread t = new Thread(r, name);
    t.setDaemon(true);
    return t;
  }

  /** Logs in, trying again with backoff until it works, the token is refused, or stop(). */
  private void connect(DiscordToken token) {
    Duration wait = RETRY_FIRST;
    while (running) {
      try {
        JDA j = builder(token).build();
        synchronized (this) {
          if (!running) {
            j.shutdownNow();
            return;
          }
          jda = j;
          state = State.CONNECTED;
          lastError = null;
        }
        built.countDown();
        log.info("Discord adapter logged in; the gateway connects in the background");
        return;
      } catch (InvalidTokenException e) {
        state = State.INVALID_TOKEN;
        lastError = "Discord rejected the bot token";
        log.error(
            "Discord rejected the bot token (from {}); the adapter stays off until it is fixed and"
                + " obops restarts",
            properties.tokenFile() != null ? "obops.discord.token-file" : properties.tokenEnv());
        return;
      } catch (RuntimeException e) {
        lastError = e.getClass().getSimpleName() + ": " + e.getMessage();
        log.warn(
            "cannot reach Discord ({}); obops runs without chat and tries again in {} s",
            lastError,
            wait.toSeconds());
      }
      try {
        Thread.sleep(wait.toMillis());
      } catch (InterruptedException e) {
        return;
      }
      wait = wait.multipliedBy(2).compareTo(RETRY_MAX) > 0 ? RETRY_MAX : wait.multipliedBy(2);
    }
  }

  private JDABuilder builder(DiscordToken token) {
    DiscordListener listener = new DiscordListener(() -> gateway, platform, properties, workers);
    JDABuilder builder =
        JDABuilder.createLight(token.value(), EnumSet.noneOf(GatewayIntent.class))
            .addEventListeners(listener, new OnReady());
    if (properties.apiBaseUrl() != null) {
      builder.setRestConfig(new RestConfig().setBaseUrl(properties.apiBaseUrl().toString()));
    }
    if (properties.gatewayUrl() != null) {
      String url = properties.gatewayUrl().toString();
      builder
          .setSessionController(
              new SessionControllerAdapter() {
                @Override
                public String getGateway() {
                  return url;
                }
              })
          .setCompression(Compression.NONE);
    }
    return builder;
  }

  /** Registers {@code /obcluster} once the guilds are known, and says what permissions lack. */
  private final class OnReady extends ListenerAdapter {
    @Override
    public void onReady(ReadyEvent event) {
      JDA j = event.getJDA();
      DiscordPermissions.report(j, properties)
          .forEach(
              (channel, missing) -> {
                if (!missing.isEmpty()) {
                  log.warn(
                      "the Discord bot lacks {} in {}; stop requests there are refused until an"
                          + " administrator grants it",
                      missing,
                      channel);
                }
              });
      if (properties.guildIds().isEmpty()) {
        j.updateCommands()
            .addCommands(ObclusterCommand.definition())
            .queue(ok -> {}, e -> log.error("could not register /obcluster globally", e));
        return;
      }
      for (long id : properties.guildIds()) {
        Guild guild = j.getGuildById(id);
        if (guild == null) {
          log.error(
              "obops.discord.guild-ids lists {}, but the bot is not in that guild; invite it or"
                  + " remove the id",
              id);
          continue;
        }
        guild
            .updateCommands()
            .addCommands(ObclusterCommand.definition())
            .queue(ok -> {}, e -> log.error("could not register /obcluster in guild {}", id, e));
      }
    }
  }

  /**
   * Blocks until logged in and the gateway is READY (tests, the benchmark); gives up after two
   * minutes without a login.
   */
  public void awaitReady() throws InterruptedException {
    if (!built.await(2, TimeUnit.MINUTES)) {
      throw new IllegalStateException(
          "the Discord adapter did not log in within 2 minutes (state "
              + state
              + (lastError == null ? "" : ", last error: " + lastError)
              + ")");
    }
    jda.awaitReady();
  }

  public State state() {
    return state;
  }

  /** JDA's own status once logged in (e.g. CONNECTED, WAITING_TO_RECONNECT), else empty. */
  public String gatewayStatus() {
    JDA j = jda;
    return j == null ? "" : j.getStatus().name();
  }

  /** Why the last login attempt failed, if it did. */
  public String lastError() {
    return lastError;
  }

  /**
   * Per configured channel, the permissions the bot lacks there (empty: fine); empty map while not
   * logged in.
   */
  public Map<String, List<String>> permissionReport() {
    JDA j = jda;
    return j == null ? Map.of() : DiscordPermissions.report(j, properties);
  }

  @Override
  public synchronized void stop() {
    if (!running) {
      return;
    }
    running = false;
    core.disconnect(platform);
    connector.interrupt();
    JDA j = jda;
    if (j != null) {
      j.shutdown();
      try {
        if (!j.awaitShutdown(properties.shutdownTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
          j.shutdownNow();
          j.awaitShutdown(2, TimeUnit.SECONDS);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        j.shutdownNow();
      }
    }
    workers.shutdown();
    jda = null;
    state = State.STOPPED;
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** The gateway lease starts and stops the bot, not the application's start-up. */
  @Override
  public boolean isAutoStartup() {
    return false;
  }
}
