package io.obops.bench;

import io.obops.access.ApiTokens;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObServerStatus;
import io.obops.remote.CommandResult;
import io.obops.remote.ObserverControlSettings;
import io.obops.remote.RemoteHost;
import io.obops.remote.RemoteShell;
import io.obops.remote.SshObserverProcessControl;
import io.obops.testsupport.OcpSample;
import io.obops.testsupport.TestDatabase;
import java.io.File;
import java.net.URI;
import java.net.URLClassLoader;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Stopping N observers on real OpenSSH: obops's whole flow against {@code parallel-ssh -p 32}, in
 * the same run, on the same hosts ({@link OpenSshHosts}: Debian's sshd on loopback, strict
 * known_hosts, observers exiting 0.5 s after SIGTERM).
 *
 * <p>obops runs in a JVM of its own (so its CPU time and peak RSS are its own) on a fresh
 * PostgreSQL database, with an inventory of one cluster per N (3 zones), graceful stops, and its
 * default engine and SSH settings. For each N: a fresh obops JVM; its first stop after start, then
 * {@value #LATER} later stops; {@value #PSSH_RUNS} parallel-ssh runs interleaved. A stop is timed
 * from the approver's {@code POST /api/v2/approvals/{id}/approve} (the stop request was made and
 * gated just before) to the task's SUCCESSFUL, read from the database. parallel-ssh runs, per host,
 * exactly the command obops sends (observer-control.sh with the host's arguments, captured from
 * {@link SshObserverProcessControl}), with {@code -O KexAlgorithms=curve25519-sha256}, strict host
 * keys and the same key. Every run ends by checking that every observer is gone and its pid file
 * removed.
 *
 * <p>Run: {@code ./mvnw -Pbench -DskipTests test-compile exec:java@openssh-stop} (as root: sshd
 * needs it; {@code -Dexec.args="10 50"} for other sizes). Targets (issue 11): N = 200 later stops
 * at most 0.7 × parallel-ssh, first stop at most 1.0 ×; N = 1000 completes, about linear from 200,
 * peak RSS under 512 MB; N = 10 at most 0.3 s slower than parallel-ssh.
 */
public final class OpenSshStopBenchmark {

  private static final int LATER = 2;
  private static final int PSSH_RUNS = 2;
  private static final int ZONES = 3;
  private static final String OPERATOR = "operator";
  private static final String APPROVER = "approver";
  private static final String RUN = Long.toHexString(System.nanoTime());
  private static final List<String> JVM_OPTIONS =
      List.of("-Xmx256m", "-Xss512k", "-XX:+UseSerialGC");

  private static volatile Process running;

  private OpenSshStopBenchmark() {}

  private static void cleanUp() {
    Process app = running;
    if (app != null) {
      app.destroyForcibly();
    }
  }

  public static void main(String[] args) {
    int status = 0;
    try {
      run(
          args.length > 0
              ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
              : new int[] {10, 50, 200, 1000});
    } catch (Throwable e) {
      e.printStackTrace();
      status = 1;
    }
    System.exit(status);
  }

  private record Row(
      int n,
      double first,
      List<Double> later,
      List<Double> pssh,
      double cpuFirstMs,
      double cpuLaterMs,
      long peakRssKb) {}

  private static void run(int[] sizes) throws Exception {
    int total = Arrays.stream(sizes).sum();
    Path work = Files.createTempDirectory("obops-openssh-bench-");
    System.out.printf(
        Locale.ROOT,
        "openssh-stop: %d hosts on 127.0.200+.*, sshd port in %s, load average %s%n",
        total,
        work,
        Files.readString(Path.of("/proc/loadavg")).trim());
    List<Row> rows = new ArrayList<>();
    try (OpenSshHosts hosts = OpenSshHosts.start(work, total)) {
      // Interrupted (Ctrl-C, kill): stop our sshds, observers and obops all the same.
      Runtime.getRuntime().addShutdownHook(new Thread(OpenSshStopBenchmark::cleanUp));
      Runtime.getRuntime().addShutdownHook(new Thread(hosts::close));
      Map<Integer, List<String>> clusters = new LinkedHashMap<>();
      int next = 0;
      for (int i = 0; i < sizes.length; i++) {
        clusters.put(i + 1, hosts.ips.subList(next, next + sizes[i]));
        next += sizes[i];
      }
      Path inventory = writeInventory(hosts, clusters);
      Path access = writeAccess(work);
      for (var cluster : clusters.entrySet()) {
        rows.add(measure(hosts, inventory, access, cluster.getKey(), cluster.getValue()));
        print(rows);
      }
    }
    System.out.printf(
        Locale.ROOT,
        "%nobops JVM: %s; load average at the end %s%n",
        String.join(" ", JVM_OPTIONS),
        Files.readString(Path.of("/proc/loadavg")).trim());
  }

