package io.obops.obcluster;

import io.obops.cluster.ObServer;
import io.obops.task.SubtaskLog;

/**
 * The port through which the stop graph touches observer processes on their hosts. The SSH
 * implementation lives in {@code io.obops.remote}; without it, {@link NoRemoteExecutor} fails every
 * call — never a pretend success.
 *
 * <p>Threading: called concurrently from engine worker threads, for different servers at once.
 * Implementations must be safe to call again for the same server after a crash (idempotent).
 */
public interface ObserverProcessControl {

  /**
   * "Prepare stop observer": checks that the host is reachable and the observer's state is known,
   * and logs what it found. Throws when the host cannot be reached or the state cannot be told.
   */
  ObserverState inspect(ObServer server, SubtaskLog log) throws Exception;

  /**
   * "Stop observer process": stops this server's observer and returns once the process is gone, its
   * mysql and rpc ports are released and its pid file is removed. Succeeds with {@link
   * StopReport#alreadyStopped()} when no observer runs. Throws with a message a person can act on
   * ("port 2881 not released on 10.0.0.5") when the stop cannot be confirmed.
   */
  StopReport stop(ObServer server, SubtaskLog log) throws Exception;

  /**
   * The pre-flight look at one server, read-only and never throwing for what it finds on the host:
   * whether the host answered over SSH with its expected host key, what the pid file says, how long
   * the observer has run, and whether its mysql and rpc ports are held. A host that cannot be
   * reached or inspected is a {@link Survey} with that {@link Reach} and a {@code problem} a person
   * can act on.
   *
   * <p>The default, for implementations that only {@link #inspect}, derives a survey from it (no
   * uptime, no ports).
   */
  default Survey survey(ObServer server) throws InterruptedException {
    try {
      ObserverState s = inspect(server, line -> {});
      return new Survey(
          Reach.REACHABLE,
          null,
          s.running() ? PidFile.RUNNING : PidFile.ABSENT,
          s.pid(),
          -1,
          java.util.Map.of(),
          null);
    } catch (InterruptedException e) {
      throw e;
    } catch (Exception e) {
      return Survey.failed(Reach.FAILED, e.getMessage() == null ? e.toString() : e.getMessage());
    }
  }

  /** How far a survey got with the host. */
  enum Reach {
    /** Logged in over SSH with the expected host key; the state below is the host's. */
    REACHABLE,
    /** No SSH answer (connection refused, timed out, broken). */
    UNREACHABLE,
    /** The host key is unknown, changed or revoked: nothing was run. */
    HOST_KEY_REJECTED,
    /** The host refused our key. */
    LOGIN_REFUSED,
    /** Reached, or not tried, but the state could not be told (no home_path, bad inventory). */
    FAILED
  }

  /** What the pid file says, as {@code observer-control.sh} classifies it. */
  enum PidFile {
    /** No pid file: no observer runs by it. */
    ABSENT,
    /** A live process whose argv[0] is this server's observer. */
    RUNNING,
    /** The pid it names is not alive: a stale pid file. */
    DEAD,
    /** The pid it names is alive but is not this server's observer. */
    FOREIGN,
    /** It does not hold a pid. */
    GARBAGE
  }

  /**
   * What {@link #survey} found. {@code pid} is the pid the file names (0 when none); {@code
   * uptimeSeconds} is how long a RUNNING observer has run (-1 when unknown); {@code portsHeld} maps
   * mysql_port and rpc_port to whether something listens on them at the server's address; {@code
   * foreignCommand} is what a FOREIGN pid runs.
   */
  record Survey(
      Reach reach,
      String problem,
      PidFile pidFile,
      long pid,
      long uptimeSeconds,
      java.util.Map<Integer, Boolean> portsHeld,
      String foreignCommand) {

    public Survey {
      portsHeld = java.util.Map.copyOf(portsHeld);
    }

    /** A host that could not be inspected, and why. */
    public static Survey failed(Reach reach, String problem) {
      return new Survey(reach, problem, null, 0, -1, java.util.Map.of(), null);
    }
  }

  /** What {@link #inspect} found. {@code pid} is 0 when the observer is not running. */
  record ObserverState(boolean running, long pid, String detail) {}

  /**
   * What {@link #stop} did: the pid signalled (0 when already stopped), and how long the process
   * and its ports took to go away, in milliseconds.
   */
  record StopReport(boolean alreadyStopped, long pid, String signal, long releasedAfterMillis) {}
}
