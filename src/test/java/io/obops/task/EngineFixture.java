package io.obops.task;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.obops.testsupport.MutableClock;
import io.obops.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

/** A database, a settable clock, and engines on them; closes everything. */
final class EngineFixture implements AutoCloseable {

  final HikariDataSource dataSource = TestDatabase.dataSource();
  final MutableClock clock = MutableClock.at("2021-03-02T02:29:04.849Z");
  final List<TaskEngine> engines = new CopyOnWriteArrayList<>();
  final List<TaskEvent> events = new CopyOnWriteArrayList<>();
  private final Map<Long, CountDownLatch> finished = new ConcurrentHashMap<>();

  static final Creator ADMIN = new Creator(100, "admin");

  static TaskTemplate.Node node(String name, String handler) {
    return new TaskTemplate.Node(name, name, handler, 30);
  }

  /** A context of cluster c1 with servers 1..n. */
  static TaskContext servers(int n) {
    return TaskContext.builder()
        .put("cluster_name", "c1")
        .putList("server_ids", IntStream.rangeClosed(1, n).boxed().toList())
        .build();
  }

  static TaskEngine.Settings settings(String name, int workers) {
    return new TaskEngine.Settings(
        name,
        workers,
        Duration.ofMillis(50),
        Duration.ofSeconds(5),
        Duration.ofSeconds(30),
        Duration.ofSeconds(5));
  }

  TaskEngine engine(String name, Map<String, SubtaskHandler> handlers) {
    return engine(settings(name, 8), handlers);
  }

  TaskEngine engine(TaskEngine.Settings settings, Map<String, SubtaskHandler> handlers) {
    return engine(settings, clock, handlers);
  }

  /** An engine with its own clock (e.g. a {@link DatabaseClock} over a clock that is off). */
  TaskEngine engine(
      TaskEngine.Settings settings, Clock clock, Map<String, SubtaskHandler> handlers) {
    TaskEngine engine = new TaskEngine(dataSource, clock, settings, handlers);
    engine.addListener(
        e -> {
          events.add(e);
          if (e instanceof TaskEvent.TaskFinished) {
            latch(e.taskId()).countDown();
          }
        });
    engines.add(engine);
    return engine;
  }

  /** Counts the runs of every subtask of {@link #FAN_OUT}, by subtask id. */
  final Map<Long, AtomicInteger> runs = new ConcurrentHashMap<>();

  /** Handlers for {@link #FAN_OUT} that count runs; Wait nodes count too (their key overridden). */
  Map<String, SubtaskHandler> countingHandlers() {
    SubtaskHandler count =
        e -> runs.computeIfAbsent(e.subtaskId(), k -> new AtomicInteger()).incrementAndGet();
    return Map.of("count", count, WaitHandler.KEY, count);
  }

  static final TaskTemplate FAN_OUT =
      TaskTemplate.builder("T")
          .andThen(node("first", "count"))
          .andThen(node("each", "count"), "server_ids")
          .andThenWait()
          .andThen(node("again", "count"), "server_ids")
          .andThenWait()
          .build();

  /**
   * Starts both engines (made with {@link #countingHandlers()}), submits four {@link #FAN_OUT}
   * tasks to them in turn and waits for all; then asserts that each succeeded, that every subtask
   * ran exactly once, and that both engines ran some.
   */
  void assertBothRunEverySubtaskOfFourTasksExactlyOnce(TaskEngine a, TaskEngine b, int servers)
      throws InterruptedException {
    a.start();
    b.start();
    var ids = new ArrayList<Long>();
    for (int i = 0; i < 4; i++) {
      ids.add((i % 2 == 0 ? a : b).client().submit(FAN_OUT, servers(servers), ADMIN, null));
    }
    for (long id : ids) {
      awaitFinished(id);
    }
    int subtasks = 0;
    Set<String> executors = new HashSet<>();
    for (long id : ids) {
      TaskInstance task = a.client().find(id).orElseThrow();
      assertThat(task.status()).isEqualTo(TaskStatus.SUCCESSFUL);
      subtasks += task.subtasks().size();
      task.subtasks().forEach(s -> executors.add(s.executor()));
    }
    assertThat(runs).hasSize(subtasks);
    assertThat(runs.values()).allMatch(n -> n.get() == 1);
    assertThat(executors).containsExactlyInAnyOrder(a.executor(), b.executor());
  }

  private CountDownLatch latch(long taskId) {
    return finished.computeIfAbsent(taskId, k -> new CountDownLatch(1));
  }

  /** Waits for a TaskFinished event (from any engine of this fixture). */
  void awaitFinished(long taskId) throws InterruptedException {
    if (!latch(taskId).await(60, TimeUnit.SECONDS)) {
      throw new AssertionError("task " + taskId + " did not finish within 60 s");
    }
  }

  @Override
  public void close() {
    engines.forEach(e -> e.shutdown(Duration.ofSeconds(5)));
    dataSource.close();
  }
}
