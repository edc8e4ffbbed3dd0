package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.cluster.ObServer;
import io.obops.obcluster.ObserverProcessControl.StopReport;
import io.obops.remote.ObserverControlSettings.StopSignal;
import io.obops.sandbox.Sandbox;
import io.obops.sandbox.Sandbox.ObserverBehaviour;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * observer-control.sh kept running on each pooled connection: a host is asked to start one script
 * for many commands, and whatever happens to that script (it dies while idle, it is busy, the host
 * will not keep it running, it is switched off) each command still runs exactly once and answers
 * the same.
 */
class ServedScriptTest {

  private final AtomicLong nanos = new AtomicLong();
  private Sandbox sandbox;
  private SshRemoteShell shell;

  @AfterEach
  void tearDown() {
    if (shell != null) {
      shell.close();
    }
    if (sandbox != null) {
      sandbox.close();
    }
  }

  @Test
  void everyCommandOfAStopAndAStartRunsInTheOneScriptTheHostWasAskedToStart() throws Exception {
    ObServer server = start(Sandbox.builder().zones(1).serversPerZone(1), true);
    SshObserverProcessControl control = control(TestSettings.fast());
    long pid = sandbox.runningObserverPid(server).orElseThrow();

    assertThat(control.inspect(server, new RecordingLog()).pid()).isEqualTo(pid);
    StopReport stopped = control.stop(server, new RecordingLog());
    assertThat(control.inspect(server, new RecordingLog()).running()).isFalse();
    long restarted = control.start(server, new RecordingLog()).pid();
    assertThat(control.inspect(server, new RecordingLog()).pid()).isEqualTo(restarted);

    assertThat(stopped.pid()).isEqualTo(pid);
    assertThat(Sandbox.isAlive(pid)).isFalse();
    assertThat(sandbox.isObserverRunning(server)).isTrue();
    assertThat(sandbox.sshCommandsStarted(server)).isEqualTo(1);
    assertThat(sandbox.sshConnectionsAccepted(server)).isEqualTo(1);
  }

  @Test
  void aScriptThatDiedWhileIdleIsNoticedAndTheNextCommandStillRunsOnce() throws Exception {
    ObServer server = start(Sandbox.builder().zones(1).serversPerZone(1), true);
    SshObserverProcessControl control = control(TestSettings.fast());
    long pid = sandbox.runningObserverPid(server).orElseThrow();
    control.inspect(server, new RecordingLog());

    killServingScripts();
    nanos.addAndGet(Duration.ofSeconds(3).toNanos());
    StopReport report = control.stop(server, new RecordingLog());

    assertThat(report.pid()).isEqualTo(pid);
    assertThat(report.alreadyStopped()).isFalse();
    assertThat(Sandbox.isAlive(pid)).isFalse();
    assertThat(control.inspect(server, new RecordingLog()).running()).isFalse();
  }

  @Test
  void aSecondCommandOnTheSameHostWhileTheScriptIsBusyRunsInASessionOfItsOwn() throws Exception {
    ObServer server = start(Sandbox.builder().zones(1).serversPerZone(1), true);
    SshObserverProcessControl quick = control(TestSettings.fast());
    quick.inspect(server, new RecordingLog());
    long stubborn = restartIgnoringSigterm(server, quick);
    SshObserverProcessControl slow =
        control(
            TestSettings.fast()
                .withSignal(StopSignal.GRACEFUL)
                .withGracefulTimeout(Duration.ofMillis(1500)));

    CompletableFuture<StopReport> stop =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return slow.stop(server, new RecordingLog());
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    awaitWatcherOf(stubborn);
    var whileStopping = quick.inspect(server, new RecordingLog());

    assertThat(stop.isDone()).isFalse();
    assertThat(whileStopping.pid()).isEqualTo(stubborn);
    assertThat(stop.get(30, TimeUnit.SECONDS).signal()).isEqualTo("SIGTERM,SIGKILL");
    // the serving script (busy with the stop), and the inspection's own session
    assertThat(sandbox.sshCommandsStarted(server)).isEqualTo(2);
  }

  @Test
  void aHostThatWillNotKeepTheScriptRunningRunsEachCommandInASessionOfItsOwn() throws Exception {
    ObServer server =
        start(Sandbox.builder().zones(1).serversPerZone(1).commandsReadNoInput(true), true);
    SshObserverProcessControl control = control(TestSettings.fast());
    long pid = sandbox.runningObserverPid(server).orElseThrow();

    assertThat(control.inspect(server, new RecordingLog()).pid()).isEqualTo(pid);
    assertThat(control.stop(server, new RecordingLog()).pid()).isEqualTo(pid);
    assertThat(control.inspect(server, new RecordingLog()).running()).isFalse();

    assertThat(Sandbox.isAlive(pid)).isFalse();
    // one refused serving script, then one session per command, on the one connection
    assertThat(sandbox.sshCommandsStarted(server)).isEqualTo(4);
    assertThat(sandbox.sshConnectionsAccepted(server)).isEqualTo(1);
  }

  @Test
  void withScriptsNotKeptRunningEachCommandHasASessionOfItsOwn() throws Exception {
    ObServer server = start(Sandbox.builder().zones(1).serversPerZone(1), false);
    SshObserverProcessControl control = control(TestSettings.fast());

    control.inspect(server, new RecordingLog());
    control.stop(server, new RecordingLog());
    control.inspect(server, new RecordingLog());

    assertThat(sandbox.sshCommandsStarted(server)).isEqualTo(3);
  }

  private ObServer start(Sandbox.Builder builder, boolean keepScriptsRunning) throws Exception {
    sandbox = builder.start();
    shell =
        new SshRemoteShell(
            TestSettings.ssh(sandbox).withKeepScriptsRunning(keepScriptsRunning), nanos::get);
    return sandbox.servers().get(0);
  }

  private SshObserverProcessControl control(ObserverControlSettings settings) {
    return new SshObserverProcessControl(shell, settings);
  }

  private long restartIgnoringSigterm(ObServer server, SshObserverProcessControl control)
      throws Exception {
    control.stop(server, new RecordingLog());
    return sandbox.startObserver(server, ObserverBehaviour.IGNORES_SIGTERM);
  }

  /**
   * Waits until the stop watches the stubborn observer (its tail --pid runs on the host): the stop
   * then holds the host's serving script.
   */
  private static void awaitWatcherOf(long pid) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      boolean watching =
          ProcessHandle.current()
              .descendants()
              .anyMatch(
                  p ->
                      p.info()
                          .arguments()
                          .map(a -> List.of(a).contains("--pid=" + pid))
                          .orElse(false));
      if (watching) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the stop never started watching pid " + pid);
  }

  /** Kills every observer-control.sh this JVM's sandbox hosts keep running. */
  private static void killServingScripts() throws Exception {
    List<ProcessHandle> serving =
        ProcessHandle.current().descendants().filter(ServedScriptTest::isServing).toList();
    assertThat(serving).isNotEmpty();
    for (ProcessHandle p : serving) {
      p.destroyForcibly();
      p.onExit().get(10, TimeUnit.SECONDS);
    }
  }

  private static boolean isServing(ProcessHandle p) {
    try {
      String cmdline =
          java.nio.file.Files.readString(
              java.nio.file.Path.of("/proc", Long.toString(p.pid()), "cmdline"),
              java.nio.charset.StandardCharsets.ISO_8859_1);
      return cmdline.endsWith("\0obops-observer\0serve\0");
    } catch (java.io.IOException gone) {
      return false;
    }
  }
}
