package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.cluster.ObServer;
import io.obops.obcluster.ObserverProcessControl.StopReport;
import io.obops.remote.ObserverControlSettings.StopSignal;
import io.obops.remote.RemoteExecutionException.Reason;
import io.obops.sandbox.Sandbox;
import io.obops.sandbox.Sandbox.ObserverBehaviour;
import io.obops.sandbox.Sandbox.PortHolder;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each fault ends in an exception that says what happened to which host, harms nothing else, and
 * stopping succeeds once the fault is fixed.
 */
class ObserverStopFaultsTest {

  private Sandbox sandbox;
  private SshRemoteShell shell;
  private SshObserverProcessControl control;
  private ObServer victim;
  private ObServer bystander;

  @BeforeEach
  void startSandbox() throws Exception {
    sandbox = Sandbox.builder().zones(1).serversPerZone(2).start();
    shell = new SshRemoteShell(sshSettings(sandbox.clientPrivateKey()));
    control = new SshObserverProcessControl(shell, TestSettings.fast());
    victim = sandbox.servers().get(0);
    bystander = sandbox.servers().get(1);
  }

  @AfterEach
  void tearDown() {
    shell.close();
    sandbox.close();
  }

  @Test
  void unreachableHostFailsNamingTheHostAndStopsOnceItIsBack() throws Exception {
    sandbox.stopSshServer(victim);

    assertThatThrownBy(() -> control.stop(victim, new RecordingLog()))
        .isInstanceOfSatisfying(
            RemoteExecutionException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.UNREACHABLE))
        .hasMessageContaining("cannot reach " + victim.sshUser() + "@" + victim.ip() + ":")
        .hasMessageContaining("connection refused");
    assertThat(sandbox.isObserverRunning(victim)).isTrue();
    assertThat(sandbox.isObserverRunning(bystander)).isTrue();

