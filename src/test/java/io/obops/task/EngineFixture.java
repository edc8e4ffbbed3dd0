package io.obops.task;

import com.zaxxer.hikari.HikariDataSource;
import io.obops.testsupport.MutableClock;
import io.obops.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A database, a settable clock, and engines on them; closes everything. */
final class EngineFixture implements AutoCloseable {

  final HikariDataSource dataSource = TestDatabase.dataSource();
  final MutableClock clock = MutableClock.at("2021-03-02T02:29:04.849Z");
  final List<TaskEngine> engines = new CopyOnWriteArrayList<>();
  final List<TaskEvent> events = new CopyOnWriteArrayList<>();
  private final Map<Long, CountDownLatch> finished = new ConcurrentHashMap<>();

  static final Creator ADMIN = new Creator(100, "admin");

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
