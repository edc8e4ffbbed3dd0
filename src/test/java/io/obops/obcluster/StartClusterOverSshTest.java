package io.obops.obcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.cluster.ObCluster;
import io.obops.cluster.ObClusterStatus;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObServerStatus;
import io.obops.cluster.ObZoneStatus;
import io.obops.remote.ObserverControlSettings;
import io.obops.remote.SshIdentity;
import io.obops.remote.SshObserverProcessControl;
import io.obops.remote.SshRemoteShell;
import io.obops.remote.SshSettings;
import io.obops.sandbox.Sandbox;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * "Start OB cluster" end to end, the way back after a stop: the engine on PostgreSQL, real SSH to
 * the sandbox's hosts, real observer processes started as obd starts them. Each fault ends in a
 * FAILED subtask whose message says what to do; retrying after the fix completes the task.
 */
class StartClusterOverSshTest {

  private final List<AutoCloseable> closing = new ArrayList<>();
  private Sandbox sandbox;
  private StopClusterFixture fx;

  @AfterEach
  void close() throws Exception {
    for (int i = closing.size() - 1; i >= 0; i--) {
      closing.get(i).close();
    }
  }

  private void sandbox(int zones, int serversPerZone) throws Exception {
    sandbox(zones, serversPerZone, Duration.ofSeconds(10));
  }

  private void sandbox(int zones, int serversPerZone, Duration startTimeout) throws Exception {
    sandbox = Sandbox.builder().zones(zones).serversPerZone(serversPerZone).start();
    closing.add(sandbox);
    SshRemoteShell shell =
        new SshRemoteShell(
            SshSettings.strict(
                    SshIdentity.fromFile(sandbox.clientPrivateKey(), null), sandbox.knownHosts())
                .withConnectTimeout(Duration.ofSeconds(3)));
    closing.add(shell);
    fx =
        new StopClusterFixture(
            new SshObserverProcessControl(
                shell,
                ObserverControlSettings.defaults()
                    .withReleaseTimeout(Duration.ofSeconds(5))
                    .withPollInterval(Duration.ofMillis(50))
                    .withCommandTimeout(Duration.ofSeconds(20))
                    .withStartTimeout(startTimeout)));
    closing.add(fx);
    fx.inventory.sync(List.of(sandbox.clusterSpec(1, "sandbox")));
  }

  private TaskInstance stop() {
    TaskInstance task = fx.service.start(1, StopClusterFixture.ADMIN);
    fx.engine.runUntilIdle();
    return fx.tasks.find(task.id()).orElseThrow();
  }

  private TaskInstance start() {
    TaskInstance task = fx.startService.start(1, StopClusterFixture.ADMIN);
    fx.engine.runUntilIdle();
    return fx.tasks.find(task.id()).orElseThrow();
  }

  private void assertAllRunning(TaskInstance task) {
    assertThat(task.name()).isEqualTo("Start OB cluster");
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    for (ObServer s : sandbox.servers()) {
      assertThat(sandbox.isObserverRunning(s)).as(s.ip()).isTrue();
      assertThat(sandbox.observerProcesses(s)).as(s.ip()).hasSize(1);
      assertThat(sandbox.isListening(s, s.mysqlPort())).as(s.ip()).isTrue();
      assertThat(sandbox.isListening(s, s.rpcPort())).as(s.ip()).isTrue();
    }
    ObCluster cluster = fx.inventory.find(1).orElseThrow();
    assertThat(cluster.status()).isEqualTo(ObClusterStatus.RUNNING);
    assertThat(cluster.operationTaskId()).isNull();
    assertThat(cluster.zones()).allMatch(z -> z.status() == ObZoneStatus.RUNNING);
    assertThat(cluster.servers()).allMatch(s -> s.status() == ObServerStatus.RUNNING);
  }

  private static SubtaskInstance onlyFailed(TaskInstance task) {
    List<SubtaskInstance> failed =
        task.subtasks().stream().filter(s -> s.status() == SubtaskStatus.FAILED).toList();
    assertThat(failed).hasSize(1);
    return failed.get(0);
  }

