package io.obops.bench;

import io.obops.cluster.ClusterSnapshot;
import io.obops.cluster.ObServer;
import io.obops.cluster.PreflightPlan;
import io.obops.obcluster.Preflight;
import io.obops.remote.ObserverControlSettings;
import io.obops.remote.SshIdentity;
import io.obops.remote.SshObserverProcessControl;
import io.obops.remote.SshRemoteShell;
import io.obops.remote.SshSettings;
import io.obops.sandbox.Sandbox;
import io.obops.task.SubtaskLog;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * How long the pre-flight plan takes for N sandbox servers (default 3, 50, 200): the plan made at
 * request time (cold: a fresh SSH connection per host), a Refresh (warm: the pooled connections
 * reused), and then the stop of every observer over the same remote shell, counting the SSH
 * connections the stop had to open (0 when the plan's connections are still pooled: the stop starts
 * warm). Default settings: 32 hosts at once, 20 s plan deadline.
 *
 * <p>Run: {@code ./mvnw -Pbench -DskipTests test-compile exec:java@preflight} (arguments: sizes).
 */
public final class PreflightBenchmark {

  private PreflightBenchmark() {}

  public static void main(String[] args) throws Exception {
    int[] sizes =
        args.length > 0
            ? Arrays.stream(args).mapToInt(Integer::parseInt).toArray()
            : new int[] {3, 50, 200};
    System.out.println("warming up (JIT, crypto providers) ...");
    run(3, false);
    System.out.printf(
        Locale.ROOT,
        "%n%6s %14s %14s %12s %16s %14s%n",
        "N",
        "plan cold ms",
        "refresh ms",
        "stop ms",
        "stop new conns",
        "summary");
    for (int n : sizes) {
      run(n, true);
    }
    System.exit(0); // exec:java would otherwise wait for non-daemon library threads
  }

  private static void run(int n, boolean report) throws Exception {
    int zones = n == 3 ? 3 : 2;
    try (Sandbox sandbox = Sandbox.builder().zones(zones).serversPerZone(n / zones).start();
        SshRemoteShell shell =
            new SshRemoteShell(
                SshSettings.strict(
                    SshIdentity.fromFile(sandbox.clientPrivateKey(), null),
                    sandbox.knownHosts()))) {
      List<ObServer> servers = sandbox.servers();
      List<ClusterSnapshot.Server> snapshot =
          servers.stream()
              .map(
                  s ->
                      new ClusterSnapshot.Server(
                          s.id(),
                          s.zoneName(),
                          s.ip(),
                          s.sshPort(),
                          s.sshUser(),
                          s.homePath(),
                          s.mysqlPort(),
                          s.rpcPort()))
              .toList();
      var control = new SshObserverProcessControl(shell, ObserverControlSettings.defaults());
      try (Preflight preflight =
          new Preflight(control, Duration.ofSeconds(20), 32, Clock.systemUTC())) {
        long t0 = System.nanoTime();
        PreflightPlan cold = preflight.inspect(1, snapshot, 1);
        long coldMs = (System.nanoTime() - t0) / 1_000_000;
        t0 = System.nanoTime();
        PreflightPlan warm = preflight.inspect(1, snapshot, 2);
        long warmMs = (System.nanoTime() - t0) / 1_000_000;
        int before = servers.stream().mapToInt(sandbox::sshConnectionsAccepted).sum();
        t0 = System.nanoTime();
        stopAll(control, servers);
        long stopMs = (System.nanoTime() - t0) / 1_000_000;
        int opened = servers.stream().mapToInt(sandbox::sshConnectionsAccepted).sum() - before;
        if (!cold.hash().equals(warm.hash())) {
          System.out.println("note: the refresh found something else than the first plan");
        }
        if (report) {
          System.out.printf(
              Locale.ROOT,
              "%6d %14d %14d %12d %16d   %s%n",
              n,
              coldMs,
              warmMs,
              stopMs,
              opened,
              cold.summary());
        }
      }
    }
  }

  private static void stopAll(SshObserverProcessControl control, List<ObServer> servers)
      throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(64, servers.size()));
    try {
      List<Future<?>> done = new ArrayList<>();
      SubtaskLog quiet = line -> {};
      for (ObServer s : servers) {
        done.add(pool.submit(() -> control.stop(s, quiet)));
      }
      for (Future<?> f : done) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
