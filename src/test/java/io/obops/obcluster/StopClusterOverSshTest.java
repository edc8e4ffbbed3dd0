package io.obops.obcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.chat.TaskGraphImage;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObClusterStatus;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObServerStatus;
import io.obops.cluster.ObZoneStatus;
import io.obops.ocp.TaskView;
import io.obops.remote.ObserverControlSettings;
import io.obops.remote.ObserverControlSettings.StopSignal;
import io.obops.remote.SshIdentity;
import io.obops.remote.SshObserverProcessControl;
import io.obops.remote.SshRemoteShell;
import io.obops.remote.SshSettings;
import io.obops.sandbox.Sandbox;
import io.obops.sandbox.Sandbox.ObserverBehaviour;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskLog;
import io.obops.task.SubtaskStatus;
import io.obops.task.SubtaskTarget;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import io.obops.testsupport.OcpSample;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * "Stop OB cluster" end to end: the engine on PostgreSQL, real SSH to the sandbox's hosts, real
 * observer processes. Faults end in a FAILED subtask with a clear message, harm nothing else, and
 * retrying the failed subtask after the fix completes the task.
 */
class StopClusterOverSshTest {

  private final List<AutoCloseable> closing = new ArrayList<>();
  private Sandbox sandbox;
  private StopClusterFixture fx;
  private final Switchable control = new Switchable();

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private void start(int zones, int serversPerZone, boolean startObservers) {
    sandbox =
        Sandbox.builder()
            .zones(zones)
            .serversPerZone(serversPerZone)
            .observerExitDelay(Duration.ofMillis(300))
            .startObservers(startObservers)
            .start();
    closing.add(sandbox);
    control.use(ssh(sandbox.clientPrivateKey(), settings()));
    fx = new StopClusterFixture(control);
    closing.add(fx);
    fx.inventory.sync(List.of(sandbox.clusterSpec(1, "sandbox")));
  }

  private static ObserverControlSettings settings() {
    return ObserverControlSettings.defaults()
        .withReleaseTimeout(Duration.ofSeconds(3))
        .withPollInterval(Duration.ofMillis(50))
        .withCommandTimeout(Duration.ofSeconds(20));
  }

