package io.obops.access;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * Assembles {@link AccessControl} from {@link AccessProperties} and keeps it in step with its file.
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
  Reloader accessReloader(AccessControl access) {
    return new Reloader(access);
  }

  /** Re-reads the access file when it changes. */
  static final class Reloader {
    private final AccessControl access;

    Reloader(AccessControl access) {
      this.access = access;
    }

    @Scheduled(
        fixedDelayString = "${obops.access.reload-interval:10s}",
        initialDelayString = "${obops.access.reload-interval:10s}")
    void reload() {
      access.reloadIfModified();
    }
  }
}
