package io.obops.remote;

import java.time.Duration;

/** Short timeouts so failing tests fail fast. */
final class TestSettings {

  private TestSettings() {}

  static ObserverControlSettings fast() {
    return ObserverControlSettings.defaults()
        .withReleaseTimeout(Duration.ofSeconds(10))
        .withPollInterval(Duration.ofMillis(50))
        .withCommandTimeout(Duration.ofSeconds(10))
        .withStartTimeout(Duration.ofSeconds(10));
  }
}
