package io.obops.routine;

import java.util.List;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** Runs every {@link Routine} bean of the application ({@link Routines}). */
@Configuration(proxyBeanMethods = false)
class RoutineConfiguration {

  @Bean
  Routines routines(List<Routine> routines) {
    return new Routines(routines);
  }
}
