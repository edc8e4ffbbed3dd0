package io.obops.remote;

import java.time.Duration;

/** Short timeouts so failing tests fail fast. */
final class TestSettings {

  private TestSettings() {}

  /** Strict SSH to the sandbox's hosts with its client key, a 3 s connect timeout. */
  static SshSettings ssh(io.obops.sandbox.Sandbox sandbox) {
    return SshSettings.strict(
            SshIdentity.fromFile(sandbox.clientPrivateKey(), null), sandbox.knownHosts())
        .withConnectTimeout(Duration.ofSeconds(3));
  }

  static ObserverControlSettings fast() {
    return ObserverControlSettings.defaults()
        .withReleaseTimeout(Duration.ofSeconds(10))
        .withPollInterval(Duration.ofMillis(50))
        .withCommandTimeout(Duration.ofSeconds(10))
        .withStartTimeout(Duration.ofSeconds(10));
  }
}
