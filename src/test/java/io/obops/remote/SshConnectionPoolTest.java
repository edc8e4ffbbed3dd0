package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.cluster.ObServer;
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
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The connection pool behind {@link RemoteShell}, on real SSH (the sandbox): whatever command opens
 * a host's connection, the next command on that host within the idle time reuses it; an idle one is
 * closed; a dead one is replaced, and the replacement's host key is checked like any other; a
 * command waiting on its host holds no handshake slot. Time is a settable clock.
 */
class SshConnectionPoolTest {

  private static final Duration IDLE = Duration.ofMinutes(5);
  private static final Duration COMMAND = Duration.ofSeconds(30);
  private static Sandbox sandbox;
  private final AtomicLong clock = new AtomicLong();

  @BeforeAll
  static void startSandbox() {
    sandbox = Sandbox.builder().zones(2).serversPerZone(3).startObservers(false).start();
  }

  @AfterAll
  static void stopSandbox() {
    sandbox.close();
  }

  @AfterEach
  void trustEveryHostAgain() {
    sandbox.trustCurrentHostKeys();
  }

  private SshRemoteShell shell(SshSettings settings) throws Exception {
    return new SshRemoteShell(settings, clock::get);
  }

  private static SshSettings settings() {
    return SshSettings.strict(
            SshIdentity.fromFile(sandbox.clientPrivateKey(), null), sandbox.knownHosts())
        .withConnectTimeout(Duration.ofSeconds(5))
        .withConnectionIdleTimeout(IDLE);
  }

  private static ObServer server(int index) {
    return sandbox.servers().get(index);
  }

  private static RemoteHost host(int index) {
    return RemoteHost.of(server(index));
  }

  private void advance(Duration by) {
    clock.addAndGet(by.toNanos());
  }

