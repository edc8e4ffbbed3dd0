package io.obops.task;

import static io.obops.task.EngineFixture.node;
import static io.obops.task.EngineFixture.servers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.testsupport.MutableClock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Several instances on one database: clocks that disagree (each engine reads the database's time
 * through a {@link DatabaseClock}), and an instance that restarts under the same name.
 */
class EngineInstancesTest {

  private final EngineFixture fx = new EngineFixture();

  @AfterEach
  void close() {
    fx.close();
  }

  /** Two JVM clocks a minute apart, each engine on the database's time over its own clock. */
  private final MutableClock slowJvm = MutableClock.at("2021-03-02T02:29:04.849Z");

  private final MutableClock fastJvm = MutableClock.at("2021-03-02T02:30:04.849Z");

  private TaskEngine engine(String name, MutableClock jvm, Map<String, SubtaskHandler> handlers) {
    return fx.engine(
        new TaskEngine.Settings(
            name,
            8,
            Duration.ofMillis(50),
            Duration.ofMillis(200),
            Duration.ofSeconds(10),
            Duration.ofSeconds(5)),
        new DatabaseClock(jvm, fx.dataSource),
        handlers);
  }

  @Test
  void theReaperOfAnInstanceAMinuteAheadLeavesTheLiveSubtasksOfTheOtherAlone() throws Exception {
    var release = new CountDownLatch(1);
    var held = new CountDownLatch(3);
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    TaskEngine slow =
        engine(
            "slow",
            slowJvm,
            Map.of(
                "stop",
                e -> {
                  runs.computeIfAbsent(e.subtaskId(), k -> new AtomicInteger()).incrementAndGet();
                  held.countDown();
                  release.await();
                }));
    TaskEngine fast =
        engine(
            "fast",
            fastJvm,
            Map.of(
                "stop",
                e ->
                    runs.computeIfAbsent(e.subtaskId(), k -> new AtomicInteger())
                        .incrementAndGet()));
    long id =
        slow.client()
            .submit(
                TaskTemplate.builder("T").andThen(node("stop", "stop"), "server_ids").build(),
                servers(3),
                EngineFixture.ADMIN,
                null);
    Thread worker = new Thread(slow::runUntilIdle);
    worker.start();
    assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

    // Without the database's clock, the fast instance's deadline (its now - 10 s) would be 50 s
    // past the slow one's heartbeats, and it would take all three and stop them a second time.
    slow.heartbeat();
    for (int i = 0; i < 3; i++) {
      assertThat(fast.reapDeadExecutions()).isZero();
      fast.runHousekeeping();
      assertThat(fast.runUntilIdle()).isZero();
    }
    release.countDown();
    worker.join(30_000);

    TaskInstance task = fast.client().find(id).orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(task.subtasks()).allMatch(s -> s.executor().equals(slow.executor()));
    assertThat(runs).hasSize(3);
    assertThat(runs.values()).allMatch(n -> n.get() == 1);
  }

  /**
   * Under load an instance's own heartbeat may reach the database late; its reaper must not take
   * back what its own workers are running (they would run it again beside the first run, and the
   * two completions once cost a downstream its count: a stop of 1000 hung at its Wait node).
   */
  @Test
  void anInstanceWhoseOwnHeartbeatIsLateNeverTakesBackWhatItIsRunning() throws Exception {
    var release = new CountDownLatch(1);
    var held = new CountDownLatch(3);
    Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();
    TaskEngine busy =
        fx.engine(
            "busy",
            Map.of(
                "stop",
                e -> {
                  runs.computeIfAbsent(e.subtaskId(), k -> new AtomicInteger()).incrementAndGet();
                  held.countDown();
                  release.await();
                }));
    long id =
        busy.client()
            .submit(
                TaskTemplate.builder("T")
                    .andThen(node("stop", "stop"), "server_ids")
                    .andThenWait()
                    .andThen(node("after", "stop"))
                    .build(),
                servers(3),
                EngineFixture.ADMIN,
                null);
    Thread worker = new Thread(busy::runUntilIdle);
    worker.start();
    assertThat(held.await(30, TimeUnit.SECONDS)).isTrue();

    fx.clock.advance(Duration.ofMinutes(5)); // no heartbeat recorded for five minutes
    assertThat(busy.reapDeadExecutions()).isZero();
    release.countDown();
    worker.join(30_000);
    busy.runUntilIdle();

    TaskInstance task = busy.client().find(id).orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(runs).hasSize(4);
    assertThat(runs.values()).allMatch(n -> n.get() == 1);
  }

