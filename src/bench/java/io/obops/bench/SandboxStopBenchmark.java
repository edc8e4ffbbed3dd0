package io.obops.bench;

import io.obops.cluster.ObServer;
import io.obops.obcluster.ObserverProcessControl.StopReport;
import io.obops.remote.ObserverControlSettings;
import io.obops.remote.SshIdentity;
import io.obops.remote.SshObserverProcessControl;
import io.obops.remote.SshRemoteShell;
import io.obops.remote.SshSettings;
import io.obops.sandbox.Sandbox;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Wall time to stop N sandbox observers at once through {@link SshObserverProcessControl} (SIGKILL,
 * default settings, at most {@link SshSettings#DEFAULT_MAX_PARALLEL_HOSTS} hosts at once, cold SSH
 * connections), beside the floor: the slowest of up to {@value #FLOOR_SAMPLES} servers stopped one
 * at a time, each over a cold connection. Target: N = 200 within 1.5 × floor + 1 s.
 *
 * <p>Run: {@code ./mvnw -Pbench -DskipTests test-compile exec:java@sandbox-stop}
 */
public final class SandboxStopBenchmark {

  private static final int FLOOR_SAMPLES = 10;

  private SandboxStopBenchmark() {}

  public static void main(String[] args) throws Exception {
    int[] sizes =
        args.length > 0
            ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
            : new int[] {10, 50, 200};
    System.out.println("warming up (JIT, crypto providers) ...");
    run(10, false, false);
    for (boolean warm : new boolean[] {false, true}) {
      report(sizes, warm);
    }
    System.exit(0); // exec:java would otherwise wait for non-daemon library threads
  }

  private static void report(int[] sizes, boolean warm) throws Exception {
    System.out.println(
        warm
            ? "\nWarm connections, as in the graph ('Prepare stop observer' has already connected"
                + " to every host):"
            : "\nCold connections (a fresh SSH connection per host, handshake included):");
    System.out.printf(
        Locale.ROOT,
        "%n%6s %10s %10s %10s %10s %10s %8s%n",
        "N",
        "wall ms",
        "floor ms",
        "target ms",
        "p50 ms",
        "max ms",
        "result");
    for (int n : sizes) {
      run(n, true, warm);
    }
  }

  private static String run(int n, boolean report, boolean warm) throws Exception {
    int zones = n >= 2 ? 2 : 1;
    try (Sandbox sandbox = Sandbox.builder().zones(zones).serversPerZone(n / zones).start()) {
      List<ObServer> servers = sandbox.servers();
      SshSettings settings =
          SshSettings.strict(
              SshIdentity.fromFile(sandbox.clientPrivateKey(), null), sandbox.knownHosts());
      ObserverControlSettings stop = ObserverControlSettings.defaults();

      long floor = 0;
      for (ObServer server : servers.subList(0, Math.min(FLOOR_SAMPLES, servers.size()))) {
        try (SshRemoteShell shell = new SshRemoteShell(settings)) {
          var control = new SshObserverProcessControl(shell, stop);
          if (warm) {
            control.inspect(server, line -> {});
          }
          long start = System.nanoTime();
          StopReport r = control.stop(server, line -> {});
          floor = Math.max(floor, millisSince(start));
          check(r, server);
        }
        sandbox.startObserver(server);
      }

      long[] each = new long[servers.size()];
      long wall;
      try (SshRemoteShell shell = new SshRemoteShell(settings)) {
        var control = new SshObserverProcessControl(shell, stop);
        ExecutorService workers = Executors.newFixedThreadPool(servers.size());
        if (warm) {
          List<Future<?>> inspections = new ArrayList<>();
          for (ObServer server : servers) {
            inspections.add(workers.submit(() -> control.inspect(server, line -> {})));
          }
          for (Future<?> f : inspections) {
            f.get();
          }
        }
        CountDownLatch go = new CountDownLatch(1);
        List<Future<StopReport>> futures = new ArrayList<>();
        for (int i = 0; i < servers.size(); i++) {
          ObServer server = servers.get(i);
          int index = i;
          futures.add(
              workers.submit(
                  () -> {
                    go.await();
                    long start = System.nanoTime();
                    StopReport r = control.stop(server, line -> {});
                    each[index] = millisSince(start);
                    return r;
                  }));
        }
        long start = System.nanoTime();
        go.countDown();
        for (int i = 0; i < futures.size(); i++) {
          check(futures.get(i).get(), servers.get(i));
        }
        wall = millisSince(start);
        workers.shutdownNow();
      }
      for (ObServer server : servers) {
        if (sandbox.isObserverRunning(server)
            || sandbox.isListening(server, server.mysqlPort())
            || sandbox.isListening(server, server.rpcPort())) {
          throw new IllegalStateException(server.address() + " not fully stopped");
        }
      }
      long[] sorted = each.clone();
      Arrays.sort(sorted);
      long target = Math.round(1.5 * floor + 1000);
      String line =
          String.format(
              Locale.ROOT,
              "%6d %10d %10d %10d %10d %10d %8s",
              n,
              wall,
              floor,
              target,
              sorted[sorted.length / 2],
              sorted[sorted.length - 1],
              wall <= target ? "ok" : "MISSED");
      if (report) {
        System.out.println(line);
      }
      return line;
    }
  }

  private static void check(StopReport report, ObServer server) {
    if (report.alreadyStopped() || report.pid() <= 0) {
      throw new IllegalStateException("unexpected report for " + server.address() + ": " + report);
    }
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
