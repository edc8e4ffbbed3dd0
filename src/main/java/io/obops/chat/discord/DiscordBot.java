package io.obops.chat.discord;

import io.obops.chat.ChatCore;
import io.obops.chat.ChatGateway;
import java.util.EnumSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.JDABuilder;
import net.dv8tion.jda.api.entities.Guild;
import net.dv8tion.jda.api.events.session.ReadyEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.requests.GatewayIntent;
import net.dv8tion.jda.api.requests.RestConfig;
import net.dv8tion.jda.api.utils.Compression;
import net.dv8tion.jda.api.utils.SessionControllerAdapter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The Discord connection's lifecycle: on start it connects the {@link DiscordPlatform} to the chat
 * core, logs in with JDA (no privileged intents: interactions need none), and registers {@code
 * /obcluster} per configured guild or globally once READY. On stop it lets JDA finish queued
 * requests (up to {@code shutdown-timeout}) before closing, and disconnects the platform from the
 * core. One instance per application; with several replicas, the replica holding the gateway lease
 * starts it ({@link io.obops.chat.GatewayLease}), so it does not start with the application.
 */
public final class DiscordBot implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(DiscordBot.class);

  private final DiscordProperties properties;
  private final ChatCore core;
  private final Function<String, String> env;
  private volatile JDA jda;
  private volatile ChatGateway gateway;
  private volatile DiscordPlatform platform;
  private ExecutorService workers;

  public DiscordBot(DiscordProperties properties, ChatCore core, Function<String, String> env) {
    this.properties = properties;
    this.core = core;
    this.env = env;
  }

  @Override
  public synchronized void start() {
    if (jda != null) {
      return;
    }
    DiscordToken token = DiscordToken.resolve(properties, env);
    AtomicInteger n = new AtomicInteger();
    workers =
        Executors.newFixedThreadPool(
            properties.workers(),
            r -> {
              Thread t = new Thread(r, "discord-chat-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    platform = new DiscordPlatform(() -> jda, properties);
    gateway = core.connect(platform);
    DiscordListener listener = new DiscordListener(() -> gateway, platform, properties, workers);
    JDABuilder builder =
        JDABuilder.createLight(token.value(), EnumSet.noneOf(GatewayIntent.class))
            .addEventListeners(listener, new CommandRegistrar());
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
    jda = builder.build();
    log.info(
        "Discord adapter started; /obcluster goes to {}",
        properties.guildIds().isEmpty() ? "every guild (global command)" : properties.guildIds());
  }

  /** Registers {@code /obcluster} once the guilds are known. */
  private final class CommandRegistrar extends ListenerAdapter {
    @Override
    public void onReady(ReadyEvent event) {
      JDA j = event.getJDA();
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

  /** Blocks until the gateway is READY (tests, the benchmark). */
  public void awaitReady() throws InterruptedException {
    jda.awaitReady();
  }

  @Override
  public synchronized void stop() {
    JDA j = jda;
    if (j == null) {
      return;
    }
    core.disconnect(platform);
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
    workers.shutdown();
    jda = null;
  }

  @Override
  public boolean isRunning() {
    return jda != null;
  }

  /** The gateway lease starts and stops the bot, not the application's start-up. */
  @Override
  public boolean isAutoStartup() {
    return false;
  }
}
