package io.obops.chat.discord;

import io.obops.chat.ChatCore;
import io.obops.chat.ChatProperties;
import io.obops.chat.ChatReplica;
import io.obops.chat.GatewayLease;
import io.obops.routine.Routine;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Starts the Discord adapter when {@code obops.discord.enabled=true}, with its health contributor
 * ({@code discord} under {@code /actuator/health}), on the replica that holds the {@code discord}
 * gateway lease; nothing otherwise.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "obops.discord", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(DiscordProperties.class)
class DiscordConfiguration {

  /** The application's clock (the database's) and the approver role, when present. */
  @Bean
  DiscordBot discordBot(
      DiscordProperties properties,
      ChatCore core,
      ObjectProvider<Clock> clock,
      ObjectProvider<ChatProperties> chat) {
    // a missing token is a configuration error on every replica, not only on the lease holder
    DiscordToken.resolve(properties, System::getenv);
    ChatProperties c = chat.getIfAvailable();
    return new DiscordBot(
        properties,
        core,
        System::getenv,
        clock.getIfAvailable(Clock::systemUTC),
        c == null ? null : c.approverRole());
  }

  @Bean
  DiscordHealth discordHealth(DiscordBot bot) {
    return new DiscordHealth(bot);
  }

  /** One replica at a time holds Discord's gateway; it connects the bot while it holds it. */
  @Bean
  GatewayLease discordGatewayLease(
      JdbcClient jdbc, Clock clock, ChatProperties chat, ChatReplica replica, DiscordBot bot) {
    return new GatewayLease(
        jdbc, clock, "discord", replica.name(), chat.gatewayLease(), bot::start, bot::stop);
  }

  @Bean
  Routine discordGatewayLeaseRoutine(GatewayLease lease) {
    return new Routine("chat-gateway-lease", lease.checkEvery(), lease::check);
  }
}
