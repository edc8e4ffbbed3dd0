package io.obops.remote;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * How {@link SshRemoteShell} connects: which key, which known_hosts file, how long to wait, and how
 * many hosts to work on at once.
 *
 * @param identity the private key to log in with
 * @param knownHosts the OpenSSH known_hosts file every host key is checked against
 * @param insecureSkipHostKeyCheck accept any host key (logged as a WARN); for the sandbox only
 * @param connectTimeout TCP connect, key exchange and authentication, each
 * @param maxParallelHosts how many hosts may have a command in flight at once
 */
public record SshSettings(
    SshIdentity identity,
    Path knownHosts,
    boolean insecureSkipHostKeyCheck,
    Duration connectTimeout,
    int maxParallelHosts) {

  public static final int DEFAULT_MAX_PARALLEL_HOSTS = 32;
  public static final Duration DEFAULT_CONNECT_TIMEOUT = Duration.ofSeconds(10);

  public SshSettings {
    Objects.requireNonNull(identity, "identity");
    Objects.requireNonNull(connectTimeout, "connectTimeout");
    if (knownHosts == null && !insecureSkipHostKeyCheck) {
      throw new IllegalArgumentException(
          "a known_hosts file is required for strict host key checking");
    }
    if (maxParallelHosts < 1) {
      throw new IllegalArgumentException(
          "maxParallelHosts must be at least 1, was " + maxParallelHosts);
    }
    if (connectTimeout.isNegative() || connectTimeout.isZero()) {
      throw new IllegalArgumentException("connectTimeout must be positive, was " + connectTimeout);
    }
  }

  /** Strict host key checking, default timeout and parallelism. */
  public static SshSettings strict(SshIdentity identity, Path knownHosts) {
    return new SshSettings(
        identity, knownHosts, false, DEFAULT_CONNECT_TIMEOUT, DEFAULT_MAX_PARALLEL_HOSTS);
  }

  public SshSettings withConnectTimeout(Duration timeout) {
    return new SshSettings(
        identity, knownHosts, insecureSkipHostKeyCheck, timeout, maxParallelHosts);
  }

  public SshSettings withMaxParallelHosts(int max) {
    return new SshSettings(identity, knownHosts, insecureSkipHostKeyCheck, connectTimeout, max);
  }
}
