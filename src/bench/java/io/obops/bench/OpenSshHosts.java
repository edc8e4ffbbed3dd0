package io.obops.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hosts for the openssh-stop benchmark, on loopback: Debian's {@code /usr/sbin/sshd} started by us
 * on a high port with our own sshd_config, host key and authorized_keys (never the system's sshd,
 * never port 22), one address 127.0.X.Y per host (an sshd listens on at most 16 addresses, so there
 * is one sshd per 16 hosts), a known_hosts naming every host, and a simulated observer per host (a
 * small C program, {@code src/bench/c/observer.c}, compiled here with gcc): argv[0] {@code
 * HOME/bin/observer}, listening on its mysql and rpc ports at its own address, exiting 0.5 s after
 * SIGTERM.
 */
final class OpenSshHosts implements AutoCloseable {

  static final int MYSQL_PORT = 42881;
  static final int RPC_PORT = 42882;
  private static final int ADDRESSES_PER_SSHD = 16;
  private static final Path OBSERVER_SOURCE = Path.of("src/bench/c/observer.c");

  final Path work;
  final int port;
  final List<String> ips;
  final Path clientKey;
  final Path knownHosts;
  private final Path observer;
  private final List<Process> sshds = new ArrayList<>();

  private OpenSshHosts(Path work, int port, List<String> ips) {
    this.work = work;
    this.port = port;
    this.ips = ips;
    this.clientKey = work.resolve("id_ed25519");
    this.knownHosts = work.resolve("known_hosts");
    this.observer = work.resolve("observer");
  }

  /** Keys, known_hosts, homes and {@code count} hosts' sshds, all listening when this returns. */
  static OpenSshHosts start(Path work, int count) throws Exception {
    List<String> ips = new ArrayList<>();
    for (int i = 0; ips.size() < count; i++) {
      int third = 200 + i / 254;
      ips.add("127.0." + third + "." + (i % 254 + 1));
    }
    OpenSshHosts hosts = new OpenSshHosts(work, freePort(), ips);
    try {
      hosts.setUp();
      return hosts;
    } catch (Exception | Error e) {
      hosts.close();
      throw e;
    }
  }

  String home(String ip) {
    return work.resolve("h").resolve(ip).toString();
  }

  private void setUp() throws Exception {
    Path runSshd = Path.of("/run/sshd"); // sshd's privilege separation directory
    if (!Files.isDirectory(runSshd)) {
      Files.createDirectories(runSshd);
    }
    run(
        "ssh-keygen",
        "-q",
        "-t",
        "ed25519",
        "-N",
        "",
        "-f",
        work.resolve("host_ed25519").toString());
    run("ssh-keygen", "-q", "-t", "ed25519", "-N", "", "-f", clientKey.toString());
    Path authorized = work.resolve("authorized_keys");
    Files.copy(work.resolve("id_ed25519.pub"), authorized);
    String hostKey = Files.readString(work.resolve("host_ed25519.pub")).trim();
    hostKey = hostKey.substring(0, hostKey.lastIndexOf(' ')); // drop the comment
    StringBuilder known = new StringBuilder();
    for (String ip : ips) {
      known.append('[').append(ip).append("]:").append(port).append(' ').append(hostKey);
      known.append('\n');
    }
    Files.writeString(knownHosts, known);
    run("gcc", "-O2", "-o", observer.toString(), OBSERVER_SOURCE.toAbsolutePath().toString());
    for (String ip : ips) {
      Path bin = Path.of(home(ip), "bin");
      Files.createDirectories(bin);
      Files.createSymbolicLink(bin.resolve("observer"), observer);
    }
    for (int g = 0; g * ADDRESSES_PER_SSHD < ips.size(); g++) {
      List<String> group =
          ips.subList(g * ADDRESSES_PER_SSHD, Math.min(ips.size(), (g + 1) * ADDRESSES_PER_SSHD));
      StringBuilder config = new StringBuilder();
      config.append("Port ").append(port).append('\n');
      group.forEach(ip -> config.append("ListenAddress ").append(ip).append('\n'));
      config.append("HostKey ").append(work.resolve("host_ed25519")).append('\n');
      config.append("AuthorizedKeysFile ").append(authorized).append('\n');
      config.append("PidFile none\n");
      config.append("StrictModes no\n");
      config.append("UsePAM no\n");
      config.append("PasswordAuthentication no\n");
      config.append("KbdInteractiveAuthentication no\n");
      config.append("PermitRootLogin prohibit-password\n");
      // every host is a machine of its own in production: no shared limit on handshakes
      config.append("MaxStartups 2000\n");
      config.append("MaxSessions 16\n");
      config.append("UseDNS no\n");
      // A login as on an observer host, not as this machine's root: bash sources ~/.bashrc for a
      // command run by sshd unless it is a nested shell, and root's here runs pyenv's init (a
      // dozen forks per command). Both obops and parallel-ssh run their commands through it.
      config.append("SetEnv SHLVL=1\n");
      config.append("LogLevel ERROR\n");
      Path file = work.resolve("sshd_config_" + g);
      Files.writeString(file, config);
      sshds.add(
          new ProcessBuilder("/usr/sbin/sshd", "-D", "-e", "-f", file.toString())
              .redirectErrorStream(true)
              .redirectOutput(work.resolve("sshd_" + g + ".log").toFile())
              .start());
    }
    for (int g = 0; g < sshds.size(); g++) {
      awaitListening(ips.get(g * ADDRESSES_PER_SSHD), g);
    }
  }

