/**
 * The sandbox: a demo OceanBase cluster of real processes behind real SSH, for the embedded default
 * and for tests. Off unless {@code obops.sandbox.enabled=true} (or built in a test with {@link
 * io.obops.sandbox.Sandbox#builder()}).
 *
 * <p>Each simulated host is an Apache MINA SSHD server on its own loopback address 127.X.Y.K (X.Y
 * random per sandbox), with a generated host key recorded in the sandbox's known_hosts, accepting
 * only the sandbox's generated client key and running each command with {@code /bin/sh -c} as the
 * current OS user. Each simulated observer is a small Perl daemon ({@code observer.pl}, copied to
 * {@code home_path/bin/observer}) that writes {@code home_path/run/observer.pid} and listens on its
 * mysql and rpc ports at its own address; a few MB each, so hundreds can run at once.
 *
 * <p>Seams: {@link io.obops.sandbox.Sandbox#servers()} gives the inventory as {@link
 * io.obops.cluster.ObServer} values; {@link io.obops.sandbox.Sandbox#clientPrivateKey()} and {@link
 * io.obops.sandbox.Sandbox#knownHosts()} are what the remote executor needs (handed over in Spring
 * as an {@link io.obops.remote.SshClientFiles} bean). The fault helpers on {@link
 * io.obops.sandbox.Sandbox} make hosts unreachable, change host keys, plant pid files, start
 * stubborn observers and hold ports. This is the only package that imports MINA SSHD.
 */
package io.obops.sandbox;