  private SshObserverProcessControl ssh(Path key, ObserverControlSettings settings) {
    SshRemoteShell shell;
    try {
      shell =
          new SshRemoteShell(
              SshSettings.strict(SshIdentity.fromFile(key, null), sandbox.knownHosts())
                  .withConnectTimeout(Duration.ofSeconds(3)));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    closing.add(shell);
    return new SshObserverProcessControl(shell, settings);
  }

  private TaskInstance stopAndRun() {
    TaskInstance task = fx.service.start(1, StopClusterFixture.ADMIN);
    fx.engine.runUntilIdle();
    return fx.tasks.find(task.id()).orElseThrow();
  }

  private List<ObServer> servers() {
    return sandbox.servers();
  }

  private void assertAllStopped(TaskInstance task) {
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(task.subtasks()).allMatch(s -> s.status() == SubtaskStatus.SUCCESSFUL);
    for (ObServer s : servers()) {
      assertThat(sandbox.isObserverRunning(s)).as(s.ip()).isFalse();
      assertThat(sandbox.isListening(s, s.mysqlPort())).as(s.ip()).isFalse();
      assertThat(sandbox.isListening(s, s.rpcPort())).as(s.ip()).isFalse();
      assertThat(Files.exists(sandbox.pidFile(s))).as(s.ip()).isFalse();
    }
    ObCluster cluster = fx.inventory.find(1).orElseThrow();
    assertThat(cluster.status()).isEqualTo(ObClusterStatus.STOPPED);
    assertThat(cluster.operationTaskId()).isNull();
    assertThat(cluster.zones()).allMatch(z -> z.status() == ObZoneStatus.STOPPED);
    assertThat(cluster.servers()).allMatch(s -> s.status() == ObServerStatus.PROCESS_STOPPED);
  }

  private static SubtaskInstance onlyFailed(TaskInstance task) {
    List<SubtaskInstance> failed =
        task.subtasks().stream().filter(s -> s.status() == SubtaskStatus.FAILED).toList();
    assertThat(failed).hasSize(1);
    return failed.get(0);
  }

  private TaskInstance retry(TaskInstance task, SubtaskInstance failed) {
    fx.tasks.retrySubtask(task.id(), failed.id(), "web:bob");
    fx.engine.runUntilIdle();
    return fx.tasks.find(task.id()).orElseThrow();
  }

  @Test
  void stoppingAThreeZoneTwoServerClusterStopsEveryObserverAndMovesEveryStatus() throws Exception {
    start(3, 2, true);

    TaskInstance task = stopAndRun();

    assertThat(task.subtasks()).hasSize(30);
    assertAllStopped(task);
    OcpSample.assertSameShape(
        OcpSample.JSON.valueToTree(TaskView.of(task, ZoneOffset.ofHours(8))),
        OcpSample.stopClusterResponse().get("data"),
        "$.data");
    // The picture has one row per stage (7, Wait nodes left out), one box per zone in a row.
    BufferedImage picture =
        ImageIO.read(new ByteArrayInputStream(TaskGraphImage.png(task, Map.of())));
    assertThat(picture.getWidth()).isLessThan(1200);
    assertThat(picture.getHeight()).isBetween(7 * 46, 800);
    for (SubtaskInstance s : task.subtasks()) {
      if (s.name().equals("Stop observer process")) {
        assertThat(fx.tasks.log(task.id(), s.id()))
            .anyMatch(
                l ->
                    l.matches(
                        "observer on 127\\.[0-9.]+ stopped: pid \\d+ killed \\(SIGKILL\\), ports"
                            + " released in \\d+\\.\\d s"));
      }
    }
  }

  @Test
  void eachStopRecordsATypedMilestoneWithTheSubtaskThatTargetsItsServer() {
    start(1, 2, false);
    ObServer running = servers().get(0);
    ObServer stopped = servers().get(1);
    long pid = sandbox.startObserver(running);

    TaskInstance task = stopAndRun();

    assertAllStopped(task);
    Map<Long, SubtaskInstance> stops = new HashMap<>();
    task.subtasks().stream()
        .filter(s -> s.name().equals("Stop observer process"))
        .forEach(s -> stops.put(s.id(), s));
    List<ObserverStopped> milestones =
        fx.tasks.milestones(task.id()).stream()
            .map(
                m -> {
                  // recorded by the subtask whose stored target is the server it stopped
                  ObserverStopped o = ObserverStopped.from(m).orElseThrow();
                  assertThat(stops.get(m.subtaskId()).target())
                      .isEqualTo(new SubtaskTarget("server_ids", String.valueOf(o.serverId())));
                  return o;
                })
            .toList();
    assertThat(milestones).extracting(ObserverStopped::serverId).hasSize(2);
    ObserverStopped first =
        milestones.stream().filter(o -> o.serverId() == running.id()).findFirst().orElseThrow();
    assertThat(first.ip()).isEqualTo(running.ip());
    assertThat(first.zone()).isEqualTo(running.zoneName());
    assertThat(first.alreadyStopped()).isFalse();
    assertThat(first.pid()).isEqualTo(pid);
    assertThat(first.signal()).isEqualTo("SIGKILL");
    assertThat(first.releasedAfterMillis()).isNotNegative();
    ObserverStopped second =
        milestones.stream().filter(o -> o.serverId() == stopped.id()).findFirst().orElseThrow();
    assertThat(second.alreadyStopped()).isTrue();
    assertThat(second.ip()).isEqualTo(stopped.ip());
  }

  @Test
  void anUnreachableHostFailsItsSubtaskAndARetryAfterItIsBackCompletesTheStop() {
    start(1, 2, true);
    ObServer victim = servers().get(0);
    sandbox.stopSshServer(victim);

    TaskInstance task = stopAndRun();

    SubtaskInstance failed = onlyFailed(task);
    assertThat(failed.name()).isEqualTo("Prepare stop observer");
    assertThat(failed.errorMessage()).contains("cannot reach").contains(victim.ip());
    assertThat(sandbox.isObserverRunning(victim)).isTrue();
    assertThat(sandbox.isObserverRunning(servers().get(1))).isTrue();

    sandbox.startSshServer(victim);
    assertAllStopped(retry(task, failed));
  }

  @Test
  void aWrongClientKeyFailsAndARetryWithTheRightKeyCompletesTheStop() {
    start(1, 2, true);
    control.use(ssh(sandbox.writeUnauthorizedClientKey(), settings()));

    TaskInstance task = stopAndRun();

    assertThat(
            task.subtasks().stream()
                .filter(s -> s.status() == SubtaskStatus.FAILED)
                .map(SubtaskInstance::errorMessage))
        .hasSize(2)
        .allMatch(m -> m.contains("authentication") || m.contains("refused the key"));
    assertThat(servers()).allMatch(sandbox::isObserverRunning);

    control.use(ssh(sandbox.clientPrivateKey(), settings()));
    fx.tasks.retryTask(task.id(), "web:bob");
    fx.engine.runUntilIdle();
    assertAllStopped(fx.tasks.find(task.id()).orElseThrow());
  }

  @Test
  void aChangedHostKeyFailsNamingTheFingerprintAndARetryAfterItIsTrustedCompletesTheStop() {
    start(1, 2, true);
    ObServer victim = servers().get(0);
    String fingerprint = sandbox.regenerateHostKey(victim);

    TaskInstance task = stopAndRun();

    SubtaskInstance failed = onlyFailed(task);
    assertThat(failed.errorMessage()).contains(victim.ip()).contains(fingerprint);
    assertThat(sandbox.isObserverRunning(victim)).isTrue();

    sandbox.trustCurrentHostKeys();
    assertAllStopped(retry(task, failed));
  }

  @Test
  void aStalePidFileNamingAnotherLiveProcessNeverGetsThatProcessSignalled() {
    start(1, 2, true);
    ObServer victim = servers().get(0);
    long foreign = sandbox.replacePidFileWithForeignProcess(victim);

    TaskInstance task = stopAndRun();

    SubtaskInstance failed = onlyFailed(task);
    assertThat(failed.errorMessage()).contains(String.valueOf(foreign));
    assertThat(Sandbox.isAlive(foreign)).isTrue();
    assertThat(sandbox.isObserverRunning(victim)).isTrue();

    sandbox.restorePidFile(victim);
    assertAllStopped(retry(task, failed));
    assertThat(Sandbox.isAlive(foreign)).isTrue();
  }

  @Test
  void inGracefulModeAnObserverThatIgnoresSigtermIsKilledAfterTheTimeout() {
    start(1, 2, false);
    ObServer stubborn = servers().get(0);
    sandbox.startObserver(stubborn, ObserverBehaviour.IGNORES_SIGTERM);
    sandbox.startObserver(servers().get(1));
    control.use(
        ssh(
            sandbox.clientPrivateKey(),
            settings().withSignal(StopSignal.GRACEFUL).withGracefulTimeout(Duration.ofSeconds(1))));

    TaskInstance task = stopAndRun();

    assertAllStopped(task);
    SubtaskInstance stop =
        task.subtasks().stream()
            .filter(s -> s.name().equals("Stop observer process") && s.parallelIdx() == 0)
            .findFirst()
            .orElseThrow();
    assertThat(String.join("\n", fx.tasks.log(task.id(), stop.id()))).contains("SIGKILL");
  }

  @Test
  void aPortHeldByAnotherProcessFailsAsNotReleasedAndARetryAfterItIsFreedCompletesTheStop()
      throws Exception {
    start(1, 2, true);
    ObServer victim = servers().get(0);
    Sandbox.PortHolder holder = sandbox.holdPort(victim, victim.mysqlPort());

    TaskInstance task = stopAndRun();

    SubtaskInstance failed = onlyFailed(task);
    assertThat(failed.name()).isEqualTo("Stop observer process");
    assertThat(failed.errorMessage())
        .contains("port " + victim.mysqlPort() + " not released on " + victim.ip());
    assertThat(holder.isAlive()).isTrue();
    assertThat(sandbox.isObserverRunning(servers().get(1))).isFalse();

    holder.close();
    assertAllStopped(retry(task, failed));
  }

  /** Lets a test swap the SSH identity or settings, as an operator fixing configuration would. */
  private static final class Switchable implements ObserverProcessControl {
    private volatile ObserverProcessControl delegate;

    void use(ObserverProcessControl next) {
      delegate = next;
    }

    @Override
    public ObserverState inspect(ObServer server, SubtaskLog log) throws Exception {
      return delegate.inspect(server, log);
    }

    @Override
    public StopReport stop(ObServer server, SubtaskLog log) throws Exception {
      return delegate.stop(server, log);
    }

    @Override
    public StartReport start(ObServer server, SubtaskLog log) throws Exception {
      return delegate.start(server, log);
    }
  }
}