  @Test
  void theConnectionAnInspectionOpenedIsReusedByTheNextCommandWithinTheIdleTime() throws Exception {
    int before = sandbox.sshConnectionsAccepted(server(0));
    try (SshRemoteShell shell = shell(settings())) {
      var observers = new SshObserverProcessControl(shell, TestSettings.fast());
      observers.inspect(server(0), line -> {});
      advance(IDLE.minusSeconds(1));
      shell.closeIdleConnections();

      assertThat(shell.run(host(0), "echo stop", COMMAND).stdout()).isEqualTo("stop\n");
      assertThat(sandbox.sshConnectionsAccepted(server(0)) - before).isEqualTo(1);
      assertThat(shell.connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void aConnectionUnusedForTheIdleTimeIsClosedAndTheNextCommandOpensANewOne() throws Exception {
    int before = sandbox.sshConnectionsAccepted(server(1));
    try (SshRemoteShell shell = shell(settings())) {
      shell.run(host(1), "true", COMMAND);
      advance(IDLE.plusSeconds(1));
      shell.closeIdleConnections();

      assertThat(shell.openConnections()).isZero();
      assertThat(shell.run(host(1), "echo again", COMMAND).stdout()).isEqualTo("again\n");
      assertThat(sandbox.sshConnectionsAccepted(server(1)) - before).isEqualTo(2);
    }
  }

  @Test
  void idleTimeCountsFromTheLastCommandNotFromTheConnection() throws Exception {
    try (SshRemoteShell shell = shell(settings())) {
      shell.run(host(2), "true", COMMAND);
      advance(IDLE.minusSeconds(10));
      shell.run(host(2), "true", COMMAND);
      advance(Duration.ofSeconds(20));
      shell.closeIdleConnections();

      assertThat(shell.openConnections()).isEqualTo(1);
      shell.run(host(2), "true", COMMAND);
      assertThat(shell.connectionsOpened()).isEqualTo(1);
    }
  }

  @Test
  void openingAConnectionBeyondTheLimitClosesTheLeastRecentlyUsedOfThoseIdleForAMinute()
      throws Exception {
    int before0 = sandbox.sshConnectionsAccepted(server(0));
    int before1 = sandbox.sshConnectionsAccepted(server(1));
    try (SshRemoteShell shell = shell(settings().withMaxOpenConnections(2))) {
      shell.run(host(0), "true", COMMAND);
      advance(Duration.ofSeconds(1));
      shell.run(host(1), "true", COMMAND);
      advance(Duration.ofMinutes(2));
      shell.run(host(2), "true", COMMAND);

      assertThat(shell.openConnections()).isEqualTo(2);
      shell.run(host(1), "true", COMMAND); // still pooled
      shell.run(host(0), "true", COMMAND); // was closed for host 2's: opened again
      assertThat(sandbox.sshConnectionsAccepted(server(1)) - before1).isEqualTo(1);
      assertThat(sandbox.sshConnectionsAccepted(server(0)) - before0).isEqualTo(2);
      assertThat(shell.openConnections()).isEqualTo(2);
    }
  }

  /**
   * When every idle connection was used within the minute, the work at hand spans more hosts than
   * the limit: the connection opened last makes room, so the first ones stay for the next pass
   * (closing the least recently used would close each just before the next pass needs it).
   */
  @Test
  void passesOverMoreHostsThanTheLimitKeepReusingTheConnectionsOpenedFirst() throws Exception {
    int before0 = sandbox.sshConnectionsAccepted(server(3));
    try (SshRemoteShell shell = shell(settings().withMaxOpenConnections(2))) {
      for (int pass = 0; pass < 3; pass++) {
        for (int i = 3; i < 6; i++) {
          shell.run(host(i), "true", COMMAND);
          advance(Duration.ofSeconds(1));
        }
      }

      assertThat(shell.openConnections()).isEqualTo(2);
      assertThat(sandbox.sshConnectionsAccepted(server(3)) - before0).isEqualTo(1);
      assertThat(shell.connectionsOpened()).isEqualTo(3 + 2 + 2);
    }
  }

  @Test
  void aPooledConnectionTheHostDroppedIsReplacedByTheNextCommand() throws Exception {
    try (SshRemoteShell shell = shell(settings())) {
      shell.run(host(3), "true", COMMAND);
      sandbox.stopSshServer(server(3)); // drops every connection to the host
      sandbox.startSshServer(server(3));

      assertThat(shell.run(host(3), "echo replaced", COMMAND).stdout()).isEqualTo("replaced\n");
      assertThat(shell.connectionsOpened()).isEqualTo(2);
    }
  }

  @Test
  void theConnectionReplacingADeadOneStillHasItsHostKeyChecked() throws Exception {
    try (SshRemoteShell shell = shell(settings())) {
      shell.run(host(4), "true", COMMAND);
      String fingerprint = sandbox.regenerateHostKey(server(4)); // restarts the host: pool dies

      assertThatThrownBy(() -> shell.run(host(4), "true", COMMAND))
          .isInstanceOfSatisfying(
              RemoteExecutionException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_CHANGED))
          .hasMessageContaining(fingerprint);
      sandbox.trustCurrentHostKeys();
      assertThat(shell.run(host(4), "echo trusted", COMMAND).stdout()).isEqualTo("trusted\n");
    }
  }

  @Test
  void commandsWaitingOnTheirHostsHoldNoHandshakeSlot() throws Exception {
    // One handshake at a time, six hosts: each command waits on its host until all six have
    // started. If a waiting command held the handshake slot, the others could never connect and
    // the barrier would never open (each command would then fail at its timeout).
    Path barrier = Files.createTempDirectory(sandbox.baseDir(), "barrier");
    try (SshRemoteShell shell = shell(settings().withMaxConcurrentHandshakes(1))) {
      ExecutorService pool = Executors.newFixedThreadPool(6);
      try {
        List<Future<CommandResult>> runs = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
          RemoteHost h = host(i);
          String command =
              "touch "
                  + ShellQuoting.quote(barrier + "/" + i)
                  + "; while [ $(ls "
                  + ShellQuoting.quote(barrier.toString())
                  + " | wc -l) -lt 6 ]; do sleep 0.05; done; echo through";
          runs.add(pool.submit(() -> shell.run(h, command, COMMAND)));
        }
        for (Future<CommandResult> run : runs) {
          assertThat(run.get().stdout()).isEqualTo("through\n");
        }
        assertThat(shell.connectionsOpened()).isEqualTo(6);
      } finally {
        pool.shutdownNow();
      }
    }
  }
}
