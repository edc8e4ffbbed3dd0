package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.cluster.ObServer;
import io.obops.obcluster.ObserverProcessControl.StopReport;
import io.obops.remote.ObserverControlSettings.StopSignal;
import io.obops.sandbox.Sandbox;
import io.obops.sandbox.Sandbox.ObserverBehaviour;
import io.obops.sandbox.Sandbox.PortHolder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * observer-control.sh uses awk (one read of both port tables) and GNU timeout with tail --pid (one
 * watcher instead of a sleep per poll) where a host has them, and falls back to sed and sleep where
 * it does not: on every such host, inspect tells held from free ports, a graceful stop waits for
 * the exit, a stubborn observer gets SIGKILL, and a port held by another process is reported.
 */
class ObserverControlWithoutGnuToolsTest {

  private static final List<String> TOOLS =
      List.of(
          "od", "sed", "grep", "rm", "sleep", "tail", "timeout", "awk", "tr", "cut", "mkdir",
          "cat");

  private Sandbox sandbox;
  private SshRemoteShell shell;
  private ObServer victim;
  @TempDir Path bin;

  @BeforeEach
  void startSandbox() throws Exception {
    sandbox = Sandbox.builder().zones(1).serversPerZone(1).start();
    shell = new SshRemoteShell(TestSettings.ssh(sandbox));
    victim = sandbox.servers().get(0);
  }

  @AfterEach
  void tearDown() {
    shell.close();
    sandbox.close();
  }

  @ParameterizedTest(name = "host without {0}")
  @ValueSource(strings = {"awk", "timeout", "awk timeout"})
  void inspectAndGracefulStopWorkWithTheFallbacks(String missing) throws Exception {
    SshObserverProcessControl control = control(missing, Duration.ofSeconds(10));
    long pid = sandbox.runningObserverPid(victim).orElseThrow();

    assertThat(control.inspect(victim, new RecordingLog()).detail())
        .contains(
            "running as pid " + pid,
            "port " + victim.mysqlPort() + " held",
            "port " + victim.rpcPort() + " held");
    RecordingLog log = new RecordingLog();
    StopReport report = control.stop(victim, log);

    assertThat(report.alreadyStopped()).isFalse();
    assertThat(report.pid()).isEqualTo(pid);
    assertThat(report.signal()).isEqualTo("SIGTERM");
    assertThat(Sandbox.isAlive(pid)).isFalse();
    assertThat(Files.exists(sandbox.pidFile(victim))).isFalse();
    assertThat(control.inspect(victim, new RecordingLog()).detail())
        .contains("port " + victim.mysqlPort() + " free", "port " + victim.rpcPort() + " free");
  }

  @ParameterizedTest(name = "host without {0}")
  @ValueSource(strings = {"nothing", "awk", "timeout", "awk timeout"})
  void anObserverIgnoringSigtermIsKilledAfterTheGracefulTimeout(String missing) throws Exception {
    new SshObserverProcessControl(shell, TestSettings.fast()).stop(victim, new RecordingLog());
    long stubborn = sandbox.startObserver(victim, ObserverBehaviour.IGNORES_SIGTERM);
    SshObserverProcessControl control = control(missing, Duration.ofSeconds(10));

    RecordingLog log = new RecordingLog();
    StopReport report = control.stop(victim, log);

    assertThat(report.pid()).isEqualTo(stubborn);
    assertThat(report.signal()).isEqualTo("SIGTERM,SIGKILL");
    assertThat(report.releasedAfterMillis()).isGreaterThanOrEqualTo(700L);
    assertThat(log.text()).contains("was still running 700 ms after SIGTERM; sent SIGKILL");
    assertThat(Sandbox.isAlive(stubborn)).isFalse();
  }

  @ParameterizedTest(name = "host without {0}")
  @ValueSource(strings = {"nothing", "awk", "awk timeout"})
  void aPortHeldByAnotherProcessIsReportedHeldAndNotReleased(String missing) throws Exception {
    SshObserverProcessControl control = control(missing, Duration.ofMillis(600));
    new SshObserverProcessControl(shell, TestSettings.fast()).stop(victim, new RecordingLog());

    try (PortHolder holder = sandbox.holdPort(victim, victim.rpcPort())) {
      assertThat(control.inspect(victim, new RecordingLog()).detail())
          .contains("port " + victim.mysqlPort() + " free", "port " + victim.rpcPort() + " held");
      assertThatThrownBy(() -> control.stop(victim, new RecordingLog()))
          .isInstanceOf(ObserverControlException.class)
          .hasMessage("port " + victim.rpcPort() + " not released on " + victim.ip());
      assertThat(holder.isAlive()).isTrue();
    }
    assertThat(control.stop(victim, new RecordingLog()).alreadyStopped()).isTrue();
  }

  /** Runs the script with PATH holding every tool it may use except those named in missing. */
  private SshObserverProcessControl control(String missing, Duration releaseTimeout)
      throws IOException {
    Set<String> without = Set.of(missing.split(" "));
    for (String tool : TOOLS) {
      Path real = Path.of("/usr/bin", tool);
      if (!without.contains(tool) && Files.exists(real)) {
        Files.createSymbolicLink(bin.resolve(tool), real);
      }
    }
    String path = "PATH=" + bin + "; export PATH; ";
    RemoteShell limited = (host, command, timeout) -> shell.run(host, path + command, timeout);
    return new SshObserverProcessControl(
        limited,
        TestSettings.fast()
            .withSignal(StopSignal.GRACEFUL)
            .withGracefulTimeout(Duration.ofMillis(700))
            .withReleaseTimeout(releaseTimeout));
  }
}
