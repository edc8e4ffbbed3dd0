package io.obops.chat.discord;

import io.obops.chat.ChatCore;
import io.obops.chat.ChatProperties;
import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the Discord adapter when {@code obops.discord.enabled=true}, with its health contributor
 * ({@code discord} under {@code /actuator/health}); nothing otherwise.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "obops.discord", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(DiscordProperties.class)
public class DiscordConfiguration {

  /** The application's clock (the database's) and the approver role, when present. */
  @Bean
  DiscordBot discordBot(
      DiscordProperties properties,
      ChatCore core,
      ObjectProvider<Clock> clock,
      ObjectProvider<ChatProperties> chat) {
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
}
