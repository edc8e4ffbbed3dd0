package io.obops.obcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.cluster.ObServer;
import io.obops.cluster.ObServerStatus;
import io.obops.remote.ObserverControlSettings;
import io.obops.remote.SshIdentity;
import io.obops.remote.SshObserverProcessControl;
import io.obops.remote.SshRemoteShell;
import io.obops.remote.SshSettings;
import io.obops.sandbox.Sandbox;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskLog;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskEngine;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The embedded default killed with -9 after "Stop observer process" killed the observers and before
 * that was recorded (so before "Update observer status"), then restarted on the same sandbox folder
 * and database: the restart starts no observer under the stop, the re-run of "Stop observer
 * process" finds them stopped, and every server ends PROCESS_STOPPED with its ports free.
 */
class StopAcrossAKill9Test {

  @TempDir Path dir;
  private final List<AutoCloseable> closing = new ArrayList<>();

  @AfterEach
  void cleanUp() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private Sandbox sandbox() {
    Sandbox sandbox =
        Sandbox.builder()
            .zones(1)
            .serversPerZone(2)
            .baseDir(dir.resolve("sandbox"))
            .startObservers(false)
            .start();
    closing.add(sandbox);
    return sandbox;
  }

  private SshObserverProcessControl ssh(Sandbox sandbox) throws Exception {
    SshRemoteShell shell =
        new SshRemoteShell(
            SshSettings.strict(
                SshIdentity.fromFile(sandbox.clientPrivateKey(), null), sandbox.knownHosts()));
    closing.add(shell);
    return new SshObserverProcessControl(
        shell,
        ObserverControlSettings.defaults()
            .withReleaseTimeout(Duration.ofSeconds(5))
            .withPollInterval(Duration.ofMillis(50)));
  }

  /** Stops for real, then hangs: the process dies before the stop is recorded. */
  private static final class DiesAfterTheKill implements ObserverProcessControl {
    private final ObserverProcessControl real;
    final CountDownLatch stopped;
    private final CountDownLatch never = new CountDownLatch(1);

    DiesAfterTheKill(ObserverProcessControl real, int servers) {
      this.real = real;
      this.stopped = new CountDownLatch(servers);
    }

    @Override
    public ObserverState inspect(ObServer server, SubtaskLog log) throws Exception {
      return real.inspect(server, log);
    }

    @Override
    public StopReport stop(ObServer server, SubtaskLog log) throws Exception {
      real.stop(server, log);
      stopped.countDown();
      never.await(); // kill -9 here: nothing after this line ever happens
      throw new IllegalStateException("unreachable");
    }

    @Override
    public StartReport start(ObServer server, SubtaskLog log) throws Exception {
      return real.start(server, log);
    }
  }

  @Test
  void theRestartLeavesTheStoppedObserversStoppedAndTheStopEndsConsistent() throws Exception {
    Sandbox first = sandbox();
    DiesAfterTheKill dying = new DiesAfterTheKill(ssh(first), 2);
    StopClusterFixture fx = new StopClusterFixture(dying);
    closing.add(fx);
    fx.inventory.sync(List.of(first.clusterSpec(1, "demo")));
    first.resume(s -> fx.inventory.server(s.id()).orElseThrow().status());
    assertThat(first.servers()).allMatch(first::isObserverRunning);

    TaskInstance task = fx.service.start(1, StopClusterFixture.ADMIN);
    Thread doomed = new Thread(fx.engine::runUntilIdle, "doomed-instance");
    doomed.setDaemon(true);
    doomed.start();
    assertThat(dying.stopped.await(60, TimeUnit.SECONDS)).isTrue();
    doomed.interrupt(); // kill -9: the dead instance claims nothing more ...
    doomed.join();
    first.crash(); // ... its SSH servers are gone, its subtasks left RUNNING

    Sandbox second = sandbox();
    second.resume(s -> fx.inventory.server(s.id()).orElseThrow().status());
    for (ObServer s : second.servers()) {
      assertThat(fx.inventory.server(s.id()).orElseThrow().status())
          .isEqualTo(ObServerStatus.PROCESS_STOPPING);
      assertThat(second.observerProcesses(s)).as(s.ip()).isEmpty();
    }

    TaskEngine restarted =
        new TaskEngine(
            new TransactionAwareDataSourceProxy(fx.dataSource),
            fx.clock,
            TaskEngine.Settings.defaults("restarted"),
            new StopClusterHandlers(fx.inventory, fx.approved, ssh(second)).all());
    closing.add(() -> restarted.shutdown(Duration.ofSeconds(5)));
    fx.clock.advance(Duration.ofMinutes(1)); // the dead instance's subtasks are taken over
    assertThat(restarted.reapDeadExecutions()).isEqualTo(2);
    restarted.runUntilIdle();

    TaskInstance done = restarted.client().find(task.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    for (SubtaskInstance s : done.subtasks()) {
      if (s.name().equals("Stop observer process")) {
        assertThat(s.status()).isEqualTo(SubtaskStatus.SUCCESSFUL);
        assertThat(restarted.client().log(task.id(), s.id()))
            .anyMatch(l -> l.endsWith("already stopped"));
      }
    }
    for (ObServer s : second.servers()) {
      assertThat(fx.inventory.server(s.id()).orElseThrow().status())
          .isEqualTo(ObServerStatus.PROCESS_STOPPED);
      assertThat(second.observerProcesses(s)).isEmpty();
      assertThat(second.isListening(s, s.mysqlPort())).isFalse();
      assertThat(second.isListening(s, s.rpcPort())).isFalse();
    }
  }
}
