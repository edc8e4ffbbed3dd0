package io.obops;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** {@code obops.embedded=true} is a preset of other capabilities' settings; anything set wins. */
class EmbeddedDefaultPresetTest {

  private static StandardEnvironment environment(Map<String, Object> properties) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", properties));
    new EmbeddedDefault().postProcessEnvironment(env, new SpringApplication());
    return env;
  }

  @Test
  void theEmbeddedDefaultListensOnLoopbackWithTheIdentityPickerAndAKeptSandbox() {
    StandardEnvironment env = environment(Map.of("obops.embedded", "true"));

    assertThat(env.getProperty("server.address")).isEqualTo("127.0.0.1");
    assertThat(env.getProperty("obops.console.identity-picker")).isEqualTo("true");
    assertThat(env.getProperty("obops.sandbox.base-dir")).isEqualTo("data/sandbox");
  }

  @Test
  void whatIsSetElsewhereWinsOverThePreset() {
    StandardEnvironment env =
        environment(
            Map.of(
                "obops.embedded", "true",
                "server.address", "0.0.0.0",
                "obops.console.identity-picker", "false"));

    assertThat(env.getProperty("server.address")).isEqualTo("0.0.0.0");
    assertThat(env.getProperty("obops.console.identity-picker")).isEqualTo("false");
  }

  @Test
  void outsideTheEmbeddedDefaultNothingIsPreset() {
    StandardEnvironment env = environment(Map.of("obops.embedded", "false"));

    assertThat(env.getProperty("server.address")).isNull();
    assertThat(env.getProperty("obops.console.identity-picker")).isNull();
    assertThat(env.getProperty("obops.sandbox.base-dir")).isNull();
  }
}
