package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.cluster.ObServer;
import io.obops.cluster.ObServerStatus;
import io.obops.obcluster.ObserverProcessControl.StartReport;
import io.obops.obcluster.ObserverProcessControl.StopReport;
import io.obops.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The sandbox after a kill -9 of the JVM that ran it (simulated by {@link Sandbox#crash()}: its SSH
 * servers go, its observer processes stay) and a restart on the same base directory: what runs is
 * adopted, never started twice, what is stale is removed, and stops work as before.
 */
class SandboxRestartTest {

  @TempDir Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();
  private final List<ProcessHandle> strays = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
    strays.forEach(ProcessHandle::destroyForcibly);
  }

  private Sandbox start() {
    Sandbox sandbox =
        Sandbox.builder()
            .zones(1)
            .serversPerZone(3)
            .baseDir(dir.resolve("sandbox"))
            .startObservers(false)
            .start();
    closing.add(sandbox);
    return sandbox;
  }

  private static ObServerStatus running(ObServer server) {
    return ObServerStatus.RUNNING;
  }

  private static void kill(long pid) throws Exception {
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroyForcibly();
    p.onExit().get(10, TimeUnit.SECONDS);
  }

  @Test
  void theRestartAdoptsEveryRunningObserverStartsNoSecondAndAStopThenReleasesThePorts()
      throws Exception {
    Sandbox first = start();
    first.resume(SandboxRestartTest::running);
    Map<Long, Long> before = new HashMap<>();
    first.servers().forEach(s -> before.put(s.id(), first.runningObserverPid(s).orElseThrow()));

    first.crash();
    Sandbox second = start();

    assertThat(second.resume(SandboxRestartTest::running)).isEmpty();
    for (ObServer s : second.servers()) {
      assertThat(second.observerProcesses(s)).as(s.ip()).containsExactly(before.get(s.id()));
      assertThat(second.runningObserverPid(s)).hasValue(before.get(s.id()));
      assertThat(Files.readString(second.pidFile(s)).strip())
          .isEqualTo(before.get(s.id()).toString());
    }

    SshRemoteShell shell =
        new SshRemoteShell(
            SshSettings.strict(
                SshIdentity.fromFile(second.clientPrivateKey(), null), second.knownHosts()));
    closing.add(shell);
    SshObserverProcessControl control = new SshObserverProcessControl(shell, TestSettings.fast());
    for (ObServer s : second.servers()) {
      StopReport report = control.stop(s, new RecordingLog());
      assertThat(report.alreadyStopped()).isFalse();
      assertThat(report.pid()).isEqualTo(before.get(s.id()));
      assertThat(second.observerProcesses(s)).isEmpty();
      assertThat(second.isListening(s, s.mysqlPort())).isFalse();
      assertThat(second.isListening(s, s.rpcPort())).isFalse();
    }
  }

  @Test
  void anObserverStartedOverSshIsAdoptedAfterARestartAndNeverStartedTwice() throws Exception {
    Sandbox first = start();
    first.resume(SandboxRestartTest::running);
    SshObserverProcessControl control = control(first);
    Map<Long, Long> started = new HashMap<>();
    for (ObServer s : first.servers()) {
      control.stop(s, new RecordingLog());
      StartReport report = control.start(s, new RecordingLog());
      assertThat(report.alreadyRunning()).isFalse();
      assertThat(first.runningObserverPid(s)).hasValue(report.pid());
      started.put(s.id(), report.pid());
    }

    first.crash();
    Sandbox second = start();

    assertThat(second.resume(SandboxRestartTest::running)).isEmpty();
    SshObserverProcessControl again = control(second);
    for (ObServer s : second.servers()) {
      assertThat(second.observerProcesses(s)).as(s.ip()).containsExactly(started.get(s.id()));
      StartReport report = again.start(s, new RecordingLog());
      assertThat(report.alreadyRunning()).isTrue();
      assertThat(report.pid()).isEqualTo(started.get(s.id()));
    }
  }

  private SshObserverProcessControl control(Sandbox sandbox) throws Exception {
    SshRemoteShell shell =
        new SshRemoteShell(
            SshSettings.strict(
                SshIdentity.fromFile(sandbox.clientPrivateKey(), null), sandbox.knownHosts()));
    closing.add(shell);
    return new SshObserverProcessControl(shell, TestSettings.fast());
  }

  @Test
  void aStalePidFileIsRemovedAndTheForeignProcessItNamesIsNeverTouched() throws Exception {
    Sandbox first = start();
    first.resume(SandboxRestartTest::running);
    ObServer dead = first.servers().get(0);
    ObServer foreign = first.servers().get(1);
    ObServer alive = first.servers().get(2);
    long alivePid = first.runningObserverPid(alive).orElseThrow();
    first.crash();
    kill(first.runningObserverPid(dead).orElseThrow()); // its pid file now names a dead pid
    kill(first.runningObserverPid(foreign).orElseThrow());
    Process sleeper = new ProcessBuilder("sleep", "1000").start();
    strays.add(sleeper.toHandle());
    first.writePidFile(foreign, sleeper.pid()); // names a live process that is no observer

    Sandbox second = start();

    assertThat(Files.exists(second.pidFile(dead))).isFalse();
    assertThat(Files.exists(second.pidFile(foreign))).isFalse();
    assertThat(sleeper.isAlive()).isTrue();
    assertThat(second.runningObserverPid(alive)).hasValue(alivePid);

    assertThat(second.resume(SandboxRestartTest::running))
        .extracting(ObServer::id)
        .containsExactlyInAnyOrder(dead.id(), foreign.id());
    for (ObServer s : second.servers()) {
      assertThat(second.observerProcesses(s)).as(s.ip()).hasSize(1);
    }
    assertThat(sleeper.isAlive()).isTrue();
  }

  @Test
  void aDuplicateObserverOfOneHomeIsKilledAndTheOneItsPidFileNamesIsKept() throws Exception {
    Sandbox first = start();
    first.resume(SandboxRestartTest::running);
    ObServer s = first.servers().get(0);
    long original = first.runningObserverPid(s).orElseThrow();
    first.crash();
    // what an older obops could leave behind: a second process running as this home's observer
    Process duplicate =
        new ProcessBuilder(
                "bash", "-c", "exec -a \"$0\" sleep 1000", s.homePath() + "/bin/observer")
            .start();
    strays.add(duplicate.toHandle());
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!first.observerProcesses(s).contains(duplicate.pid()) && System.nanoTime() < deadline) {
      Thread.sleep(10); // until bash has exec'd into the fake observer
    }
    assertThat(first.observerProcesses(s)).containsExactlyInAnyOrder(original, duplicate.pid());

    Sandbox second = start();

    assertThat(second.observerProcesses(s)).containsExactly(original);
    assertThat(duplicate.waitFor(10, TimeUnit.SECONDS)).isTrue();
    assertThat(second.runningObserverPid(s)).hasValue(original);
  }

  @Test
  void aSecondObserverOnTheSameAddressFailsLoudlyInsteadOfSharingThePorts() {
    Sandbox sandbox = start();
    sandbox.resume(SandboxRestartTest::running);
    ObServer s = sandbox.servers().get(0);
    long pid = sandbox.runningObserverPid(s).orElseThrow();

    assertThatThrownBy(() -> sandbox.startObserver(s))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("did not start")
        .hasMessageContaining("Address already in use");
    assertThat(sandbox.observerProcesses(s)).containsExactly(pid);
    assertThat(sandbox.runningObserverPid(s)).hasValue(pid);
  }

  @Test
  void aServerRecordedStoppedOrInTheMiddleOfAStopIsNotStartedAgain() throws Exception {
    Sandbox first = start();
    first.resume(SandboxRestartTest::running);
    first.crash();
    for (ObServer s : first.servers()) {
      kill(first.runningObserverPid(s).orElseThrow());
    }

    Sandbox second = start();
    Map<Long, ObServerStatus> recorded =
        Map.of(
            1L, ObServerStatus.PROCESS_STOPPED,
            2L, ObServerStatus.PROCESS_STOPPING,
            3L, ObServerStatus.RUNNING);

    assertThat(second.resume(s -> recorded.get(s.id())))
        .extracting(ObServer::id)
        .containsExactly(3L);
    assertThat(second.observerProcesses(second.servers().get(0))).isEmpty();
    assertThat(second.observerProcesses(second.servers().get(1))).isEmpty();
    assertThat(second.observerProcesses(second.servers().get(2))).hasSize(1);
  }
}
