package io.obops.access;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.SchedulingConfigurer;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.ScheduledTaskRegistrar;

/**
 * Assembles {@link AccessControl} from {@link AccessProperties} and checks its file every {@code
 * obops.access.reload-interval} (an edit is in force after two checks that see the same content).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessProperties.class)
@EnableScheduling
class AccessConfiguration {

  @Bean
  AccessControl accessControl(AccessProperties properties) {
    return new AccessControl(properties.file());
  }

  @Bean
  SchedulingConfigurer accessReloader(AccessControl access, AccessProperties properties) {
    return (ScheduledTaskRegistrar registrar) ->
        registrar.addFixedDelayTask(
            new FixedDelayTask(
                access::reloadIfChanged, properties.reloadInterval(), properties.reloadInterval()));
  }
}
