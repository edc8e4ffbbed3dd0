/**
 * Running commands on observer hosts over SSH, and stopping observers with them.
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
 *       one pooled connection per host, and at most {@code maxParallelHosts} hosts worked on at
 *       once. This is the only package that imports sshj.
 *   <li>{@link io.obops.remote.SshObserverProcessControl} implements {@link
 *       io.obops.obcluster.ObserverProcessControl}. Each inspect or stop is one SSH exchange
 *       running {@code observer-control.sh} (a resource next to it), which checks the pid file,
 *       proves the pid is this server's observer by its argv[0], signals it, and polls on the host
 *       until the process is gone and the ports are released. {@code survey} runs its read-only
 *       {@code inspect} mode for the pre-flight plan (pid file, verified process, uptime, ports)
 *       and reports a host it cannot reach, or whose key is not the expected one, as a result, not
 *       an exception; it goes through the same {@link io.obops.remote.RemoteShell}, so a stop that
 *       follows reuses the plan's pooled connections.
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
