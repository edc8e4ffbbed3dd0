package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.cluster.ObServer;
import io.obops.obcluster.ObserverProcessControl.ObserverState;
import io.obops.obcluster.ObserverProcessControl.StopReport;
import io.obops.sandbox.Sandbox;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The happy path against a 3 zones × 2 servers sandbox, over real SSH. */
class SandboxStopTest {

  private Sandbox sandbox;
  private SshRemoteShell shell;
  private SshObserverProcessControl control;

  @BeforeEach
  void startSandbox() throws Exception {
    sandbox = Sandbox.builder().zones(3).serversPerZone(2).start();
    shell =
        new SshRemoteShell(
            SshSettings.strict(
                SshIdentity.fromFile(sandbox.clientPrivateKey(), null), sandbox.knownHosts()));
    control = new SshObserverProcessControl(shell, TestSettings.fast());
  }

  @AfterEach
  void tearDown() {
    shell.close();
    sandbox.close();
  }

  @Test
  void stoppingEveryObserverLeavesNoProcessNoPortAndNoPidFileAndAgainReportsAlreadyStopped()
      throws Exception {
    List<ObServer> servers = sandbox.servers();
    assertThat(servers).hasSize(6);
    List<Long> pids =
        servers.stream().map(s -> sandbox.runningObserverPid(s).orElseThrow()).toList();

    List<StopReport> reports = stopAll(servers);

    for (int i = 0; i < servers.size(); i++) {
      ObServer server = servers.get(i);
      StopReport report = reports.get(i);
      assertThat(report.alreadyStopped()).isFalse();
      assertThat(report.pid()).isEqualTo(pids.get(i));
      assertThat(report.signal()).isEqualTo("SIGKILL");
      assertThat(report.releasedAfterMillis()).isBetween(0L, 5_000L);
      assertThat(Sandbox.isAlive(pids.get(i))).isFalse();
      assertThat(sandbox.isListening(server, server.mysqlPort())).isFalse();
      assertThat(sandbox.isListening(server, server.rpcPort())).isFalse();
      assertThat(Files.exists(sandbox.pidFile(server))).isFalse();
    }

    for (StopReport again : stopAll(servers)) {
      assertThat(again.alreadyStopped()).isTrue();
      assertThat(again.pid()).isZero();
      assertThat(again.signal()).isEqualTo("none");
    }
  }

  @Test
  void stopLogsWhatHappenedAndAlreadyStoppedOnTheSecondRun() throws Exception {
    ObServer server = sandbox.servers().get(0);
    RecordingLog first = new RecordingLog();
    control.stop(server, first);
    RecordingLog second = new RecordingLog();
    control.stop(server, second);

    assertThat(first.text()).contains("sent SIGKILL to observer pid").contains("removed pid file");
    assertThat(second.text()).contains("already stopped");
  }

  @Test
  void inspectTellsARunningObserverFromAStoppedOne() throws Exception {
    ObServer server = sandbox.servers().get(1);
    long pid = sandbox.runningObserverPid(server).orElseThrow();

    ObserverState running = control.inspect(server, new RecordingLog());
    control.stop(server, new RecordingLog());
    RecordingLog log = new RecordingLog();
    ObserverState stopped = control.inspect(server, log);

    assertThat(running).isEqualTo(new ObserverState(true, pid, running.detail()));
    assertThat(running.detail()).contains("port 2881 held", "port 2882 held");
    assertThat(stopped.running()).isFalse();
    assertThat(stopped.pid()).isZero();
    assertThat(stopped.detail()).contains("no pid file");
    assertThat(log.text()).contains("not running");
  }

  @Test
  void stopWaitsForTheDelayedExitOfAGracefullyStoppedObserver() throws Exception {
    try (Sandbox slow =
            Sandbox.builder()
                .zones(1)
                .serversPerZone(1)
                .observerExitDelay(Duration.ofMillis(400))
                .start();
        SshRemoteShell slowShell =
            new SshRemoteShell(
                SshSettings.strict(
                    SshIdentity.fromFile(slow.clientPrivateKey(), null), slow.knownHosts()))) {
      ObServer server = slow.servers().get(0);
      long pid = slow.runningObserverPid(server).orElseThrow();
      var graceful =
          new SshObserverProcessControl(
              slowShell,
              TestSettings.fast()
                  .withSignal(ObserverControlSettings.StopSignal.GRACEFUL)
                  .withGracefulTimeout(Duration.ofSeconds(5)));

      StopReport report = graceful.stop(server, new RecordingLog());

      assertThat(report.signal()).isEqualTo("SIGTERM");
      assertThat(report.pid()).isEqualTo(pid);
      assertThat(report.releasedAfterMillis()).isGreaterThanOrEqualTo(350L);
      assertThat(Sandbox.isAlive(pid)).isFalse();
      assertThat(slow.isListening(server, 2881)).isFalse();
    }
  }

  private List<StopReport> stopAll(List<ObServer> servers) throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(servers.size());
    try {
      List<Future<StopReport>> futures = new ArrayList<>();
      for (ObServer server : servers) {
        futures.add(pool.submit(() -> control.stop(server, new RecordingLog())));
      }
      List<StopReport> reports = new ArrayList<>();
      for (Future<StopReport> f : futures) {
        reports.add(f.get());
      }
      return reports;
    } finally {
      pool.shutdownNow();
    }
  }
}