  private static void print(List<Row> rows) {
    System.out.printf(
        Locale.ROOT,
        "%n%6s %10s %16s %14s %9s %9s %12s %12s %9s%n",
        "N",
        "first s",
        "later s",
        "pssh s",
        "first/ps",
        "later/ps",
        "cpu/srv 1st",
        "cpu/srv lat",
        "peak RSS");
    for (Row r : rows) {
      double pssh = median(r.pssh());
      double later = median(r.later());
      System.out.printf(
          Locale.ROOT,
          "%6d %10.2f %16s %14s %9.2f %9.2f %10.1fms %10.1fms %7dMB%n",
          r.n(),
          r.first(),
          r.later().stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList(),
          r.pssh().stream().map(d -> String.format(Locale.ROOT, "%.2f", d)).toList(),
          r.first() / pssh,
          later / pssh,
          r.cpuFirstMs(),
          r.cpuLaterMs(),
          r.peakRssKb() / 1024);
    }
  }

  private static Row measure(
      OpenSshHosts hosts, Path inventory, Path access, long clusterId, List<String> ips)
      throws Exception {
    int n = ips.size();
    System.out.printf(Locale.ROOT, "%nN = %d: starting obops ...%n", n);
    TestDatabase.Coordinates db = TestDatabase.createEmpty();
    int httpPort = OpenSshHosts.freePort();
    Process app = startObops(hosts, inventory, access, db, httpPort);
    running = app;
    try (Connection jdbc = DriverManager.getConnection(db.url(), db.user(), db.password())) {
      Api api = new Api(httpPort);
      api.awaitReady(app);
      List<Double> pssh = new ArrayList<>();
      List<Double> later = new ArrayList<>();
      double first = 0;
      double cpuFirst = 0;
      double cpuLater = 0;
      pssh.add(pssh(hosts, ips, clusterId));
      for (int run = 0; run <= LATER; run++) {
        long cpu0 = cpuMillis(app.pid());
        double seconds = obopsStop(hosts, api, jdbc, clusterId, ips);
        double cpu = (cpuMillis(app.pid()) - cpu0) / (double) n;
        System.out.printf(
            Locale.ROOT,
            "  obops %s stop: %.2f s, %.1f ms CPU per server%n",
            run == 0 ? "first" : "later",
            seconds,
            cpu);
        if (run == 0) {
          first = seconds;
          cpuFirst = cpu;
        } else {
          later.add(seconds);
          cpuLater += cpu / LATER;
        }
        if (run == 0 && PSSH_RUNS > 1) {
          pssh.add(pssh(hosts, ips, clusterId));
        }
      }
      long rss = peakRssKb(app.pid());
      return new Row(n, first, later, pssh, cpuFirst, cpuLater, rss);
    } finally {
      app.destroy();
      if (!app.waitFor(30, TimeUnit.SECONDS)) {
        app.destroyForcibly();
      }
      hosts.killObservers(ips);
    }
  }

