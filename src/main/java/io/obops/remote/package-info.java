/**
 * Running commands on observer hosts over SSH, and stopping and starting observers with them.
 *
 * <p>Seams:
 *
 * <ul>
 *   <li>{@link io.obops.remote.RemoteShell} is the port: run one command on one {@link
 *       io.obops.remote.RemoteHost} ({@code user@ip:port}) and get its output. {@link
 *       io.obops.remote.SshRemoteShell} implements it with sshj: public key authentication ({@link
 *       io.obops.remote.SshIdentity}: a key file or key text, optionally with a passphrase), strict
 *       host key checking against a known_hosts file (an unknown, changed or {@code @revoked} key
 *       fails with the host and the SHA256 fingerprint seen; {@code @cert-authority} host
 *       certificates are accepted from the CAs listed for the host), connect and command timeouts,
 *       and a connection pool keyed by host: whatever command opens a host's connection (an
 *       inspection, a pre-flight's read, a stop) leaves it open for the next command on that host
 *       until it has been unused for {@code connectionIdleTimeout}; a dead one is replaced by a new
 *       connection whose host key is checked again. Two limits: at most {@code
 *       maxConcurrentHandshakes} connections being opened at once (the CPU-heavy part, on both
 *       ends), and at most {@code maxParallelHosts} commands in flight; a command whose host only
 *       waits for a process to exit holds no handshake slot. Callers get all of this through the
 *       {@code RemoteShell} port, with no side API. {@code RemoteShell#runScript} runs a {@link
 *       io.obops.remote.RemoteScript}; {@code SshRemoteShell} keeps one instance of a serving
 *       script running on each pooled connection (started on first use, proven to read its
 *       requests, checked with an empty request after 2 s idle) and hands it one command per line,
 *       or runs the script in a session of its own when that instance is busy, dead before a
 *       request was sent, or refused by the host. This is the only package that imports sshj;
 *       obops's copy of sshj's transport reader ({@code net.schmizz.sshj.transport.Reader}, loaded
 *       ahead of sshj's) reads through 16 KiB instead of holding 256 KiB per connection.
 *   <li>{@link io.obops.remote.SshObserverProcessControl} implements {@link
 *       io.obops.obcluster.ObserverProcessControl}. Each inspect, stop or start is one command of
 *       {@code observer-control.sh} (a resource next to it, serving), which checks the pid file,
 *       proves the pid is this server's observer by its argv[0], signals it, and polls on the host
 *       until the process is gone and the ports are released; or, to start, leaves a verified
 *       running observer alone, else refuses a held port, a missing binary or missing saved
 *       parameters, runs {@code cd home_path; home_path/bin/observer -p mysql_port} with {@code
 *       LD_LIBRARY_PATH=home_path/lib} as obd does, and polls until the verified process listens on
 *       both ports (or reports the tail of {@code log/observer.log} when it exits). {@code survey}
 *       runs its read-only {@code inspect} mode for the pre-flight plan (pid file, verified
 *       process, uptime, ports) and reports a host it cannot reach, or whose key is not the
 *       expected one, as a result, not an exception; it goes through the same {@link
 *       io.obops.remote.RemoteShell}, so a stop that follows reuses the plan's pooled connections.
 *   <li>{@link io.obops.remote.ShellQuoting} is the single place values become shell words: every
 *       value from the inventory is single-quoted, so shell syntax in it stays literal.
 *   <li>{@link io.obops.remote.RemoteConfiguration} and {@link io.obops.remote.RemoteProperties}
 *       ({@code obops.remote.*}) assemble it in Spring; a {@link io.obops.remote.SshClientFiles}
 *       bean (from the sandbox) replaces the configured key and known_hosts.
 * </ul>
 *
 * <p>No secret reaches a log, a message or a {@link io.obops.task.SubtaskLog}: keys and passphrases
 * are only read, never printed.
 */
package io.obops.remote;
