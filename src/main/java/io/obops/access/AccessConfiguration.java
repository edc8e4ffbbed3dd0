package io.obops.access;

import io.obops.routine.Routine;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Assembles {@link AccessControl} from {@link AccessProperties} and checks its file every {@code
 * obops.access.reload-interval} (an edit is in force after two checks that see the same content).
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(AccessProperties.class)
class AccessConfiguration {

  @Bean
  AccessControl accessControl(AccessProperties properties) {
    return new AccessControl(properties.file());
  }

  @Bean
  Routine accessReloadRoutine(AccessControl access, AccessProperties properties) {
    return new Routine("access-reload", properties.reloadInterval(), access::reloadIfChanged);
  }
}