  @Test
  void aStoppedClusterStartsOverSshWithEveryPortListeningAndStopsAgain() throws Exception {
    sandbox(3, 2);
    assertThat(stop().status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(sandbox.servers()).noneMatch(sandbox::isObserverRunning);

    TaskInstance started = start();

    assertThat(started.subtasks()).hasSize(30);
    assertThat(started.context().string("cluster_name")).isEqualTo("sandbox");
    assertThat(started.context().string("cluster_id")).isEqualTo("1");
    assertThat(started.context().list("server_ids")).hasSize(6);
    assertThat(started.context().list("zone_names")).containsExactly("zone1", "zone2", "zone3");
    assertAllRunning(started);
    List<ObserverStarted> milestones =
        fx.tasks.milestones(started.id()).stream()
            .flatMap(m -> ObserverStarted.from(m).stream())
            .toList();
    assertThat(milestones).hasSize(6).noneMatch(ObserverStarted::alreadyRunning);
    for (ObserverStarted m : milestones) {
      ObServer s = sandbox.servers().get((int) m.serverId() - 1);
      assertThat(m.pid()).isEqualTo(sandbox.runningObserverPid(s).orElseThrow());
      assertThat(Files.readString(sandbox.pidFile(s)).strip()).isEqualTo(String.valueOf(m.pid()));
    }
    for (SubtaskInstance s : started.subtasks()) {
      if (s.name().equals("Start observer process")) {
        assertThat(fx.tasks.log(started.id(), s.id()))
            .anyMatch(l -> l.contains("LD_LIBRARY_PATH=") && l.endsWith("/bin/observer -p 2881"))
            .anyMatch(
                l ->
                    l.matches(
                        "observer on 127\\.[0-9.]+ started: pid \\d+, alive and listening on 2881"
                            + " and 2882 in \\d+\\.\\d s"));
      }
    }

    TaskInstance again = stop();
    assertThat(again.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(sandbox.servers()).noneMatch(sandbox::isObserverRunning);
    assertThat(fx.inventory.find(1).orElseThrow().status()).isEqualTo(ObClusterStatus.STOPPED);
  }

  @Test
  void aServerWhoseVerifiedObserverAlreadyRunsIsLeftAlone() throws Exception {
    sandbox(1, 2);
    stop();
    ObServer early = sandbox.servers().get(0);
    long pid = sandbox.startObserver(early);

    TaskInstance started = start();

    assertAllRunning(started);
    assertThat(sandbox.runningObserverPid(early)).hasValue(pid);
    assertThat(
            fx.tasks.milestones(started.id()).stream()
                .flatMap(m -> ObserverStarted.from(m).stream())
                .filter(ObserverStarted::alreadyRunning))
        .singleElement()
        .satisfies(m -> assertThat(m.serverId()).isEqualTo(early.id()));
  }

  /** A fault on the first server, what its failure says, and the fix. */
  record Fault(String name, Consumer<Ctx> apply, String message, Consumer<Ctx> fix) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** What a fault acts on. */
  record Ctx(Sandbox sandbox, ObServer server, List<AutoCloseable> held) {
    Path binary() {
      return Path.of(server.homePath(), "bin", "observer");
    }
  }

  static Stream<Arguments> faults() {
    return Stream.of(
        Arguments.of(
            new Fault(
                "host unreachable",
                c -> c.sandbox().stopSshServer(c.server()),
                "cannot reach",
                c -> c.sandbox().startSshServer(c.server()))),
        Arguments.of(
            new Fault(
                "bin/observer missing",
                c -> move(c.binary(), c.binary().resolveSibling("observer.moved")),
                "/bin/observer is missing on",
                c -> move(c.binary().resolveSibling("observer.moved"), c.binary()))),
        Arguments.of(
            new Fault(
                "bin/observer not executable",
                c -> chmod(c.binary(), "rw-r--r--"),
                "is not executable by",
                c -> chmod(c.binary(), "rwxr-xr-x"))),
        Arguments.of(
            new Fault(
                "a port held by another process",
                c -> c.held().add(c.sandbox().holdPort(c.server(), c.server().rpcPort())),
                "port 2882 on",
                c -> closeAll(c.held()))),
        Arguments.of(
            new Fault(
                "the process exits at once",
                c -> c.sandbox().damageObserverConfig(c.server()),
                "exited right after it was started; log/observer.log ends: ",
                c -> c.sandbox().restoreObserverConfig(c.server()))));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("faults")
  void aFaultFailsOneSubtaskWithWhatToDoAndARetryAfterTheFixCompletesTheStart(Fault fault)
      throws Exception {
    sandbox(1, 2);
    stop();
    Ctx ctx = new Ctx(sandbox, sandbox.servers().get(0), new ArrayList<>());
    closing.add(() -> closeAll(ctx.held()));
    fault.apply().accept(ctx);

    TaskInstance failed = start();

    assertThat(failed.status()).isEqualTo(TaskStatus.FAILED);
    SubtaskInstance bad = onlyFailed(failed);
    assertThat(bad.target().value()).isEqualTo(String.valueOf(ctx.server().id()));
    assertThat(bad.errorMessage()).contains(ctx.server().ip()).contains(fault.message());
    assertThat(fx.inventory.find(1).orElseThrow().operationTaskId()).isEqualTo(failed.id());
    if (fault.name().equals("the process exits at once")) {
      assertThat(bad.errorMessage()).contains("cannot parse etc/observer.config.bin");
    }

    fault.fix().accept(ctx);
    fx.tasks.retrySubtask(failed.id(), bad.id(), "web:alice");
    fx.engine.runUntilIdle();

    assertAllRunning(fx.tasks.find(failed.id()).orElseThrow());
  }

  @Test
  void theStartWaitsForAnObserverThatReplaysItsLogBeforeItListens() throws Exception {
    sandbox(1, 1);
    stop();
    ObServer slow = sandbox.servers().get(0);
    sandbox.slowObserverStart(slow, Duration.ofMillis(1500));

    TaskInstance started = start();

    assertAllRunning(started);
    assertThat(
            fx.tasks.milestones(started.id()).stream()
                .flatMap(m -> ObserverStarted.from(m).stream()))
        .singleElement()
        .satisfies(m -> assertThat(m.readyAfterMillis()).isGreaterThanOrEqualTo(1500));
  }

  @Test
  void anObserverNotListeningWithinTheStartTimeoutFailsSayingSoAndARetryAfterTheFixCompletes()
      throws Exception {
    sandbox(1, 1, Duration.ofSeconds(1));
    stop();
    ObServer stuck = sandbox.servers().get(0);
    sandbox.slowObserverStart(stuck, Duration.ofMinutes(10));

    TaskInstance failed = start();

    SubtaskInstance bad = onlyFailed(failed);
    assertThat(bad.name()).isEqualTo("Start observer process");
    assertThat(bad.errorMessage())
        .contains(
            "is alive but ports 2881 and 2882 were not both listening within 1000 ms",
            "raise obops.remote.start-timeout");
    List<Long> replaying = sandbox.observerProcesses(stuck);
    assertThat(replaying).hasSize(1);

    sandbox.restoreObserverConfig(stuck); // the fix: a healthy observer, started again
    ProcessHandle replayer = ProcessHandle.of(replaying.get(0)).orElseThrow();
    replayer.destroyForcibly();
    replayer.onExit().get();
    fx.tasks.retrySubtask(failed.id(), bad.id(), "web:alice");
    fx.engine.runUntilIdle();

    assertAllRunning(fx.tasks.find(failed.id()).orElseThrow());
  }

  @Test
  void aSkippedFailedStartCompletesTheTaskAndLeavesThatObserverDown() throws Exception {
    sandbox(1, 2);
    stop();
    ObServer broken = sandbox.servers().get(0);
    sandbox.damageObserverConfig(broken);
    TaskInstance failed = start();
    SubtaskInstance bad = onlyFailed(failed);
    assertThat(bad.name()).isEqualTo("Start observer process");

    fx.tasks.skipSubtask(failed.id(), bad.id(), "web:alice");
    fx.engine.runUntilIdle();

    TaskInstance done = fx.tasks.find(failed.id()).orElseThrow();
    assertThat(done.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(sandbox.isObserverRunning(broken)).isFalse();
    assertThat(sandbox.isObserverRunning(sandbox.servers().get(1))).isTrue();
    assertThat(fx.inventory.find(1).orElseThrow().operationTaskId()).isNull();
  }

  @Test
  void aRunningClusterCannotBeStartedAndAStoppedOneCannotBeStopped() throws Exception {
    sandbox(1, 1);
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> fx.startService.start(1, StopClusterFixture.ADMIN)))
        .hasMessageContaining("RUNNING");
    stop();
    assertThat(
            org.assertj.core.api.Assertions.catchThrowable(
                () -> fx.service.start(1, StopClusterFixture.ADMIN)))
        .hasMessageContaining("STOPPED");
  }

  private static void move(Path from, Path to) {
    try {
      Files.move(from, to);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void chmod(Path file, String perms) {
    try {
      Files.setPosixFilePermissions(file, PosixFilePermissions.fromString(perms));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  private static void closeAll(List<AutoCloseable> held) {
    for (AutoCloseable c : held) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
    held.clear();
  }
}
