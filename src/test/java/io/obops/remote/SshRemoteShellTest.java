package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.remote.RemoteExecutionException.Reason;
import io.obops.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The SSH layer on its own: keys, pool, parallelism, timeouts. */
class SshRemoteShellTest {

  private static final String PASSPHRASE = "correct horse battery staple";
  private static Sandbox sandbox;

  @BeforeAll
  static void startSandbox() {
    sandbox =
        Sandbox.builder()
            .zones(2)
            .serversPerZone(3)
            .startObservers(false)
            .clientKeyPassphrase(PASSPHRASE)
            .start();
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  private static SshSettings settings(SshIdentity identity) {
    return SshSettings.strict(identity, sandbox.knownHosts())
        .withConnectTimeout(Duration.ofSeconds(3));
  }

  private static SshIdentity keyFile() {
    return SshIdentity.fromFile(sandbox.clientPrivateKey(), PASSPHRASE.toCharArray());
  }

  private static RemoteHost host(int index) {
    return RemoteHost.of(sandbox.servers().get(index));
  }

  @Test
  void passphraseProtectedKeyGivenAsTextLogsIn() throws Exception {
    String pem = Files.readString(sandbox.clientPrivateKey());
    SshIdentity fromEnvironment =
        SshIdentity.fromPem(pem, "environment variable OBOPS_TEST_KEY", PASSPHRASE.toCharArray());

    try (SshRemoteShell shell = new SshRemoteShell(settings(fromEnvironment))) {
      CommandResult result = shell.run(host(0), "echo hello; exit 3", Duration.ofSeconds(10));

      assertThat(result.stdout()).isEqualTo("hello\n");
      assertThat(result.exitStatus()).isEqualTo(3);
    }
    assertThat(fromEnvironment.toString())
        .contains("environment variable OBOPS_TEST_KEY")
        .doesNotContain(PASSPHRASE)
        .doesNotContain("PRIVATE KEY");
  }

  @Test
  void wrongPassphraseFailsAtStartWithoutRevealingKeyOrPassphrase() {
    SshIdentity wrong =
        SshIdentity.fromFile(sandbox.clientPrivateKey(), "not the passphrase".toCharArray());

    assertThatThrownBy(() -> new SshRemoteShell(settings(wrong)))
        .hasMessageContaining(
            "cannot use the SSH private key from file " + sandbox.clientPrivateKey())
        .hasMessageContaining("wrong passphrase")
        .hasMessageNotContaining("not the passphrase")
        .hasMessageNotContaining("PRIVATE KEY");
  }

  @Test
  void oneConnectionPerHostServesEveryCommand() throws Exception {
    int before = sandbox.sshConnectionsAccepted(sandbox.servers().get(1));
    try (SshRemoteShell shell = new SshRemoteShell(settings(keyFile()))) {
      for (int i = 0; i < 5; i++) {
        shell.run(host(1), "true", Duration.ofSeconds(10));
      }
    }
    assertThat(sandbox.sshConnectionsAccepted(sandbox.servers().get(1)) - before).isEqualTo(1);
  }

  @Test
  void noMoreHostsThanTheLimitRunCommandsAtOnce() throws Exception {
    // 6 hosts, 300 ms each, 2 at a time: at least 3 rounds, so never under 900 ms.
    try (SshRemoteShell shell = new SshRemoteShell(settings(keyFile()).withMaxParallelHosts(2))) {
      for (int i = 0; i < 6; i++) {
        shell.run(host(i), "true", Duration.ofSeconds(10)); // connect first: time only commands
      }
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        long start = System.nanoTime();
        List<Future<CommandResult>> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          RemoteHost h = host(i);
          runs.add(pool.submit(() -> shell.run(h, "sleep 0.3", Duration.ofSeconds(10))));
        }
        for (Future<CommandResult> run : runs) {
          assertThat(run.get().exitStatus()).isZero();
        }
        assertThat(Duration.ofNanos(System.nanoTime() - start))
            .isGreaterThanOrEqualTo(Duration.ofMillis(900));
      } finally {
        pool.shutdownNow();
      }
    }
  }

  @Test
  void commandOutlivingItsTimeoutFailsAndTheHostStaysUsable() throws Exception {
    try (SshRemoteShell shell = new SshRemoteShell(settings(keyFile()))) {
      assertThatThrownBy(() -> shell.run(host(2), "sleep 5", Duration.ofMillis(300)))
          .isInstanceOfSatisfying(
              RemoteExecutionException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.TIMED_OUT))
          .hasMessageContaining("did not finish within 300 ms")
          .hasMessageContaining(host(2).toString());

      assertThat(shell.run(host(2), "echo again", Duration.ofSeconds(10)).stdout())
          .isEqualTo("again\n");
    }
  }

  @Test
  void closedShellRefusesNewCommands() throws Exception {
    SshRemoteShell shell = new SshRemoteShell(settings(keyFile()));
    shell.close();

    assertThatThrownBy(() -> shell.run(host(0), "true", Duration.ofSeconds(10)))
        .isInstanceOfSatisfying(
            RemoteExecutionException.class, e -> assertThat(e.reason()).isEqualTo(Reason.CLOSED));
  }

  @Test
  void skippingHostKeyChecksAcceptsAnUnknownHost() throws Exception {
    Path noKnownHosts = sandbox.baseDir().resolve("empty_known_hosts");
    SshSettings insecure = new SshSettings(keyFile(), noKnownHosts, true, Duration.ofSeconds(3), 4);

    try (SshRemoteShell shell = new SshRemoteShell(insecure)) {
      assertThat(shell.run(host(3), "echo ok", Duration.ofSeconds(10)).stdout()).isEqualTo("ok\n");
    }
  }
}