  @Test
  void twoRunningInstancesWhoseClocksAreAMinuteApartRunEverySubtaskExactlyOnce() throws Exception {
    TaskEngine slow = engine("slow", slowJvm, fx.countingHandlers());
    TaskEngine fast = engine("fast", fastJvm, fx.countingHandlers());

    fx.assertBothRunEverySubtaskOfFourTasksExactlyOnce(slow, fast, 40);
    assertThat(fx.events)
        .noneMatch(
            e ->
                e instanceof TaskEvent.SubtaskLogLine l
                    && l.line().contains("stopped heartbeating"));
  }

  // ---------------------------------------------------------------- restarts

  private static final TaskTemplate ONE_STOP =
      TaskTemplate.builder("T").andThen(node("stop", "stop")).build();

  /** An instance named obops-1, started, holding the subtask of a new task until interrupted. */
  private record Holding(TaskEngine engine, long taskId) {}

  private Holding startHoldingASubtask() throws InterruptedException {
    var entered = new CountDownLatch(1);
    TaskEngine engine =
        fx.engine(
            "obops-1",
            Map.of(
                "stop",
                e -> {
                  entered.countDown();
                  new CountDownLatch(1).await();
                }));
    long id = engine.client().submit(ONE_STOP, servers(1), EngineFixture.ADMIN, null);
    engine.start();
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    return new Holding(engine, id);
  }

  /** What kill -9 does to an instance's database sessions: they end, and their locks go. */
  private void killDatabaseSessionsHoldingInstanceNames() {
    List<Boolean> killed =
        JdbcClient.create(fx.dataSource)
            .sql(
                "select pg_terminate_backend(pid, 10000) from pg_locks where locktype ="
                    + " 'advisory' and granted and database = (select oid from pg_database where"
                    + " datname = current_database())")
            .query(Boolean.class)
            .list();
    assertThat(killed).containsExactly(true);
  }

  @Test
  void aRestartedInstanceTakesBackWhatItsKilledIncarnationHeldWithoutWaitingForTheReaper()
      throws Exception {
    Holding old = startHoldingASubtask();
    TaskEngine killed = old.engine();
    long id = old.taskId();
    killDatabaseSessionsHoldingInstanceNames();
    killed.shutdown(Duration.ZERO); // its threads go too, recording nothing
    assertThat(killed.client().find(id).orElseThrow().subtasks().get(0).executor())
        .isEqualTo("obops-1#1");

    AtomicInteger runs = new AtomicInteger();
    TaskEngine restarted = fx.engine("obops-1", Map.of("stop", e -> runs.incrementAndGet()));
    restarted.start(); // the clock has not moved: dead-after (30 s) is far away
    fx.awaitFinished(id);

    SubtaskInstance stop = restarted.client().find(id).orElseThrow().subtasks().get(0);
    assertThat(stop.status()).isEqualTo(SubtaskStatus.SUCCESSFUL);
    assertThat(stop.executor()).isEqualTo("obops-1#2").isEqualTo(restarted.executor());
    assertThat(stop.runTime()).isEqualTo(2);
    assertThat(runs.get()).isEqualTo(1);
    assertThat(restarted.client().log(id, stop.id()))
        .contains(
            "executor obops-1#1 is gone (its instance restarted as obops-1#2); re-queued to run"
                + " again on a live instance");
  }

  @Test
  void aCleanShutdownHandsWhatWasStillRunningToTheNextIncarnationAtOnce() throws Exception {
    Holding first = startHoldingASubtask();
    long id = first.taskId();
    first.engine().shutdown(Duration.ZERO);

    TaskEngine second = fx.engine("obops-1", Map.of("stop", e -> {}));
    second.start();
    fx.awaitFinished(id);

    assertThat(second.client().find(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESSFUL);
  }

  @Test
  void aSecondLiveInstanceUnderTheSameNameIsRefusedAndTakesNothing() throws Exception {
    Holding holding = startHoldingASubtask();
    TaskEngine live = holding.engine();
    long id = holding.taskId();

    TaskEngine twin = fx.engine("obops-1", Map.of("stop", e -> {}));
    assertThatThrownBy(twin::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessage(
            "another obops instance is running as 'obops-1' (last heartbeat 0 s ago): give each"
                + " instance its own obops.server-name, or stop the other one first");

    SubtaskInstance stop = live.client().find(id).orElseThrow().subtasks().get(0);
    assertThat(stop.status()).isEqualTo(SubtaskStatus.RUNNING);
    assertThat(stop.executor()).isEqualTo(live.executor());
  }
}
