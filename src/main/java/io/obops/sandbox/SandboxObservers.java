package io.obops.sandbox;

import io.obops.cluster.ObServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The simulated observer processes of one sandbox: starting them as obd does, knowing which pid is
 * whose (started here or adopted from a previous run), their pid files, and handing a port to a
 * child process. Processes of their own: they outlive the JVM, which is why a restart adopts them.
 * Thread-safe.
 */
final class SandboxObservers {

  private static final Logger log = LoggerFactory.getLogger(SandboxObservers.class);

  private final Path baseDir;
  private final Duration exitDelay;
  private final Map<Long, Long> pids = new ConcurrentHashMap<>();

  SandboxObservers(Path baseDir, Duration exitDelay) {
    this.baseDir = baseDir;
    this.exitDelay = exitDelay;
  }

  static Path pidFile(ObServer server) {
    return Path.of(server.homePath(), "run", "observer.pid");
  }

  /** Starts the server's observer as obd does; returns its pid once it listens. */
  long start(ObServer server, boolean ignoreSigterm) {
    Path home = Path.of(server.homePath());
    ProcessBuilder builder =
        new ProcessBuilder(
                home.resolve("bin/observer").toString(),
                "-p",
                Integer.toString(server.mysqlPort()),
                "-P",
                Integer.toString(server.rpcPort()),
                "-I",
                server.ip(),
                "-z",
                server.zoneName())
            .directory(home.toFile())
            .redirectErrorStream(true);
    builder.environment().put("OBOPS_SANDBOX_TERM_DELAY_MS", Long.toString(exitDelay.toMillis()));
    if (ignoreSigterm) {
      builder.environment().put("OBOPS_SANDBOX_IGNORE_TERM", "1");
    }
    try {
      Process launcher = builder.start();
      String output = new String(launcher.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!launcher.waitFor(10, TimeUnit.SECONDS) || launcher.exitValue() != 0) {
        launcher.destroyForcibly();
        throw new IllegalStateException(
            "observer of " + server.address() + " did not start: " + output.strip());
      }
      long pid = Long.parseLong(Files.readString(pidFile(server)).strip());
      pids.put(server.id(), pid);
      return pid;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the observer of " + server.address(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting " + server.address(), e);
    }
  }

  /**
   * The pid started or adopted for this server, if it still runs as this server's observer; else
   * the pid its pid file names, if that is this server's observer (one started over SSH, as the
   * start task does), which is then the one known for the server.
   */
  OptionalLong running(ObServer server) {
    Long pid = pids.get(server.id());
    if (pid != null && isObserver(pid, server)) {
      return OptionalLong.of(pid);
    }
    OptionalLong recorded = readPidFile(server);
    if (recorded.isPresent() && isObserver(recorded.getAsLong(), server)) {
      pids.put(server.id(), recorded.getAsLong());
      return recorded;
    }
    return OptionalLong.empty();
  }

  /** The pid started or adopted for this server, alive or not; null if none. */
  Long known(ObServer server) {
    return pids.get(server.id());
  }

  /** Every pid started or adopted, alive or not. */
  Map<Long, Long> all() {
    return Map.copyOf(pids);
  }

  /** Every live process that is this server's observer: its argv[0] is its home's bin/observer. */
  List<Long> processesOf(ObServer server) {
    return ProcNet.pidsByArgv0Under(baseDir.toString())
        .getOrDefault(server.homePath() + "/bin/observer", List.of());
  }

  static boolean isObserver(long pid, ObServer server) {
    return ProcNet.alive(pid)
        && ProcNet.argv0(pid).map(a -> a.equals(server.homePath() + "/bin/observer")).orElse(false);
  }

  /**
   * Takes stock of what a previous run on this base directory left: every live process whose
   * argv[0] is one of these servers' {@code home_path/bin/observer} is that server's observer (the
   * path lies under this base directory, so it is nobody else's). One per server is adopted (the
   * one its pid file names, else the oldest) and its pid file made to name it; any other is killed;
   * a pid file with no observer behind it is removed, and whatever it named is left alone.
   */
  void adopt(List<ObServer> servers) {
    Map<String, List<Long>> running = ProcNet.pidsByArgv0Under(baseDir.toString());
    for (ObServer s : servers) {
      List<Long> found = running.getOrDefault(s.homePath() + "/bin/observer", List.of());
      OptionalLong recorded = readPidFile(s);
      if (found.isEmpty()) {
        if (Files.exists(pidFile(s))) {
          deleteQuietly(pidFile(s));
          log.info(
              "sandbox: removed the stale pid file of {} (it named {}, which is not its observer)",
              s.address(),
              recorded.isPresent() ? "pid " + recorded.getAsLong() : "no pid");
        }
        continue;
      }
      long keep =
          recorded.isPresent() && found.contains(recorded.getAsLong())
              ? recorded.getAsLong()
              : found.stream().min(Comparator.comparing(SandboxObservers::startTime)).orElseThrow();
      pids.put(s.id(), keep);
      if (recorded.isEmpty() || recorded.getAsLong() != keep) {
        writePidFile(s, keep);
      }
      List<ProcessHandle> extra =
          found.stream().filter(p -> p != keep).flatMap(p -> ProcessHandle.of(p).stream()).toList();
      extra.forEach(ProcessHandle::destroyForcibly);
      awaitGone(extra);
      log.info(
          "sandbox: adopted the observer of {} still running as pid {}{}",
          s.address(),
          keep,
          extra.isEmpty() ? "" : "; killed " + extra.size() + " duplicate(s)");
    }
  }

  private static Instant startTime(long pid) {
    return ProcessHandle.of(pid).flatMap(p -> p.info().startInstant()).orElse(Instant.MAX);
  }

  private static OptionalLong readPidFile(ObServer server) {
    try {
      return OptionalLong.of(Long.parseLong(Files.readString(pidFile(server)).strip()));
    } catch (IOException | NumberFormatException e) {
      return OptionalLong.empty();
    }
  }

  static void writePidFile(ObServer server, long pid) {
    SandboxKeys.writeAtomically(pidFile(server), pid + "\n");
  }

  /**
   * Has the running observer fork a child that keeps {@code port}'s listening socket open (as a
   * helper process that inherited it would); returns that child once it is there.
   */
  ProcessHandle handPortToChild(ObServer server, long observer, int port) {
    Path holderPidFile = Path.of(server.homePath(), "run", "port-holder-" + port + ".pid");
    deleteQuietly(holderPidFile);
    String signal = port == server.mysqlPort() ? "-USR1" : "-USR2";
    try {
      Process kill = new ProcessBuilder("kill", signal, Long.toString(observer)).start();
      if (!kill.waitFor(10, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException("could not signal the observer of " + server.address());
      }
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (System.nanoTime() < deadline) {
        if (Files.exists(holderPidFile)) {
          long pid = Long.parseLong(Files.readString(holderPidFile).strip());
          return ProcessHandle.of(pid).orElseThrow();
        }
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
      }
      throw new IllegalStateException(
          "the observer of " + server.address() + " did not hand port " + port + " to a child");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hold port " + port + " on " + server.ip(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while holding a port", e);
    }
  }

  /** Waits (at most 5 s) until the processes are gone; a zombie counts as gone. */
  static void awaitGone(List<ProcessHandle> processes) {
    // Killed daemons are children of init, which may reap them late.
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
    for (ProcessHandle p : processes) {
      while (ProcNet.alive(p.pid()) && System.nanoTime() < deadline) {
        LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5));
      }
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      log.warn("sandbox: could not delete {}: {}", file, e.toString());
    }
  }
}
