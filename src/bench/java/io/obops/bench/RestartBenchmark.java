package io.obops.bench;

import com.zaxxer.hikari.HikariDataSource;
import io.obops.obcluster.StopClusterTemplate;
import io.obops.task.Creator;
import io.obops.task.SubtaskHandler;
import io.obops.task.TaskContext;
import io.obops.task.TaskEngine;
import io.obops.task.TaskStatus;
import io.obops.testsupport.TestDatabase;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Fast restart, measured with real processes: an engine instance in its own JVM runs a 20-server
 * "Stop OB cluster" graph whose "Stop observer process" takes 3 s; it is killed with SIGKILL while
 * those stops run; a new JVM with the same instance name starts. Prints the time from the new
 * instance being ready (its engine started) to the task's end, and from the kill to the end;
 * target: within 10 s of ready (before incarnations, the new instance waited for dead-after, 30 s).
 * Run with {@code ./mvnw -Pbench -DskipTests test-compile exec:java@restart}.
 */
public final class RestartBenchmark {

  private static final long STOP_MILLIS = 3000;
  private static final int SERVERS = 20;

  public static void main(String[] args) throws Exception {
    if (args.length == 4 && args[0].equals("instance")) {
      instance(args[1], args[2], args[3]);
      return;
    }
    var results = new ArrayList<String>();
    for (int round = 1; round <= 3; round++) {
      results.add(round(round));
    }
    results.forEach(System.out::println);
    System.exit(0);
  }

  private static String round(int round) throws Exception {
    TestDatabase.Coordinates db = TestDatabase.create();
    long taskId;
    try (HikariDataSource ds = dataSource(db)) {
      // an API-only engine (never started) submits, as a replica's REST call would
      TaskEngine api = new TaskEngine(ds, Clock.systemUTC(), settings("api"), handlers());
      taskId =
          api.client().submit(StopClusterTemplate.TEMPLATE, context(), new Creator(1, "b"), null);
      api.shutdown(java.time.Duration.ZERO);
    }
    Process first = spawn(db);
    awaitLine(first, "ready");
    JdbcClient jdbc;
    HikariDataSource watch = dataSource(db);
    jdbc = JdbcClient.create(watch);
    while (jdbc.sql(
                "select count(*) from subtask_instance where status = 'RUNNING' and name = 'Stop"
                    + " observer process'")
            .query(Integer.class)
            .single()
        < SERVERS) {
      Thread.sleep(20);
    }
    first.destroyForcibly(); // SIGKILL
    first.waitFor();
    long killed = System.nanoTime();
    Process second = spawn(db);
    awaitLine(second, "ready");
    long ready = System.nanoTime();
    while (!jdbc.sql("select status from task_instance where id = ?")
        .param(taskId)
        .query(String.class)
        .single()
        .equals(TaskStatus.SUCCESSFUL.name())) {
      Thread.sleep(20);
    }
    long end = System.nanoTime();
    second.destroyForcibly();
    second.waitFor();
    watch.close();
    return String.format(
        "round %d: killed mid-stop (%d observers stopping, %d ms each); the restarted instance was"
            + " ready %.1f s after the kill; task SUCCESSFUL %.1f s after it was ready (target <"
            + " 10 s), %.1f s after the kill",
        round,
        SERVERS,
        STOP_MILLIS,
        (ready - killed) / 1e9,
        (end - ready) / 1e9,
        (end - killed) / 1e9);
  }

  /** One instance named "obops-1" in this JVM: starts its engine, says "ready", runs forever. */
  private static void instance(String url, String user, String password) throws Exception {
    HikariDataSource ds = dataSource(new TestDatabase.Coordinates(url, user, password));
    TaskEngine engine = new TaskEngine(ds, Clock.systemUTC(), settings("obops-1"), handlers());
    engine.start();
    System.out.println("ready");
    System.out.flush();
    Thread.sleep(Long.MAX_VALUE);
  }

  private static TaskEngine.Settings settings(String name) {
    return TaskEngine.Settings.defaults(name);
  }

  private static Map<String, SubtaskHandler> handlers() {
    Map<String, SubtaskHandler> handlers = new HashMap<>();
    StopClusterTemplate.TEMPLATE.stages().forEach(s -> handlers.put(s.node().handler(), e -> {}));
    handlers.put("stop.observer-process", e -> Thread.sleep(STOP_MILLIS));
    return handlers;
  }

  private static TaskContext context() {
    return TaskContext.builder()
        .put("cluster_name", "bench")
        .put("cluster_id", "1")
        .putList("server_ids", IntStream.rangeClosed(1, SERVERS).boxed().toList())
        .putList("zone_names", List.of("zone1", "zone2"))
        .build();
  }

  private static HikariDataSource dataSource(TestDatabase.Coordinates db) {
    HikariDataSource ds = new HikariDataSource();
    ds.setJdbcUrl(db.url());
    ds.setUsername(db.user());
    ds.setPassword(db.password());
    ds.setMaximumPoolSize(40);
    return ds;
  }

  private static Process spawn(TestDatabase.Coordinates db) throws Exception {
    String classpath =
        Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader
            ? java.util.Arrays.stream(loader.getURLs())
                .map(u -> Path.of(java.net.URI.create(u.toString())).toString())
                .collect(Collectors.joining(File.pathSeparator))
            : System.getProperty("java.class.path");
    return new ProcessBuilder(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            classpath,
            RestartBenchmark.class.getName(),
            "instance",
            db.url(),
            db.user(),
            db.password())
        .redirectErrorStream(true)
        .start();
  }

  /** Reads the process's output until {@code line}; the rest is drained in the background. */
  private static void awaitLine(Process p, String line) throws Exception {
    var in = new BufferedReader(new InputStreamReader(p.getInputStream()));
    String l;
    while ((l = in.readLine()) != null) {
      if (l.equals(line)) {
        Thread drain =
            new Thread(
                () -> {
                  try {
                    while (in.readLine() != null) {
                      // discard
                    }
                  } catch (java.io.IOException e) {
                    // the process is gone
                  }
                });
        drain.setDaemon(true);
        drain.start();
        return;
      }
    }
    throw new IllegalStateException("the instance ended before saying '" + line + "'");
  }
}
