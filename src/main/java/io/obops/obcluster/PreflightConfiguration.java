package io.obops.obcluster;

import java.time.Clock;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * The pre-flight inspection ({@code obops.preflight.*}) over the configured {@link
 * ObserverProcessControl}. Without one (no SSH configured) there is no inspection and requests
 * carry no plan: {@link #preflight} is then a {@link PreflightSupplier} that supplies nothing.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(PreflightProperties.class)
public class PreflightConfiguration {

  @Bean
  PreflightPlans preflightPlans(JdbcClient jdbc, Clock clock) {
    return new PreflightPlans(jdbc, clock);
  }

  @Bean(destroyMethod = "close")
  PreflightSupplier preflight(
      ObjectProvider<ObserverProcessControl> observers,
      PreflightProperties properties,
      Clock clock) {
    ObserverProcessControl control = observers.getIfAvailable();
    if (control == null || control instanceof NoRemoteExecutor) {
      return new PreflightSupplier(null);
    }
    return new PreflightSupplier(
        new Preflight(
            control,
            properties.timeout(),
            properties.timeoutPerServer(),
            properties.parallelism(),
            clock));
  }

  /** The inspection, or null when there is none; closes its pool on shutdown. */
  public record PreflightSupplier(Preflight preflight) implements AutoCloseable {
    @Override
    public void close() {
      if (preflight != null) {
        preflight.close();
      }
    }
  }
}
