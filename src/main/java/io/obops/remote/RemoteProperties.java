package io.obops.remote;

import io.obops.remote.ObserverControlSettings.StopSignal;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.UnaryOperator;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code obops.remote.*}: how obops reaches observer hosts over SSH. Secrets are never values here:
 * the key and its passphrase come from files or name environment variables.
 *
 * @param enabled create the SSH {@code ObserverProcessControl} (default false; enabling the sandbox
 *     enables it too). Without it every stop fails with "no remote executor configured".
 * @param privateKey private key file (OpenSSH, PEM or PKCS#8) to log in with. Set this or {@code
 *     private-key-env}.
 * @param privateKeyEnv name of an environment variable holding the private key's text (for
 *     containers and CI secrets).
 * @param passphraseEnv name of an environment variable holding the key's passphrase, if encrypted.
 * @param passphraseFile file whose first line is the key's passphrase, if encrypted.
 * @param knownHosts OpenSSH known_hosts file every host key must be in (default {@code
 *     ~/.ssh/known_hosts}). An unknown or changed key fails the connection.
 * @param insecureSkipHostKeyCheck accept any host key. For the sandbox only: logged as a WARN each
 *     time the connection pool is created.
 * @param connectTimeout limit for TCP connect, key exchange and login, each (default 10s).
 * @param commandTimeout limit for a short remote step such as inspect; a stop gets this plus the
 *     graceful and release timeouts (default 60s).
 * @param maxParallelHosts how many commands may be in flight at once (default 256). A command whose
 *     host only waits for a process to exit costs a channel and a thread here, not CPU; the
 *     engine's workers ({@code obops.engine.workers}) bound it too.
 * @param maxConcurrentHandshakes how many SSH connections may be opened (TCP, key exchange, login)
 *     at once (default 32, as {@code parallel-ssh -p 32}): the CPU-heavy part, on both ends.
 * @param connectionIdleTimeout how long a host's connection stays open unused (default 5m): the
 *     connection an inspection (the stop's "Prepare" step, a pre-flight) opened is reused by the
 *     stop that follows within this time.
 * @param maxOpenConnections how many host connections may stay open at once (default 1024); opening
 *     one more closes an idle one (one unused for a minute, else the one opened last: see
 *     SshRemoteShell). Each costs a thread (about 90 KB resident) and about 100 KiB of heap
 *     (obops's sshj reader reads through 16 KiB), and on its host an idle sh (the serving control
 *     script).
 * @param keepScriptsRunning keep observer-control.sh running on each pooled connection and hand it
 *     each inspect, stop and start (default true): no SSH session, login shell or script start per
 *     command; false runs each command in a session of its own.
 * @param stopSignal {@code kill}: SIGKILL at once, like OCP, obd and obshell (default); {@code
 *     graceful}: SIGTERM, then SIGKILL after {@code graceful-timeout}.
 * @param gracefulTimeout in graceful mode, how long an observer gets to exit after SIGTERM (default
 *     30s).
 * @param releaseTimeout how long to wait for the process to be gone and mysql_port and rpc_port to
 *     be released before failing with "port N not released on HOST" (default 90s, as obd).
 * @param pollInterval how often the host re-checks process and ports while waiting (default 500ms;
 *     the first checks come sooner).
 * @param startTimeout how long a start waits for the launched observer to be alive with mysql_port
 *     and rpc_port listening before failing (default 10m: a real observer replays its log first).
 */
@Validated
@ConfigurationProperties("obops.remote")
public record RemoteProperties(
    @DefaultValue("false") boolean enabled,
    Path privateKey,
    String privateKeyEnv,
    String passphraseEnv,
    Path passphraseFile,
    Path knownHosts,
    @DefaultValue("false") boolean insecureSkipHostKeyCheck,
    @NotNull @DefaultValue("10s") Duration connectTimeout,
    @NotNull @DefaultValue("60s") Duration commandTimeout,
    @Min(1) @Max(4096) @DefaultValue("256") int maxParallelHosts,
    @Min(1) @Max(1024) @DefaultValue("32") int maxConcurrentHandshakes,
    @NotNull @DefaultValue("5m") Duration connectionIdleTimeout,
    @Min(1) @Max(100000) @DefaultValue("1024") int maxOpenConnections,
    @DefaultValue("true") boolean keepScriptsRunning,
    @NotNull @DefaultValue("kill") StopSignal stopSignal,
    @NotNull @DefaultValue("30s") Duration gracefulTimeout,
    @NotNull @DefaultValue("90s") Duration releaseTimeout,
    @NotNull @DefaultValue("500ms") Duration pollInterval,
    @NotNull @DefaultValue("10m") Duration startTimeout) {

  /** The identity these properties describe; {@code env} looks up environment variables. */
  SshIdentity identity(UnaryOperator<String> env) {
    if (privateKey != null && privateKeyEnv != null) {
      throw new IllegalStateException(
          "set either obops.remote.private-key or obops.remote.private-key-env, not both");
    }
    char[] passphrase = passphrase(env);
    if (privateKey != null) {
      return SshIdentity.fromFile(privateKey, passphrase);
    }
    if (privateKeyEnv != null) {
      return SshIdentity.fromPem(
          requireEnv(env, privateKeyEnv, "private-key-env"),
          "environment variable " + privateKeyEnv,
          passphrase);
    }
    throw new IllegalStateException(
        "obops.remote.enabled=true needs a key: set obops.remote.private-key (a file) or"
            + " obops.remote.private-key-env (an environment variable holding the key)");
  }

  /** known_hosts, defaulting to the current user's. */
  Path knownHostsOrDefault() {
    return knownHosts != null
        ? knownHosts
        : Path.of(System.getProperty("user.home"), ".ssh", "known_hosts");
  }

  SshSettings sshSettings(SshIdentity identity, Path knownHostsFile) {
    return new SshSettings(
        identity,
        knownHostsFile,
        insecureSkipHostKeyCheck,
        connectTimeout,
        maxParallelHosts,
        maxConcurrentHandshakes,
        connectionIdleTimeout,
        maxOpenConnections,
        keepScriptsRunning);
  }

  ObserverControlSettings observerControlSettings() {
    return new ObserverControlSettings(
        stopSignal, gracefulTimeout, releaseTimeout, pollInterval, commandTimeout, startTimeout);
  }

  private char[] passphrase(UnaryOperator<String> env) {
    if (passphraseEnv != null && passphraseFile != null) {
      throw new IllegalStateException(
          "set either obops.remote.passphrase-env or obops.remote.passphrase-file, not both");
    }
    if (passphraseEnv != null) {
      return requireEnv(env, passphraseEnv, "passphrase-env").toCharArray();
    }
    if (passphraseFile != null) {
      try {
        return Files.readAllLines(passphraseFile).stream().findFirst().orElse("").toCharArray();
      } catch (IOException e) {
        throw new UncheckedIOException(
            "cannot read obops.remote.passphrase-file " + passphraseFile, e);
      }
    }
    return null;
  }

  private static String requireEnv(UnaryOperator<String> env, String name, String property) {
    String value = env.apply(name);
    if (value == null || value.isEmpty()) {
      throw new IllegalStateException(
          "environment variable " + name + " (named by obops.remote." + property + ") is not set");
    }
    return value;
  }
}
