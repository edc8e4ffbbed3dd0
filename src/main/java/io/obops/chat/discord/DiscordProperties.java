package io.obops.chat.discord;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code obops.discord.*}: the Discord adapter. Off unless {@code enabled=true}; the embedded
 * default does not need it. The role mentioned on approval cards is the chat core's {@code
 * obops.chat.approver-role} (the retired {@code obops.discord.approver-role-id} is read as it).
 *
 * @param enabled connect to Discord at start-up (default false).
 * @param tokenEnv the environment variable holding the bot token (default {@code
 *     OBOPS_DISCORD_TOKEN}); read when {@code tokenFile} is not set. The token itself is never a
 *     property, never logged and never put in a message.
 * @param tokenFile a file holding the bot token (first line; e.g. a mounted secret); wins over
 *     {@code tokenEnv}.
 * @param guildIds guilds to register {@code /obcluster} in (instant); empty: register it globally
 *     (Discord may take a while to show it everywhere).
 * @param commandChannels channel ids where {@code /obcluster} is accepted (threads count as their
 *     parent channel); empty: everywhere the bot can see.
 * @param announceChannel a channel that gets one line when a stop starts and one when its task
 *     finishes, each with a link to the thread; none if unset.
 * @param apiBaseUrl Discord's REST base (default {@code https://discord.com/api/v10/}); tests point
 *     it at an emulator.
 * @param gatewayUrl the gateway to connect to (default Discord's); tests point it at an emulator.
 * @param workers threads that run commands and clicks against the core (default 8); JDA's own
 *     threads only acknowledge.
 * @param shutdownTimeout how long to wait for JDA to finish queued requests on shutdown.
 */
@Validated
@ConfigurationProperties("obops.discord")
public record DiscordProperties(
    @DefaultValue("false") boolean enabled,
    @NotBlank @DefaultValue("OBOPS_DISCORD_TOKEN") String tokenEnv,
    Path tokenFile,
    @NotNull @DefaultValue List<Long> guildIds,
    @NotNull @DefaultValue List<Long> commandChannels,
    Long announceChannel,
    URI apiBaseUrl,
    URI gatewayUrl,
    @DefaultValue("8") int workers,
    @NotNull @DefaultValue("10s") Duration shutdownTimeout) {

  public DiscordProperties {
    if (workers < 1 || workers > 64) {
      throw new IllegalArgumentException("obops.discord.workers is " + workers + "; use 1 to 64");
    }
    if (apiBaseUrl != null && !apiBaseUrl.getScheme().startsWith("http")) {
      throw new IllegalArgumentException(
          "obops.discord.api-base-url must be an http(s) URL, not " + apiBaseUrl);
    }
    if (gatewayUrl != null && !gatewayUrl.getScheme().startsWith("ws")) {
      throw new IllegalArgumentException(
          "obops.discord.gateway-url must be a ws(s) URL, not " + gatewayUrl);
    }
  }

  /** Whether a command in {@code channelId} (or a thread of it, {@code parentId}) is accepted. */
  boolean acceptsCommandsIn(long channelId, Long parentId) {
    return commandChannels.isEmpty()
        || commandChannels.contains(channelId)
        || (parentId != null && commandChannels.contains(parentId));
  }
}
