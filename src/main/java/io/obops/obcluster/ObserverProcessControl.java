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
   * "Start observer process": starts this server's observer the way obd does ({@code cd home_path;
   * bin/observer -p mysql_port} with {@code LD_LIBRARY_PATH=home_path/lib}, the observer reading
   * its saved parameters from {@code etc/}) and returns once the process its pid file names is
   * verified to be this server's observer, alive, with its mysql and rpc ports listening. Succeeds
   * with {@link StartReport#alreadyRunning()} when such an observer already runs. Throws with a
   * message a person can act on (binary missing, port held by another process, the process exited
   * at once with the tail of its log, not listening within the start timeout).
   */
  StartReport start(ObServer server, SubtaskLog log) throws Exception;

  /** What {@link #inspect} found. {@code pid} is 0 when the observer is not running. */
  record ObserverState(boolean running, long pid, String detail) {}

  /**
   * What {@link #stop} did: the pid signalled (0 when already stopped), and how long the process
   * and its ports took to go away, in milliseconds.
   */
  record StopReport(boolean alreadyStopped, long pid, String signal, long releasedAfterMillis) {}

  /**
   * What {@link #start} did: the observer's pid, and how long after the launch it was alive and
   * listening, in milliseconds (0 when it was already running).
   */
  record StartReport(boolean alreadyRunning, long pid, long readyAfterMillis) {}
}
