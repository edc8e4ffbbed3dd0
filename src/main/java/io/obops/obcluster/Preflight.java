package io.obops.obcluster;

import io.obops.cluster.ClusterSnapshot;
import io.obops.cluster.ObServerStatus;
import io.obops.cluster.PreflightPlan;
import io.obops.cluster.PreflightPlan.Access;
import io.obops.cluster.PreflightPlan.Anomaly;
import io.obops.cluster.PreflightPlan.AnomalyKind;
import io.obops.cluster.PreflightPlan.Finding;
import io.obops.cluster.PreflightPlan.Observer;
import io.obops.obcluster.ObserverProcessControl.PidFile;
import io.obops.obcluster.ObserverProcessControl.Survey;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The pre-flight inspection: every server of a snapshot surveyed at once ({@link
 * ObserverProcessControl#survey}, read-only), within one overall deadline, and what came back
 * turned into a {@link PreflightPlan} with its anomalies (stale or foreign pid file, a port held
 * while no observer runs, an observer not listening, a host that could not be reached or
 * inspected). A server that does not answer in time is in the plan as not inspected: the plan is
 * never held up by one host.
 *
 * <p>Threading: {@link #inspect} may be called from many threads; the surveys run on this class's
 * own pool ({@code parallelism} threads), which {@link #close} shuts down.
 */
public final class Preflight implements AutoCloseable {

  private final ObserverProcessControl observers;
  private final Duration timeout;
  private final Duration timeoutPerServer;
  private final Clock clock;
  private final ExecutorService pool;

  public Preflight(
      ObserverProcessControl observers, Duration timeout, int parallelism, Clock clock) {
    this(observers, timeout, Duration.ZERO, parallelism, clock);
  }

  public Preflight(
      ObserverProcessControl observers,
      Duration timeout,
      Duration timeoutPerServer,
      int parallelism,
      Clock clock) {
    if (timeoutPerServer.isNegative()) {
      throw new IllegalArgumentException(
          "obops.preflight.timeout-per-server must not be negative, was " + timeoutPerServer);
    }
    this.observers = observers;
    this.timeout = timeout;
    this.timeoutPerServer = timeoutPerServer;
    this.clock = clock;
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            parallelism,
            r -> {
              Thread t = new Thread(r, "obops-preflight-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Surveys every server of the snapshot; version is the plan's number. */
  public PreflightPlan inspect(long clusterId, List<ClusterSnapshot.Server> servers, int version)
      throws InterruptedException {
    OffsetDateTime at = OffsetDateTime.now(clock);
    long started = System.nanoTime();
    List<Callable<Survey>> calls = new ArrayList<>();
    for (ClusterSnapshot.Server s : servers) {
      calls.add(() -> observers.survey(s.toObServer(clusterId, ObServerStatus.RUNNING)));
    }
    Duration deadline = deadline(timeout, timeoutPerServer, servers.size());
    List<Future<Survey>> results =
        servers.isEmpty()
            ? List.of()
            : pool.invokeAll(calls, deadline.toMillis(), TimeUnit.MILLISECONDS);
    List<Finding> findings = new ArrayList<>();
    for (int i = 0; i < servers.size(); i++) {
      findings.add(finding(servers.get(i), outcome(results.get(i), deadline)));
    }
    long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
    return new PreflightPlan(version, at, took, findings);
  }

  /**
   * How long the inspection of {@code servers} servers may take: {@code timeout}, plus {@code
   * perServer} for each (a thousand servers' handshakes alone outlast a fixed deadline).
   */
  static Duration deadline(Duration timeout, Duration perServer, int servers) {
    return timeout.plus(perServer.multipliedBy(servers));
  }

  private static Survey outcome(Future<Survey> f, Duration deadline) throws InterruptedException {
    try {
      return f.get();
    } catch (CancellationException e) {
      return Survey.failed(
          ObserverProcessControl.Reach.UNREACHABLE,
          "no answer within "
              + deadline.toSeconds()
              + " s (obops.preflight.timeout and timeout-per-server)");
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      return Survey.failed(
          ObserverProcessControl.Reach.FAILED,
          c.getMessage() == null ? c.toString() : c.getMessage());
    }
  }

  /** What a survey means for the approver: the server's finding and its anomalies. */
  static Finding finding(ClusterSnapshot.Server s, Survey v) {
    List<Anomaly> anomalies = new ArrayList<>();
    if (v.reach() != ObserverProcessControl.Reach.REACHABLE) {
      Access access =
          switch (v.reach()) {
            case UNREACHABLE -> Access.UNREACHABLE;
            case HOST_KEY_REJECTED -> Access.HOST_KEY_REJECTED;
            case LOGIN_REFUSED -> Access.LOGIN_REFUSED;
            default -> Access.NOT_INSPECTED;
          };
      AnomalyKind kind = AnomalyKind.valueOf(access.name());
      anomalies.add(new Anomaly(kind, v.problem() == null ? "not inspected" : v.problem()));
      return new Finding(
          s.id(),
          s.zone(),
          s.address(),
          access,
          v.problem(),
          Observer.UNKNOWN,
          0,
          -1,
          List.of(),
          anomalies);
    }
    List<PreflightPlan.Port> ports = new ArrayList<>();
    for (int port : List.of(s.mysqlPort(), s.rpcPort())) {
      Boolean held = v.portsHeld().get(port);
      if (held != null) {
        ports.add(new PreflightPlan.Port(port, held));
      }
    }
    Map<Integer, Boolean> held = v.portsHeld();
    Observer observer;
    long pid = 0;
    PidFile pidFile = v.pidFile() == null ? PidFile.ABSENT : v.pidFile();
    switch (pidFile) {
      case RUNNING -> {
        observer = Observer.RUNNING;
        pid = v.pid();
        for (PreflightPlan.Port p : ports) {
          if (!p.held()) {
            anomalies.add(
                new Anomaly(
                    AnomalyKind.PORT_NOT_LISTENING,
                    "observer pid " + v.pid() + " runs but nothing listens on port " + p.port()));
          }
        }
      }
      case DEAD -> {
        observer = Observer.NOT_RUNNING;
        anomalies.add(
            new Anomaly(
                AnomalyKind.STALE_PID_FILE,
                "stale pid file: it names pid " + v.pid() + ", which is not alive"));
      }
      case FOREIGN -> {
        observer = held.containsValue(true) ? Observer.UNKNOWN : Observer.NOT_RUNNING;
        anomalies.add(
            new Anomaly(
                AnomalyKind.FOREIGN_PID_FILE,
                "pid file names pid "
                    + v.pid()
                    + ", which runs "
                    + (v.foreignCommand() == null ? "another command" : v.foreignCommand())
                    + ", not this observer"));
      }
      case GARBAGE -> {
        observer = held.containsValue(true) ? Observer.UNKNOWN : Observer.NOT_RUNNING;
        anomalies.add(new Anomaly(AnomalyKind.FOREIGN_PID_FILE, "pid file does not hold a pid"));
      }
      default -> observer = Observer.NOT_RUNNING;
    }
    if (pidFile != PidFile.RUNNING) {
      for (PreflightPlan.Port p : ports) {
        if (p.held()) {
          anomalies.add(
              new Anomaly(
                  AnomalyKind.PORT_HELD_BY_OTHER,
                  "port "
                      + p.port()
                      + " is held by another process while no observer runs by the pid file;"
                      + " the stop waits for it to be released"));
        }
      }
    }
    return new Finding(
        s.id(),
        s.zone(),
        s.address(),
        Access.REACHABLE,
        null,
        observer,
        pid,
        pidFile == PidFile.RUNNING ? v.uptimeSeconds() : -1,
        ports,
        anomalies);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