  /** One stop through obops: request, approve, wait for SUCCESSFUL; seconds from the approval. */
  private static double obopsStop(
      OpenSshHosts hosts, Api api, Connection jdbc, long clusterId, List<String> ips)
      throws Exception {
    reset(jdbc, clusterId);
    hosts.startObservers(ips);
    List<Long> pids = hosts.observerPids(ips);
    long requested = System.nanoTime();
    HttpResponse<String> stop =
        api.send(
            OPERATOR,
            "POST",
            "/api/v2/ob/clusters/" + clusterId + "/stop",
            "{\"reason\":\"openssh-stop benchmark\"}");
    long taskId = OcpSample.JSON.readTree(stop.body()).get("data").get("id").asLong();
    String request = stop.headers().firstValue("X-Obops-Approval-Request").orElseThrow();
    long start = System.nanoTime();
    System.out.printf(
        Locale.ROOT,
        "    stop request answered in %.2f s (the pre-flight plan is made then; not counted)%n",
        (start - requested) / 1e9);
    api.send(APPROVER, "POST", "/api/v2/approvals/" + request + "/approve", null);
    String status;
    try (PreparedStatement q =
        jdbc.prepareStatement("select status from task_instance where id = ?")) {
      q.setLong(1, taskId);
      while (true) {
        try (ResultSet rs = q.executeQuery()) {
          rs.next();
          status = rs.getString(1);
        }
        if (!status.equals("RUNNING") && !status.equals("READY")) {
          break;
        }
        Thread.sleep(5);
      }
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    if (!status.equals("SUCCESSFUL")) {
      throw new IllegalStateException(
          "task " + taskId + " ended " + status + ": " + failures(jdbc, taskId));
    }
    hosts.requireStopped(ips, pids);
    if (Boolean.getBoolean("bench.stages")) {
      System.out.println("    " + stages(jdbc, taskId));
    }
    return seconds;
  }

  /** Each stage's span (first start, last finish) in seconds from the task's first subtask. */
  private static String stages(Connection jdbc, long taskId) throws Exception {
    try (PreparedStatement q =
        jdbc.prepareStatement(
            "select name, min(series_id), count(*),"
                + " extract(epoch from min(start_time) - (select min(start_time) from"
                + " subtask_instance where task_id = ?)),"
                + " extract(epoch from max(finish_time) - (select min(start_time) from"
                + " subtask_instance where task_id = ?)),"
                + " extract(epoch from avg(finish_time - start_time))"
                + " from subtask_instance where task_id = ? group by name order by 2")) {
      q.setLong(1, taskId);
      q.setLong(2, taskId);
      q.setLong(3, taskId);
      StringBuilder out = new StringBuilder();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          if (!rs.getString(1).equals("Wait node")) {
            out.append(
                String.format(
                    Locale.ROOT,
                    "%s x%d %.2f-%.2f (each %.2f); ",
                    rs.getString(1),
                    rs.getInt(3),
                    rs.getDouble(4),
                    rs.getDouble(5),
                    rs.getDouble(6)));
          }
        }
      }
      return out.toString();
    }
  }

  private static String failures(Connection jdbc, long taskId) throws Exception {
    try (PreparedStatement q =
        jdbc.prepareStatement(
            "select name, status from subtask_instance where task_id = ? and status <> 'SUCCESSFUL'"
                + " limit 5")) {
      q.setLong(1, taskId);
      StringBuilder out = new StringBuilder();
      try (ResultSet rs = q.executeQuery()) {
        while (rs.next()) {
          out.append(rs.getString(1)).append(' ').append(rs.getString(2)).append("; ");
        }
      }
      return out.toString();
    }
  }

  /** The cluster RUNNING again, as after a start (the start graph is another branch's). */
  private static void reset(Connection jdbc, long clusterId) throws Exception {
    for (String sql :
        List.of(
            "update ob_cluster set status = 'RUNNING', operation_task_id = null where id = ?",
            "update ob_zone set status = 'RUNNING' where cluster_id = ?",
            "update ob_server set status = 'RUNNING' where cluster_id = ?")) {
      try (PreparedStatement u = jdbc.prepareStatement(sql)) {
        u.setLong(1, clusterId);
        u.executeUpdate();
      }
    }
  }

  /** parallel-ssh -p 32 running obops's own stop command on every host; seconds. */
  private static double pssh(OpenSshHosts hosts, List<String> ips, long clusterId)
      throws Exception {
    Path dir = hosts.work.resolve("pssh");
    Files.createDirectories(dir);
    StringBuilder hostList = new StringBuilder();
    var capture = new CapturingShell();
    var control =
        new SshObserverProcessControl(
            capture,
            ObserverControlSettings.defaults()
                .withSignal(ObserverControlSettings.StopSignal.GRACEFUL));
    for (int i = 0; i < ips.size(); i++) {
      String ip = ips.get(i);
      control.stop(server(hosts, clusterId, i, ip), line -> {});
      Files.writeString(dir.resolve(ip), capture.last + "\n");
      hostList.append("root@").append(ip).append(':').append(hosts.port).append('\n');
    }
    Path hostFile = dir.resolve("hosts-" + clusterId);
    Files.writeString(hostFile, hostList);
    hosts.startObservers(ips);
    List<Long> pids = hosts.observerPids(ips);
    List<String> command =
        List.of(
            "parallel-ssh",
            "-h",
            hostFile.toString(),
            "-p",
            "32",
            "-t",
            "0",
            "-O",
            "KexAlgorithms=curve25519-sha256",
            "-O",
            "StrictHostKeyChecking=yes",
            "-O",
            "UserKnownHostsFile=" + hosts.knownHosts,
            "-O",
            "GlobalKnownHostsFile=/dev/null",
            "-O",
            "IdentityFile=" + hosts.clientKey,
            "-O",
            "IdentitiesOnly=yes",
            "-O",
            "BatchMode=yes",
            "-O",
            "ControlMaster=no",
            "-O",
            "ControlPath=none",
            "-O",
            "LogLevel=ERROR",
            // the host's own address picks its command: the same words obops sends it
            "set -- $SSH_CONNECTION; . " + dir + "/$3");
    long start = System.nanoTime();
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    int exit = p.waitFor();
    double seconds = (System.nanoTime() - start) / 1e9;
    if (exit != 0) {
      hosts.killObservers(ips);
      throw new IllegalStateException(
          "parallel-ssh failed ("
              + exit
              + "): "
              + out.lines()
                  .filter(l -> !l.contains("SUCCESS"))
                  .limit(10)
                  .collect(Collectors.joining(" | ")));
    }
    hosts.requireStopped(ips, pids);
    System.out.printf(Locale.ROOT, "  parallel-ssh -p 32: %.2f s%n", seconds);
    return seconds;
  }

  private static ObServer server(OpenSshHosts hosts, long clusterId, int index, String ip) {
    return new ObServer(
        serverId(clusterId, index),
        clusterId,
        "zone" + (index % ZONES + 1),
        ip,
        hosts.port,
        "root",
        hosts.home(ip),
        OpenSshHosts.MYSQL_PORT,
        OpenSshHosts.RPC_PORT,
        ObServerStatus.RUNNING);
  }

  private static long serverId(long clusterId, int index) {
    return clusterId * 10_000 + index + 1;
  }

  /** Records the command instead of running it, and answers as a successful stop would. */
  private static final class CapturingShell implements RemoteShell {
    volatile String last;

    @Override
    public CommandResult run(RemoteHost host, String command, Duration timeout) {
      last = command;
      return new CommandResult(0, "obops-result stopped 1 SIGTERM 1\n", "");
    }
  }

  private static Path writeInventory(OpenSshHosts hosts, Map<Integer, List<String>> clusters)
      throws Exception {
    StringBuilder y = new StringBuilder("clusters:\n");
    for (var c : clusters.entrySet()) {
      long id = c.getKey();
      List<String> ips = c.getValue();
      y.append("  - id: ").append(id).append('\n');
      y.append("    name: bench-").append(ips.size()).append('\n');
      y.append("    ssh_user: root\n");
      y.append("    ssh_port: ").append(hosts.port).append('\n');
      y.append("    mysql_port: ").append(OpenSshHosts.MYSQL_PORT).append('\n');
      y.append("    rpc_port: ").append(OpenSshHosts.RPC_PORT).append('\n');
      y.append("    zones:\n");
      for (int z = 0; z < ZONES; z++) {
        y.append("      - name: zone").append(z + 1).append('\n');
        y.append("        servers:\n");
        for (int i = z; i < ips.size(); i += ZONES) {
          y.append("          - { id: ")
              .append(serverId(id, i))
              .append(", ip: ")
              .append(ips.get(i))
              .append(", home_path: ")
              .append(hosts.home(ips.get(i)))
              .append(" }\n");
        }
      }
    }
    Path file = hosts.work.resolve("clusters.yml");
    Files.writeString(file, y);
    return file;
  }

  private static Path writeAccess(Path work) throws Exception {
    Path file = work.resolve("access.yml");
    Files.writeString(
        file,
        """
        roles:
          operator: [cluster.view, cluster.stop]
          approver: [cluster.view, approval.decide]
        bindings:
          - principal: api:operator
            roles: [operator]
          - principal: api:approver
            roles: [approver]
        policies:
          - action: cluster.stop
            approvals: 1
            pending-ttl: 15m
            reason-required: true
        """);
    return file;
  }

  private static Process startObops(
      OpenSshHosts hosts, Path inventory, Path access, TestDatabase.Coordinates db, int httpPort)
      throws Exception {
    Map<String, String> p = new LinkedHashMap<>();
    p.put("spring.datasource.url", db.url());
    p.put("spring.datasource.username", db.user());
    p.put("spring.datasource.password", db.password());
    p.put("server.address", "127.0.0.1");
    p.put("server.port", Integer.toString(httpPort));
    p.put("obops.embedded", "false");
    p.put("obops.sandbox.enabled", "false");
    p.put("obops.server-name", "bench");
    p.put("obops.inventory.file", inventory.toString());
    p.put("obops.access.file", access.toString());
    p.put("obops.remote.enabled", "true");
    p.put("obops.remote.private-key", hosts.clientKey.toString());
    p.put("obops.remote.known-hosts", hosts.knownHosts.toString());
    p.put("obops.remote.stop-signal", "graceful");
    p.put("obops.api.tokens[0].name", OPERATOR);
    p.put("obops.api.tokens[0].sha256", ApiTokens.sha256Hex(token(OPERATOR)));
    p.put("obops.api.tokens[1].name", APPROVER);
    p.put("obops.api.tokens[1].sha256", ApiTokens.sha256Hex(token(APPROVER)));
    p.put("logging.level.root", "WARN");
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.addAll(JVM_OPTIONS);
    String extra = System.getProperty("bench.jvm");
    if (extra != null && !extra.isBlank()) {
      command.addAll(List.of(extra.trim().split("\\s+")));
    }
    command.add("-cp");
    command.add(classpath());
    command.add("io.obops.ObopsApplication");
    p.forEach((k, v) -> command.add("--" + k + "=" + v));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(hosts.work.resolve("obops-" + httpPort + ".log").toFile())
        .start();
  }

  private static String classpath() {
    return Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader
        ? Arrays.stream(loader.getURLs())
            .map(u -> Path.of(URI.create(u.toString())).toString())
            .collect(Collectors.joining(File.pathSeparator))
        : System.getProperty("java.class.path");
  }

  private static String token(String name) {
    return "bench-" + name + "-" + RUN;
  }

  /** utime + stime of a process, in milliseconds. */
  private static long cpuMillis(long pid) throws Exception {
    String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]);
    return ticks * 10; // USER_HZ is 100 on Linux
  }

  private static long peakRssKb(long pid) throws Exception {
    String status = Files.readString(Path.of("/proc", Long.toString(pid), "status"));
    return Long.parseLong(field(status, "VmHWM:\\s*(\\d+) kB"));
  }

  private static String field(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) {
      throw new IllegalStateException("no " + regex + " in " + text);
    }
    return m.group(1);
  }

  private static double median(List<Double> values) {
    List<Double> sorted = values.stream().sorted().toList();
    int n = sorted.size();
    return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
  }

  /** The REST API, as the two people use it. */
  private static final class Api {
    private final HttpClient http = HttpClient.newHttpClient();
    private final int port;

    Api(int port) {
      this.port = port;
    }

    void awaitReady(Process app) throws Exception {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      while (true) {
        try {
          HttpResponse<String> r =
              http.send(
                  request(OPERATOR, "GET", "/api/v2/ob/clusters/1", null),
                  HttpResponse.BodyHandlers.ofString());
          if (r.statusCode() == 200) {
            return;
          }
        } catch (java.io.IOException e) {
          // not listening yet
        }
        if (!app.isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException("obops did not start; see its log in the work folder");
        }
        Thread.sleep(200);
      }
    }

    HttpResponse<String> send(String as, String method, String path, String body) throws Exception {
      HttpResponse<String> r =
          http.send(request(as, method, path, body), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 200) {
        throw new IllegalStateException(
            method + " " + path + ": " + r.statusCode() + " " + r.body());
      }
      return r;
    }

    private HttpRequest request(String as, String method, String path, String body) {
      return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
          .header("Authorization", "Bearer " + token(as))
          .header("Content-Type", "application/json")
          .method(
              method,
              body == null
                  ? HttpRequest.BodyPublishers.noBody()
                  : HttpRequest.BodyPublishers.ofString(body))
          .build();
    }
  }
}
