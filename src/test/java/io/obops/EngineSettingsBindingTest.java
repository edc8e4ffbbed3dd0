package io.obops;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.task.TaskEngine;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/** The engine's settings come from {@code obops.engine.*}, its defaults from one place. */
class EngineSettingsBindingTest {

  private static ObopsProperties bind(Map<String, String> properties) {
    return new Binder(new MapConfigurationPropertySource(properties))
        .bindOrCreate("obops", ObopsProperties.class);
  }

  @Test
  void withNothingSetTheEngineRunsOnItsOwnDefaults() {
    assertThat(bind(Map.of()).engine().settings("obops-1"))
        .isEqualTo(TaskEngine.Settings.defaults("obops-1"));
  }

  @Test
  void aSettingLeftOutKeepsItsDefaultWhileTheOthersAreTaken() {
    TaskEngine.Settings settings =
        bind(Map.of("obops.engine.workers", "4", "obops.engine.dead-after", "1m"))
            .engine()
            .settings("obops-1");

    TaskEngine.Settings defaults = TaskEngine.Settings.defaults("obops-1");
    assertThat(settings.workers()).isEqualTo(4);
    assertThat(settings.deadAfter()).isEqualTo(Duration.ofMinutes(1));
    assertThat(settings.heartbeatInterval()).isEqualTo(defaults.heartbeatInterval());
    assertThat(settings.pollInterval()).isEqualTo(defaults.pollInterval());
    assertThat(settings.shutdownGrace()).isEqualTo(defaults.shutdownGrace());
  }
}