  /** Starts the observers of these hosts; returns once each has written its pid file. */
  void startObservers(List<String> which) throws Exception {
    StringBuilder list = new StringBuilder();
    for (String ip : which) {
      list.append(home(ip))
          .append(' ')
          .append(ip)
          .append(' ')
          .append(MYSQL_PORT)
          .append(' ')
          .append(RPC_PORT)
          .append('\n');
    }
    Path file = work.resolve("observers.list");
    Files.writeString(file, list);
    run(observer.toString(), "launch", file.toString(), "500");
  }

  /** The pids the observers of these hosts wrote. */
  List<Long> observerPids(List<String> which) throws IOException {
    List<Long> pids = new ArrayList<>();
    for (String ip : which) {
      pids.add(Long.parseLong(Files.readString(Path.of(home(ip), "run", "observer.pid")).trim()));
    }
    return pids;
  }

  /** Throws unless every one of these observers is gone and its pid file removed. */
  void requireStopped(List<String> which, List<Long> pids) throws IOException {
    for (int i = 0; i < which.size(); i++) {
      String ip = which.get(i);
      if (Files.exists(Path.of(home(ip), "run", "observer.pid"))) {
        throw new IllegalStateException("pid file of " + ip + " is still there");
      }
      Path stat = Path.of("/proc", Long.toString(pids.get(i)), "stat");
      if (Files.exists(stat)) {
        String s = Files.readString(stat);
        char state = s.charAt(s.lastIndexOf(')') + 2);
        if (state != 'Z' && state != 'X') {
          throw new IllegalStateException("observer of " + ip + " is still running");
        }
      }
    }
  }

  /** Kills whatever observers of these hosts still run (after a failed run). */
  void killObservers(List<String> which) {
    for (String ip : which) {
      try {
        Path pidFile = Path.of(home(ip), "run", "observer.pid");
        if (Files.exists(pidFile)) {
          long pid = Long.parseLong(Files.readString(pidFile).trim());
          ProcessHandle.of(pid)
              .filter(p -> p.info().command().map(c -> c.equals(observer.toString())).orElse(true))
              .ifPresent(ProcessHandle::destroyForcibly);
          Files.deleteIfExists(pidFile);
        }
      } catch (IOException | RuntimeException e) {
        // best effort
      }
    }
  }

  @Override
  public void close() {
    killObservers(ips);
    for (Process p : sshds) {
      p.destroy();
    }
    for (Process p : sshds) {
      try {
        p.waitFor(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void awaitListening(String ip, int group) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (true) {
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress(ip, port), 500);
        return;
      } catch (IOException e) {
        if (!sshds.get(group).isAlive() || System.nanoTime() > deadline) {
          throw new IllegalStateException(
              "sshd "
                  + group
                  + " did not listen on "
                  + ip
                  + ":"
                  + port
                  + ": "
                  + Files.readString(work.resolve("sshd_" + group + ".log")));
        }
        Thread.sleep(20);
      }
    }
  }

  static String run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
    }
    return out;
  }

  static int freePort() {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