    sandbox.startSshServer(victim);
    assertThat(control.stop(victim, new RecordingLog()).alreadyStopped()).isFalse();
    assertThat(sandbox.isObserverRunning(victim)).isFalse();
  }

  @Test
  void pooledConnectionToARestartedSshServerIsReplaced() throws Exception {
    control.inspect(victim, new RecordingLog());
    control.inspect(victim, new RecordingLog());
    assertThat(sandbox.sshConnectionsAccepted(victim)).isEqualTo(1);

    sandbox.stopSshServer(victim);
    sandbox.startSshServer(victim);

    assertThat(control.stop(victim, new RecordingLog()).signal()).isEqualTo("SIGKILL");
    assertThat(sandbox.sshConnectionsAccepted(victim)).isEqualTo(2);
  }

  @Test
  void wrongClientKeyIsRefusedAndTheRightKeyThenStopsTheObserver() throws Exception {
    try (SshRemoteShell wrong =
        new SshRemoteShell(sshSettings(sandbox.writeUnauthorizedClientKey()))) {
      var wrongControl = new SshObserverProcessControl(wrong, TestSettings.fast());

      assertThatThrownBy(() -> wrongControl.stop(victim, new RecordingLog()))
          .isInstanceOfSatisfying(
              RemoteExecutionException.class,
              e -> assertThat(e.reason()).isEqualTo(Reason.AUTHENTICATION_FAILED))
          .hasMessageContaining("SSH authentication as " + victim.sshUser())
          .hasMessageContaining(victim.ip())
          .hasMessageNotContaining("PRIVATE KEY");
    }
    assertThat(sandbox.isObserverRunning(victim)).isTrue();

    assertThat(control.stop(victim, new RecordingLog()).signal()).isEqualTo("SIGKILL");
  }

  @Test
  void changedHostKeyFailsNamingTheHostAndTheFingerprintSeen() throws Exception {
    String fingerprint = sandbox.regenerateHostKey(victim);

    assertThatThrownBy(() -> control.stop(victim, new RecordingLog()))
        .isInstanceOfSatisfying(
            RemoteExecutionException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_CHANGED))
        .hasMessageContaining("host key of " + victim.ip())
        .hasMessageContaining("CHANGED")
        .hasMessageContaining(fingerprint)
        .hasMessageContaining(sandbox.knownHosts().toString());
    assertThat(sandbox.isObserverRunning(victim)).isTrue();

    sandbox.trustCurrentHostKeys();
    assertThat(control.stop(victim, new RecordingLog()).signal()).isEqualTo("SIGKILL");
  }

  @Test
  void unknownHostKeyFailsNamingTheHostAndTheFingerprintSeen() throws Exception {
    Files.writeString(sandbox.knownHosts(), "# empty\n");

    assertThatThrownBy(() -> control.inspect(victim, new RecordingLog()))
        .isInstanceOfSatisfying(
            RemoteExecutionException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_UNKNOWN))
        .hasMessageContaining("host key of " + victim.ip())
        .hasMessageContaining("unknown")
        .hasMessageContaining(sandbox.hostKeyFingerprint(victim));
  }

  @Test
  void pidFileNamingALiveProcessThatIsNotTheObserverNeverGetsItSignalled() throws Exception {
    long observer = sandbox.runningObserverPid(victim).orElseThrow();
    long sleeper = sandbox.replacePidFileWithForeignProcess(victim);

    assertThatThrownBy(() -> control.stop(victim, new RecordingLog()))
        .isInstanceOf(ObserverControlException.class)
        .hasMessageContaining("observer state on " + victim.ip() + " is unknown")
        .hasMessageContaining("names pid " + sleeper)
        .hasMessageContaining("is not this server's observer (it runs 'sleep')")
        .hasMessageContaining("nothing was signalled");
    assertThatThrownBy(() -> control.inspect(victim, new RecordingLog()))
        .isInstanceOf(ObserverControlException.class)
        .hasMessageContaining("names pid " + sleeper);
    assertThat(Sandbox.isAlive(sleeper)).isTrue();
    assertThat(Sandbox.isAlive(observer)).isTrue();

    sandbox.restorePidFile(victim);
    StopReport report = control.stop(victim, new RecordingLog());
    assertThat(report.pid()).isEqualTo(observer);
    assertThat(Sandbox.isAlive(sleeper)).isTrue();
  }

  @Test
  void stalePidFileNamingAReusedPidAfterTheObserverStoppedIsRemovedWithoutASignal()
      throws Exception {
    control.stop(victim, new RecordingLog());
    long sleeper = sandbox.replacePidFileWithForeignProcess(victim);

    RecordingLog log = new RecordingLog();
    StopReport report = control.stop(victim, log);

    assertThat(report.alreadyStopped()).isTrue();
    assertThat(log.text()).contains("the pid file is stale and nothing was signalled");
    assertThat(Sandbox.isAlive(sleeper)).isTrue();
    assertThat(Files.exists(sandbox.pidFile(victim))).isFalse();
  }

  @Test
  void stopAfterACrashBetweenKillAndCleanupRemovesTheStalePidFile() throws Exception {
    long pid = sandbox.runningObserverPid(victim).orElseThrow();
    ProcessHandle.of(pid).orElseThrow().destroyForcibly(); // the kill happened, then obops died
    awaitGone(pid);

    RecordingLog log = new RecordingLog();
    StopReport report = control.stop(victim, log);

    assertThat(report.alreadyStopped()).isTrue();
    assertThat(log.text()).contains("stale pid file").contains("already stopped");
    assertThat(Files.exists(sandbox.pidFile(victim))).isFalse();
  }

  @Test
  void observerIgnoringSigtermIsKilledAfterTheGracefulTimeout() throws Exception {
    control.stop(victim, new RecordingLog());
    long stubborn = sandbox.startObserver(victim, ObserverBehaviour.IGNORES_SIGTERM);
    var graceful =
        new SshObserverProcessControl(
            shell,
            TestSettings.fast()
                .withSignal(StopSignal.GRACEFUL)
                .withGracefulTimeout(Duration.ofMillis(500)));

    RecordingLog log = new RecordingLog();
    StopReport report = graceful.stop(victim, log);

    assertThat(report.pid()).isEqualTo(stubborn);
    assertThat(report.signal()).isEqualTo("SIGTERM,SIGKILL");
    assertThat(report.releasedAfterMillis()).isGreaterThanOrEqualTo(500L);
    assertThat(log.text()).contains("was still running 500 ms after SIGTERM; sent SIGKILL");
    assertThat(Sandbox.isAlive(stubborn)).isFalse();
    assertThat(sandbox.isListening(victim, victim.mysqlPort())).isFalse();
  }

  @Test
  void portHeldByAnotherProcessFailsWithPortNotReleasedAndStopsOnceFreed() throws Exception {
    long observer = sandbox.runningObserverPid(victim).orElseThrow();
    var impatient =
        new SshObserverProcessControl(
            shell, TestSettings.fast().withReleaseTimeout(Duration.ofMillis(700)));

    try (PortHolder holder = sandbox.holdPort(victim, victim.mysqlPort())) {
      assertThatThrownBy(() -> impatient.stop(victim, new RecordingLog()))
          .isInstanceOf(ObserverControlException.class)
          .hasMessage("port " + victim.mysqlPort() + " not released on " + victim.ip());
      assertThat(Sandbox.isAlive(observer)).isFalse();
      assertThat(holder.isAlive()).isTrue();
      assertThat(sandbox.isObserverRunning(bystander)).isTrue();
    }

    StopReport report = impatient.stop(victim, new RecordingLog());
    assertThat(report.alreadyStopped()).isTrue();
    assertThat(Files.exists(sandbox.pidFile(victim))).isFalse();
  }

  /**
   * The port check reads /proc/net/tcp and tcp6 only as far as the listeners, which the kernel
   * lists before any connection: a listener opened after hundreds of connections, in either table,
   * is still found, by inspect and by the stop's release check.
   */
  @ParameterizedTest(name = "listener in {0}")
  @ValueSource(strings = {"tcp (IPv4 socket)", "tcp6 (IPv4-mapped on an IPv6 socket)"})
  void portListenedOnAfterHundredsOfConnectionsIsHeldForInspectAndStop(String table)
      throws Exception {
    control.stop(victim, new RecordingLog());
    var impatient =
        new SshObserverProcessControl(
            shell, TestSettings.fast().withReleaseTimeout(Duration.ofMillis(300)));
    List<Socket> connections = new ArrayList<>();
    try (ServerSocket accepting = new ServerSocket(0, 512, InetAddress.getLoopbackAddress())) {
      for (int i = 0; i < 300; i++) {
        connections.add(new Socket(InetAddress.getLoopbackAddress(), accepting.getLocalPort()));
        connections.add(accepting.accept());
      }
      try (AutoCloseable holder = holdMysqlPort(table)) {
        assertThat(impatient.inspect(victim, new RecordingLog()).detail())
            .contains("port " + victim.mysqlPort() + " held", "port " + victim.rpcPort() + " free");
        assertThatThrownBy(() -> impatient.stop(victim, new RecordingLog()))
            .isInstanceOf(ObserverControlException.class)
            .hasMessage("port " + victim.mysqlPort() + " not released on " + victim.ip());
      }
      assertThat(impatient.inspect(victim, new RecordingLog()).detail())
          .contains("port " + victim.mysqlPort() + " free", "port " + victim.rpcPort() + " free");
      assertThat(impatient.stop(victim, new RecordingLog()).alreadyStopped()).isTrue();
    } finally {
      for (Socket c : connections) {
        c.close();
      }
    }
  }

  private AutoCloseable holdMysqlPort(String table) throws Exception {
    if (table.startsWith("tcp6")) {
      ServerSocket s = new ServerSocket();
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(InetAddress.getByName(victim.ip()), victim.mysqlPort()));
      return s;
    }
    return sandbox.holdPort(victim, victim.mysqlPort());
  }

  @Test
  void missingHomePathFailsInsteadOfReportingAlreadyStopped() {
    ObServer typo =
        new ObServer(
            victim.id(),
            victim.clusterId(),
            victim.zoneName(),
            victim.ip(),
            victim.sshPort(),
            victim.sshUser(),
            victim.homePath() + "-typo",
            victim.mysqlPort(),
            victim.rpcPort(),
            victim.status());

    assertThatThrownBy(() -> control.stop(typo, new RecordingLog()))
        .isInstanceOf(ObserverControlException.class)
        .hasMessageContaining("does not exist on " + victim.ip());
    assertThat(sandbox.isObserverRunning(victim)).isTrue();
  }

  private SshSettings sshSettings(java.nio.file.Path key) {
    return SshSettings.strict(SshIdentity.fromFile(key, null), sandbox.knownHosts())
        .withConnectTimeout(Duration.ofSeconds(3));
  }

  private static void awaitGone(long pid) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (Sandbox.isAlive(pid)) {
      assertThat(System.nanoTime()).as("pid %d still alive", pid).isLessThan(deadline);
      Thread.onSpinWait();
      java.util.concurrent.locks.LockSupport.parkNanos(5_000_000);
    }
  }
}
