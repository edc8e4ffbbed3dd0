/**
 * The sandbox: a demo OceanBase cluster of real processes behind real SSH, for the embedded default
 * and for tests. Off unless {@code obops.sandbox.enabled=true} (or built in a test with {@link
 * io.obops.sandbox.Sandbox#builder()}).
 *
 * <p>Each simulated host is an Apache MINA SSHD server on its own loopback address 127.X.Y.K (X.Y
 * random per sandbox), with a generated host key recorded in the sandbox's known_hosts (it can also
 * present a host certificate), accepting only the sandbox's generated client key and running each
 * command with {@code /bin/sh -c} as the current OS user. Private keys are created 0600 in one
 * system call. Each simulated observer is a small Perl daemon ({@code observer.pl}, copied to
 * {@code home_path/bin/observer}) that writes {@code home_path/run/observer.pid} and listens on its
 * mysql and rpc ports at its own address, without {@code SO_REUSEPORT} (a duplicate fails to bind);
 * a few MB each, so hundreds can run at once.
 *
 * <p>Observers are processes of their own and outlive the JVM: a sandbox started again on a kept
 * base directory (the embedded default's {@code data/sandbox}, also after kill -9) adopts those
 * still running, found by argv[0] in /proc, removes stale pid files and kills duplicates ({@link
 * io.obops.sandbox.SandboxObservers}); {@link io.obops.sandbox.Sandbox#resume} then starts only the
 * servers recorded RUNNING.
 *
 * <p>Seams: {@link io.obops.sandbox.Sandbox#servers()} gives the inventory as {@link
 * io.obops.cluster.ObServer} values; {@link io.obops.sandbox.Sandbox#clientPrivateKey()} and {@link
 * io.obops.sandbox.Sandbox#knownHosts()} are what the remote executor needs (handed over in Spring
 * as an {@link io.obops.remote.SshClientFiles} bean). The fault helpers on {@link
 * io.obops.sandbox.Sandbox} make hosts unreachable, change or certify host keys, plant pid files,
 * start stubborn observers, hold ports and simulate a kill -9 ({@link
 * io.obops.sandbox.Sandbox#crash()}). This is the only package that imports MINA SSHD.
 */
package io.obops.sandbox;
