package io.obops.remote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SshRemoteShell} connects: which key, which known_hosts file, how long to wait, how
 * many handshakes and commands at once, and how long an unused connection stays open.
 *
 * @param identity the private key to log in with
 * @param knownHosts the OpenSSH known_hosts file every host key is checked against
 * @param insecureSkipHostKeyCheck accept any host key (logged as a WARN); for the sandbox only
 * @param connectTimeout TCP connect, key exchange and authentication, each
 * @param maxParallelHosts how many commands may be in flight at once (a command whose host only
 *     waits for a process to exit holds nothing else: no handshake slot, no CPU here)
 * @param maxConcurrentHandshakes how many connections may be opened (TCP, key exchange, login) at
 *     once: the costly part, on both ends, and what {@code parallel-ssh -p} limits
 * @param connectionIdleTimeout how long a pooled connection nobody uses stays open; the next
 *     command on that host (an inspection, then the stop) reuses it within that time
 * @param maxOpenConnections how many connections may stay open at once: opening one more closes an
 *     idle one, one unused for a minute (least recently used first) or else the one opened last
 *     (each costs a thread and, with obops's sshj reader, about 100 KiB of heap)
 * @param keepScriptsRunning keep one instance of a serving script (observer-control.sh) running on
 *     each pooled connection and hand it each command, instead of a session and a shell per command
 */
public record SshSettings(
    SshIdentity identity,
    Path knownHosts,
    boolean insecureSkipHostKeyCheck,
    Duration connectTimeout,
    int maxParallelHosts,
    int maxConcurrentHandshakes,
    Duration connectionIdleTimeout,
    int maxOpenConnections,
    boolean keepScriptsRunning) {

  public static final int DEFAULT_MAX_PARALLEL_HOSTS = 256;
  public static final int DEFAULT_MAX_CONCURRENT_HANDSHAKES = 32;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);
  public static final Duration DEFAULT_CONNECTION_IDLE_TIMEOUT = Duration.ofMinutes(5);
  public static final int DEFAULT_MAX_OPEN_CONNECTIONS = 1024;

  public SshSettings {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    Objects.requireNonNull(connectionIdleTimeout, "connectionIdleTimeout");
    if (knownHosts == null && !insecureSkipHostKeyCheck) {
      throw new IllegalArgumentException(
          "a known_hosts file is required for strict host key checking");
    }
    if (maxParallelHosts < 1) {
      throw new IllegalArgumentException(
          "maxParallelHosts must be at least 1, was " + maxParallelHosts);
    }
    if (maxConcurrentHandshakes < 1) {
      throw new IllegalArgumentException(
          "maxConcurrentHandshakes must be at least 1, was " + maxConcurrentHandshakes);
    }
    if (maxOpenConnections < 1) {
      throw new IllegalArgumentException(
          "maxOpenConnections must be at least 1, was " + maxOpenConnections);
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
    }
    if (connectionIdleTimeout.isNegative() || connectionIdleTimeout.isZero()) {
      throw new IllegalArgumentException(
          "connectionIdleTimeout must be positive, was " + connectionIdleTimeout);
    }
  }

  /** The earlier five-field form: default handshake limit and idle timeout. */
  public SshSettings(
      SshIdentity identity,
      Path knownHosts,
      boolean insecureSkipHostKeyCheck,
      Duration connectTimeout,
      int maxParallelHosts) {
    this(
        identity,
        knownHosts,
        insecureSkipHostKeyCheck,
        connectTimeout,
        maxParallelHosts,
        DEFAULT_MAX_CONCURRENT_HANDSHAKES,
        DEFAULT_CONNECTION_IDLE_TIMEOUT,
        DEFAULT_MAX_OPEN_CONNECTIONS,
        true);
  }

  /** Strict host key checking, default timeouts and parallelism. */
  public static SshSettings strict(SshIdentity identity, Path knownHosts) {
    return new SshSettings(
        identity, knownHosts, false, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_PARALLEL_HOSTS);
  }

  public SshSettings withConnectTimeout(Duration timeout) {
    return new SshSettings(
        identity,
        knownHosts,
        insecureSkipHostKeyCheck,
        timeout,
        maxParallelHosts,
        maxConcurrentHandshakes,
        connectionIdleTimeout,
        maxOpenConnections,
        keepScriptsRunning);
  }

  public SshSettings withMaxParallelHosts(int max) {
    return new SshSettings(
        identity,
        knownHosts,
        insecureSkipHostKeyCheck,
        connectTimeout,
        max,
        maxConcurrentHandshakes,
        connectionIdleTimeout,
        maxOpenConnections,
        keepScriptsRunning);
  }

  public SshSettings withMaxConcurrentHandshakes(int max) {
    return new SshSettings(
        identity,
        knownHosts,
        insecureSkipHostKeyCheck,
        connectTimeout,
        maxParallelHosts,
        max,
        connectionIdleTimeout,
        maxOpenConnections,
        keepScriptsRunning);
  }

  public SshSettings withConnectionIdleTimeout(Duration timeout) {
    return new SshSettings(
        identity,
        knownHosts,
        insecureSkipHostKeyCheck,
        connectTimeout,
        maxParallelHosts,
        maxConcurrentHandshakes,
        timeout,
        maxOpenConnections,
        keepScriptsRunning);
  }

  public SshSettings withMaxOpenConnections(int max) {
    return new SshSettings(
        identity,
        knownHosts,
        insecureSkipHostKeyCheck,
        connectTimeout,
        maxParallelHosts,
        maxConcurrentHandshakes,
        connectionIdleTimeout,
        max,
        keepScriptsRunning);
  }

  public SshSettings withKeepScriptsRunning(boolean keep) {
    return new SshSettings(
        identity,
        knownHosts,
        insecureSkipHostKeyCheck,
        connectTimeout,
        maxParallelHosts,
        maxConcurrentHandshakes,
        connectionIdleTimeout,
        maxOpenConnections,
        keep);
  }
}
