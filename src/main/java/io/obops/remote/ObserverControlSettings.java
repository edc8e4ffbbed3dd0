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
 */
public record ObserverControlSettings(
    StopSignal signal,
    Duration gracefulTimeout,
    Duration releaseTimeout,
    Duration pollInterval,
    Duration commandTimeout) {

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
    if (pollInterval.toMillis() < 10) {
      throw new IllegalArgumentException(
          "pollInterval must be at least 10 ms, was " + pollInterval);
    }
  }

  /** SIGKILL, 30 s graceful timeout (unused), 90 s to release, poll every 500 ms, 60 s commands. */
  public static ObserverControlSettings defaults() {
    return new ObserverControlSettings(
        StopSignal.KILL,
        Duration.ofSeconds(30),
        Duration.ofSeconds(90),
        Duration.ofMillis(500),
        Duration.ofSeconds(60));
  }

  public ObserverControlSettings withSignal(StopSignal value) {
    return new ObserverControlSettings(
        value, gracefulTimeout, releaseTimeout, pollInterval, commandTimeout);
  }

  public ObserverControlSettings withGracefulTimeout(Duration value) {
    return new ObserverControlSettings(signal, value, releaseTimeout, pollInterval, commandTimeout);
  }

  public ObserverControlSettings withReleaseTimeout(Duration value) {
    return new ObserverControlSettings(
        signal, gracefulTimeout, value, pollInterval, commandTimeout);
  }

  public ObserverControlSettings withPollInterval(Duration value) {
    return new ObserverControlSettings(
        signal, gracefulTimeout, releaseTimeout, value, commandTimeout);
  }

  public ObserverControlSettings withCommandTimeout(Duration value) {
    return new ObserverControlSettings(
        signal, gracefulTimeout, releaseTimeout, pollInterval, value);
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
