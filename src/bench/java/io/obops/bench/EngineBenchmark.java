package io.obops.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.obops.obcluster.StopClusterTemplate;
import io.obops.task.Creator;
import io.obops.task.SubtaskHandler;
import io.obops.task.TaskContext;
import io.obops.task.TaskEngine;
import io.obops.task.TaskEvent;
import io.obops.task.TaskStatus;
import io.obops.task.TaskTemplate;
import io.obops.testsupport.TestDatabase;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

/**
 * Engine overhead on PostgreSQL: (1) the 11-node "Stop OB cluster" graph with instant handlers,
 * submit to finish; (2) throughput of a 1,000-subtask graph of no-op handlers. Run with {@code
 * ./mvnw -Pbench -DskipTests test-compile exec:java@engine}.
 */
public final class EngineBenchmark {

  public static void main(String[] args) throws Exception {
    try (HikariDataSource ds = TestDatabase.dataSource(40)) {
      Map<String, SubtaskHandler> handlers = new HashMap<>();
      StopClusterTemplate.TEMPLATE.stages().forEach(s -> handlers.put(s.node().handler(), e -> {}));
      handlers.put("noop", e -> {});
      RoundTrips trips = new RoundTrips();
      TaskEngine engine =
          new TaskEngine(
              trips.wrap(ds), Clock.systemUTC(), TaskEngine.Settings.defaults("bench"), handlers);
      Map<Long, CountDownLatch> done = new ConcurrentHashMap<>();
      Map<Long, TaskStatus> status = new ConcurrentHashMap<>();
      engine.addListener(
          e -> {
            if (e instanceof TaskEvent.TaskFinished f) {
              status.put(f.taskId(), f.status());
              done.computeIfAbsent(f.taskId(), k -> new CountDownLatch(1)).countDown();
            }
          });
      engine.start();
      Creator creator = new Creator(1, "bench");

      TaskContext oneByOne =
          TaskContext.builder()
              .put("cluster_name", "bench")
              .put("cluster_id", "1")
              .putList("server_ids", List.of(1))
              .putList("zone_names", List.of("zone1"))
              .build();
      var samples = new ArrayList<Double>();
      long tripsBefore = 0;
      for (int i = 0; i < 60; i++) {
        if (i == 10) {
          tripsBefore = trips.count();
        }
        long t0 = System.nanoTime();
        long id = engine.client().submit(StopClusterTemplate.TEMPLATE, oneByOne, creator, null);
        await(done, id);
        double ms = (System.nanoTime() - t0) / 1e6;
        check(status, id);
        if (i >= 10) {
          samples.add(ms);
        }
      }
      double tripsPerSubtask = (trips.count() - tripsBefore) / (50.0 * 11);
      samples.sort(null);
      System.out.printf(
          "11-node Stop OB cluster graph, instant handlers, submit to finish (50 runs after 10"
              + " warm-up): p50 %.1f ms, p90 %.1f ms, max %.1f ms (target < 100 ms);"
              + " %.1f database round trips per subtask%n",
          samples.get(samples.size() / 2),
          samples.get(samples.size() * 9 / 10),
          samples.get(samples.size() - 1),
          tripsPerSubtask);

      TaskTemplate wide =
          TaskTemplate.builder("bench-1000")
              .andThen(new TaskTemplate.Node("first", "first", "noop", 30))
              .andThen(new TaskTemplate.Node("each", "each", "noop", 30), "items")
              .andThen(new TaskTemplate.Node("last", "last", "noop", 30))
              .build();
      TaskContext items =
          TaskContext.builder().putList("items", IntStream.range(0, 998).boxed().toList()).build();
      for (int round = 0; round < 3; round++) {
        long roundTrips = trips.count();
        long t0 = System.nanoTime();
        long id = engine.client().submit(wide, items, creator, null);
        long submitted = System.nanoTime();
        await(done, id);
        long t1 = System.nanoTime();
        check(status, id);
        double seconds = (t1 - t0) / 1e9;
        System.out.printf(
            "1,000 no-op subtasks (1 + 998 parallel + 1), round %d: %.2f s total (submit %.0f ms)"
                + " = %.0f subtasks/s (target >= 500/s); %.2f database round trips per subtask%n",
            round + 1,
            seconds,
            (submitted - t0) / 1e6,
            1000 / seconds,
            (trips.count() - roundTrips) / 1000.0);
      }
      engine.shutdown(Duration.ofSeconds(5));
    }
    System.exit(0);
  }

  private static void await(Map<Long, CountDownLatch> done, long id) throws InterruptedException {
    if (!done.computeIfAbsent(id, k -> new CountDownLatch(1)).await(120, TimeUnit.SECONDS)) {
      throw new IllegalStateException("task " + id + " did not finish");
    }
  }

  private static void check(Map<Long, TaskStatus> status, long id) {
    if (status.get(id) != TaskStatus.SUCCESSFUL) {
      throw new IllegalStateException("task " + id + " ended " + status.get(id));
    }
  }
}
