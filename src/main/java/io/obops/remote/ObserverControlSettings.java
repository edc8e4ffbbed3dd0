package io.obops.remote;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SshObserverProcessControl} stops an observer.
 *
 * @param signal {@link StopSignal#KILL} (SIGKILL at once, like OCP, obd and obshell) or {@link
 *     StopSignal#GRACEFUL} (SIGTERM, then SIGKILL after {@code gracefulTimeout})
 * @param gracefulTimeout in graceful mode, how long the observer gets to exit after SIGTERM
 * @param releaseTimeout how long to wait, after the signal, for the process to be gone and its
 *     mysql and rpc ports to be released (obd waits about 90 s)
 * @param pollInterval how often the host re-checks the process and the ports while waiting
 * @param commandTimeout how long a short remote step (inspect) may take; a stop may take this plus
 *     the graceful and release timeouts
 * @param startTimeout how long a start waits, after launching {@code bin/observer}, for the
 *     verified process to be alive with its mysql and rpc ports listening (long: a real observer
 *     replays its log before it serves); a start may take this plus the command timeout
 */
public record ObserverControlSettings(
    StopSignal signal,
    Duration gracefulTimeout,
    Duration releaseTimeout,
    Duration pollInterval,
    Duration commandTimeout,
    Duration startTimeout) {

  /** How the observer is signalled. */
  public enum StopSignal {
    KILL,
    GRACEFUL
  }

  public ObserverControlSettings {
    Objects.requireNonNull(signal, "signal");
    requirePositive("gracefulTimeout", gracefulTimeout);
    requirePositive("releaseTimeout", releaseTimeout);
    requirePositive("pollInterval", pollInterval);
    requirePositive("commandTimeout", commandTimeout);
    requirePositive("startTimeout", startTimeout);
    if (pollInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "pollInterval must be at least 10 ms, was " + pollInterval);
    }
  }

  /**
   * SIGKILL, 30 s graceful timeout (unused), 90 s to release, poll every 500 ms, 60 s commands, 10
   * min for an observer to start serving.
   */
  public static ObserverControlSettings defaults() {
    return new ObserverControlSettings(
        StopSignal.KILL,
        Duration.ofSeconds(30),
        Duration.ofSeconds(90),
        Duration.ofMillis(500),
        Duration.ofSeconds(60),
        Duration.ofMinutes(10));
  }

  public ObserverControlSettings withSignal(StopSignal value) {
    return new ObserverControlSettings(
        value, gracefulTimeout, releaseTimeout, pollInterval, commandTimeout, startTimeout);
  }

  public ObserverControlSettings withGracefulTimeout(Duration value) {
    return new ObserverControlSettings(
        signal, value, releaseTimeout, pollInterval, commandTimeout, startTimeout);
  }

  public ObserverControlSettings withReleaseTimeout(Duration value) {
    return new ObserverControlSettings(
        signal, gracefulTimeout, value, pollInterval, commandTimeout, startTimeout);
  }

  public ObserverControlSettings withPollInterval(Duration value) {
    return new ObserverControlSettings(
        signal, gracefulTimeout, releaseTimeout, value, commandTimeout, startTimeout);
  }

  public ObserverControlSettings withCommandTimeout(Duration value) {
    return new ObserverControlSettings(
        signal, gracefulTimeout, releaseTimeout, pollInterval, value, startTimeout);
  }

  public ObserverControlSettings withStartTimeout(Duration value) {
    return new ObserverControlSettings(
        signal, gracefulTimeout, releaseTimeout, pollInterval, commandTimeout, value);
  }

  /** The longest a start may take on the host, plus the command timeout as a margin. */
  Duration startCommandTimeout() {
    return startTimeout.plus(commandTimeout);
  }

  /** The longest a stop may take on the host, plus the command timeout as a margin. */
  Duration stopCommandTimeout() {
    Duration total = releaseTimeout.plus(commandTimeout);
    return signal == StopSignal.GRACEFUL ? total.plus(gracefulTimeout) : total;
  }

  private static void requirePositive(String name, Duration value) {
    if (value == null || value.isNegative() || value.isZero()) {
      throw new IllegalArgumentException(name + " must be positive, was " + value);
    }
  }
}
