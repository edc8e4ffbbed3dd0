package io.obops.chat.discord;

import java.util.List;
import java.util.Map;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The adapter's health ({@code discord} in {@code /actuator/health}): {@code UP} when logged in,
 * the gateway connected and nothing missing; {@code DEGRADED} otherwise, with the details. Never
 * {@code DOWN}: obops without Discord still serves REST, the console and its tasks, so a probe must
 * not restart it for that. Details: {@code state} (CONNECTING, CONNECTED, INVALID_TOKEN), {@code
 * gateway} (JDA's status), {@code lastError}, and {@code missingPermissions}: per configured
 * channel, what the bot lacks there.
 */
final class DiscordHealth implements HealthIndicator {

  static final Status DEGRADED = new Status("DEGRADED", "obops runs; Discord chat is impaired");

  private final DiscordBot bot;

  DiscordHealth(DiscordBot bot) {
    this.bot = bot;
  }

  @Override
  public Health health() {
    DiscordBot.State state = bot.state();
    String gateway = bot.gatewayStatus();
    Map<String, List<String>> report = bot.permissionReport();
    boolean missing = report.values().stream().anyMatch(l -> !l.isEmpty());
    boolean up = state == DiscordBot.State.CONNECTED && "CONNECTED".equals(gateway) && !missing;
    Health.Builder b = Health.status(up ? Status.UP : DEGRADED).withDetail("state", state.name());
    if (!gateway.isEmpty()) {
      b.withDetail("gateway", gateway);
    }
    if (bot.lastError() != null) {
      b.withDetail("lastError", bot.lastError());
    }
    if (!report.isEmpty()) {
      b.withDetail("missingPermissions", report);
    }
    return b.build();
  }
}
