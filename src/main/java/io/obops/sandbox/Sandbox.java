package io.obops.sandbox;

import io.obops.cluster.InventoryLoader;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObServerStatus;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A demo OceanBase cluster made of real processes reached over real SSH: {@code zones ×
 * serversPerZone} simulated hosts, each an embedded SSH server (Apache MINA SSHD) on its own
 * loopback address 127.X.Y.K, each running a simulated observer (a small Perl daemon whose argv[0]
 * is {@code home_path/bin/observer}, with a pid file and listening mysql and rpc ports).
 *
 * <p>X.Y is picked at random per sandbox, avoiding blocks that already have listeners, so two
 * sandboxes on one machine do not collide. A sandbox on a kept base directory (a restart, also
 * after kill -9) first takes stock of what the previous run left: an observer still running as
 * {@code home_path/bin/observer} of one of its homes is adopted, never started a second time (and a
 * second one could not bind its ports anyway); a pid file naming a process that is gone or is not
 * that home's observer is removed; extra observers of one home are killed. {@link #resume} then
 * starts only the observers the recorded statuses say should run. The SSH servers accept only the
 * sandbox's generated client key ({@link #clientPrivateKey()}) for the current OS user, and their
 * host keys are in {@link #knownHosts()}. {@link #close()} kills every process the sandbox started
 * (and any process whose command line lies under its base directory) and stops every SSH server.
 *
 * <p>Fault injection helpers make a host unreachable, change its host key, plant a pid file that
 * names a live non-observer process, start an observer that ignores SIGTERM, or hold a port with
 * another process.
 *
 * <p>Threading: all methods are safe to call from several threads.
 *
 * <p>This class is the one facade the composition root and the tests use (hence its length); the
 * observer processes are {@link SandboxObservers}' work, /proc is read by {@link ProcNet}, each
 * host is a {@link SandboxHost}.
 *
 * <p>Why one file: the SSH servers, the simulated observers and their adoption after a kill -9
 * share one registry of homes and loopback addresses; the parts that stand alone are {@code
 * SandboxObservers}, {@code SandboxHost}, {@code SandboxKeys} and {@code ProcNet}.
 */
public final class Sandbox implements AutoCloseable {

  /** How a simulated observer reacts to SIGTERM. */
  public enum ObserverBehaviour {
    /** Exits {@link Builder#observerExitDelay} after SIGTERM. */
    EXITS_ON_SIGTERM,
    /** Ignores SIGTERM; only SIGKILL stops it. */
    IGNORES_SIGTERM
  }

  public static final int MYSQL_PORT = 2881;
  public static final int RPC_PORT = 2882;

  /** Where an observer keeps the parameters it was deployed with, under its home_path. */
  static final String CONFIG = "etc/observer.config.bin";

  private static final int MAX_SERVERS = 254 * 8;
  private static final Set<String> BLOCKS_IN_THIS_JVM = ConcurrentHashMap.newKeySet();
  private static final Logger log = LoggerFactory.getLogger(Sandbox.class);

  private final Path baseDir;
  private final boolean ownsBaseDir;
  private final String block;
  private final String user = System.getProperty("user.name");
  private final Path clientKey;
  private final Path knownHosts;
  private final Path observerScript;
  private final SandboxObservers observers;
  private final List<ObServer> servers = new ArrayList<>();
  private final Map<Long, SandboxHost> hosts = new LinkedHashMap<>();
  private final List<ProcessHandle> helpers = new CopyOnWriteArrayList<>();
  private final ExecutorService threads;
  private final ShellCommandFactory commands;
  private volatile boolean closed;

  private Sandbox(Builder b) {
    int count = b.zones * b.serversPerZone;
    this.threads =
        Executors.newCachedThreadPool(
            r -> {
              Thread t = new Thread(r, "obops-sandbox");
              t.setDaemon(true);
              return t;
            });
    try {
      this.ownsBaseDir = b.baseDir == null;
      this.baseDir =
          ownsBaseDir
              ? Files.createTempDirectory("obops-sandbox-")
              : Files.createDirectories(b.baseDir.toAbsolutePath());
      Path keys =
          Files.createDirectories(
              baseDir.resolve("ssh"),
              PosixFilePermissions.asFileAttribute(SandboxKeys.OWNER_ONLY_DIR));
      this.observers = new SandboxObservers(baseDir, b.observerExitDelay);
      this.clientKey = keys.resolve("id_ecdsa");
      this.knownHosts = keys.resolve("known_hosts");
      KeyPair client =
          ownsBaseDir ? SandboxKeys.generate() : SandboxKeys.kept(keys.resolve("client.keypair"));
      SandboxKeys.writeKeyPair(client, clientKey, b.clientKeyPassphrase);
      this.observerScript = baseDir.resolve("observer.pl");
      try (InputStream in = Sandbox.class.getResourceAsStream("observer.pl")) {
        Files.write(observerScript, in.readAllBytes());
      }
      this.block = ownsBaseDir ? pickBlock(count) : keptBlock(baseDir.resolve("block"), count);
      ShellCommandFactory commands = new ShellCommandFactory(threads, b.commandsReadNoInput);
      this.commands = commands;
      int third = Integer.parseInt(block.split("\\.")[2]);
      for (int i = 0; i < count; i++) {
        String zone = "zone" + (i / b.serversPerZone + 1);
        String ip = "127." + block.split("\\.")[1] + "." + (third + i / 254) + "." + (i % 254 + 1);
        SandboxHost host =
            ownsBaseDir
                ? new SandboxHost(ip, user, client.getPublic(), commands)
                : new SandboxHost(
                    ip,
                    user,
                    client.getPublic(),
                    commands,
                    SandboxKeys.kept(keys.resolve("host-" + ip + ".keypair")),
                    keptPort(keys.resolve("port-" + ip)));
        Path home = baseDir.resolve(b.homeDirPrefix + ip);
        Files.createDirectories(home.resolve("bin"));
        Files.createDirectories(home.resolve("run"));
        Path binary = home.resolve("bin").resolve("observer");
        Files.copy(observerScript, binary, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.setPosixFilePermissions(binary, PosixFilePermissions.fromString("rwxr-xr-x"));
        Files.createDirectories(home.resolve("etc"));
        if (!Files.exists(home.resolve(CONFIG))) {
          // what obd's deploy leaves: the parameters a restart ("bin/observer -p PORT") reads
          SandboxKeys.writeAtomically(home.resolve(CONFIG), config(ip));
        }
        hosts.put((long) i + 1, host);
        servers.add(
            new ObServer(
                i + 1,
                1,
                zone,
                ip,
                0,
                user,
                home.toString(),
                MYSQL_PORT,
                RPC_PORT,
                ObServerStatus.RUNNING));
      }
      inParallel(hosts.values().stream().map(h -> (Runnable) h::start).toList());
      for (int i = 0; i < servers.size(); i++) {
        ObServer s = servers.get(i);
        servers.set(
            i,
            new ObServer(
                s.id(),
                s.clusterId(),
                s.zoneName(),
                s.ip(),
                hosts.get(s.id()).port(),
                s.sshUser(),
                s.homePath(),
                s.mysqlPort(),
                s.rpcPort(),
                s.status()));
      }
      writeKnownHosts();
      if (!ownsBaseDir) {
        for (SandboxHost h : hosts.values()) {
          SandboxKeys.writeAtomically(keys.resolve("port-" + h.ip()), h.port() + "\n");
        }
      }
      if (!ownsBaseDir) {
        observers.adopt(servers);
      }
      if (b.startObservers) {
        inParallel(
            servers.stream()
                .filter(s -> observers.known(s) == null)
                .map(s -> (Runnable) () -> startObserver(s))
                .toList());
      }
      log.info(
          "sandbox up: {} servers on 127.{}.*, base dir {}, known_hosts {}",
          count,
          block.split("\\.")[1],
          baseDir,
          knownHosts);
    } catch (IOException | RuntimeException e) {
      close();
      throw e instanceof IOException io ? new UncheckedIOException(io) : (RuntimeException) e;
    }
  }

  public static Builder builder() {
    return new Builder();
  }

  /** The servers, in zone order, as the inventory would describe them. */
  public List<ObServer> servers() {
    return List.copyOf(servers);
  }

  /**
   * The sandbox as an inventory entry: cluster {@code id} named {@code name}, its zones and servers
   * (whose ids, addresses, ports and paths {@link #servers()} gives).
   */
  public InventoryLoader.ClusterSpec clusterSpec(long id, String name) {
    return new InventoryLoader.ClusterSpec(
        id,
        name,
        id,
        List.of("sandbox"),
        servers.stream().map(ObServer::zoneName).distinct().toList(),
        servers.stream()
            .map(
                s ->
                    new InventoryLoader.ServerSpec(
                        s.id(),
                        s.zoneName(),
                        s.ip(),
                        s.sshPort(),
                        s.sshUser(),
                        s.homePath(),
                        s.mysqlPort(),
                        s.rpcPort()))
            .toList());
  }

  public Path baseDir() {
    return baseDir;
  }

  /** The private key every sandbox SSH server accepts (OpenSSH format). */
  public Path clientPrivateKey() {
    return clientKey;
  }

  /** known_hosts with every host's key as it was last trusted. */
  public Path knownHosts() {
    return knownHosts;
  }

  /** The OS user every server is reached as. */
  public String sshUser() {
    return user;
  }

  // ---- observers ------------------------------------------------------------------------------

  /** Starts the server's observer as obd does; returns its pid once it listens. */
  public long startObserver(ObServer server) {
    return startObserver(server, ObserverBehaviour.EXITS_ON_SIGTERM);
  }

  /** Starts the server's observer with the given SIGTERM behaviour; returns its pid. */
  public long startObserver(ObServer server, ObserverBehaviour behaviour) {
    return observers.start(server, behaviour == ObserverBehaviour.IGNORES_SIGTERM);
  }

  /**
   * The pid of the observer the sandbox last started (or adopted) for this server, if that process
   * still runs as this server's observer (whatever its pid file says).
   */
  public OptionalLong runningObserverPid(ObServer server) {
    return observers.running(server);
  }

  public boolean isObserverRunning(ObServer server) {
    return runningObserverPid(server).isPresent();
  }

  public Path pidFile(ObServer server) {
    return SandboxObservers.pidFile(server);
  }

  /** True when some process listens on {@code port} at the server's address or a wildcard. */
  public boolean isListening(ObServer server, int port) {
    return ProcNet.listening(server.ip(), port);
  }

  /** True when {@code pid} is a live process (not a zombie). */
  public static boolean isAlive(long pid) {
    return ProcNet.alive(pid);
  }

  /**
   * Brings the observers in line with the recorded server statuses after a (re)start: starts the
   * observer of every server {@code recorded} says is RUNNING and that has none running (an adopted
   * one counts), in parallel. Every other server is left as it is: PROCESS_STOPPED stays stopped,
   * and a server caught in the middle of a stop (PROCESS_STOPPING) is not started under it, so the
   * stop's re-run finds it already stopped. Returns the servers started.
   */
  public List<ObServer> resume(Function<ObServer, ObServerStatus> recorded) {
    List<ObServer> start =
        servers.stream()
            .filter(s -> recorded.apply(s) == ObServerStatus.RUNNING && !isObserverRunning(s))
            .toList();
    inParallel(start.stream().map(s -> (Runnable) () -> startObserver(s)).toList());
    return start;
  }

  /**
   * Drops this sandbox the way kill -9 of its JVM would, for tests of what a restart finds: its SSH
   * servers (threads of this JVM) are gone, while its observers and port holders (processes of
   * their own) keep running and every file stays. Unusable afterwards; a new sandbox on the same
   * base directory takes over.
   */
  public void crash() {
    if (closed) {
      return;
    }
    closed = true;
    hosts.values().forEach(SandboxHost::stop);
    threads.shutdownNow();
    BLOCKS_IN_THIS_JVM.remove(block);
  }

  /** Every live process that is this server's observer (argv[0] is its home's bin/observer). */
  public List<Long> observerProcesses(ObServer server) {
    return observers.processesOf(server);
  }

  // ---- faults ---------------------------------------------------------------------------------

  /**
   * Damages the server's saved parameters ({@code etc/observer.config.bin}): its observer then
   * exits at once when started, saying so in {@code log/observer.log}.
   */
  public void damageObserverConfig(ObServer server) {
    SandboxKeys.writeAtomically(Path.of(server.homePath()).resolve(CONFIG), "garbage\n");
  }

  /**
   * Makes the server's observer, when next started, take {@code replay} (pid file written, process
   * alive) before it listens on its ports, as a real observer replaying its log does.
   */
  public void slowObserverStart(ObServer server, java.time.Duration replay) {
    SandboxKeys.writeAtomically(
        Path.of(server.homePath()).resolve(CONFIG),
        config(server.ip()) + "serve_after_ms=" + replay.toMillis() + "\n");
  }

  /**
   * Writes the server's saved parameters as deployed (the fix for {@link #damageObserverConfig} and
   * {@link #slowObserverStart}).
   */
  public void restoreObserverConfig(ObServer server) {
    SandboxKeys.writeAtomically(Path.of(server.homePath()).resolve(CONFIG), config(server.ip()));
  }

  private static String config(String ip) {
    return "mysql_port=" + MYSQL_PORT + "\nrpc_port=" + RPC_PORT + "\nip=" + ip + "\n";
  }

  /** Stops the host's SSH server: the host becomes unreachable. Its observer keeps running. */
  public void stopSshServer(ObServer server) {
    host(server).stop();
  }

  /** Starts the host's SSH server again, on the same port with the same host key. */
  public void startSshServer(ObServer server) {
    host(server).start();
  }

  /**
   * Gives the host a new host key (as after a reinstall) without updating known_hosts; returns the
   * new key's SHA256 fingerprint.
   */
  public String regenerateHostKey(ObServer server) {
    SandboxHost host = host(server);
    host.regenerateHostKey();
    return SandboxKeys.fingerprint(host.hostKey());
  }

  /** The SHA256 fingerprint of the host's current key. */
  public String hostKeyFingerprint(ObServer server) {
    return SandboxKeys.fingerprint(host(server).hostKey());
  }

  /**
   * Gives every host a certificate of its host key, signed by a new certificate authority, naming
   * {@code principals} (empty: each host's own ip, as obops addresses it). The hosts present it
   * from then on; known_hosts is left as it is. Returns the CA's public key as known_hosts writes
   * it ({@code ecdsa-sha2-nistp256 AAAA...}), for a {@code @cert-authority} line.
   */
  public String certifyHostKeys(List<String> principals) {
    KeyPair ca = SandboxKeys.generate();
    inParallel(
        hosts.values().stream()
            .map(
                h ->
                    (Runnable)
                        () -> h.certify(ca, principals.isEmpty() ? List.of(h.ip()) : principals))
            .toList());
    return SandboxKeys.publicKeyLine(ca.getPublic());
  }

  /** The known_hosts key of the host ({@code ecdsa-sha2-nistp256 AAAA...}), for a marked line. */
  public String hostKeyLine(ObServer server) {
    return SandboxKeys.publicKeyLine(host(server).hostKey());
  }

  /** How many SSH connections the host has accepted since the sandbox started. */
  public int sshConnectionsAccepted(ObServer server) {
    return host(server).sessionsAccepted();
  }

  /** How many commands (SSH exec requests) the server's host has been asked to run. */
  public int sshCommandsStarted(ObServer server) {
    return commands.started(server.ip());
  }

  /** Rewrites known_hosts with every host's current key (the fix for a regenerated key). */
  public synchronized void trustCurrentHostKeys() {
    writeKnownHosts();
  }

  /** Writes a fresh key pair that no sandbox host accepts; returns the private key file. */
  public Path writeUnauthorizedClientKey() {
    Path file = baseDir.resolve("ssh").resolve("id_ecdsa_unauthorized_" + System.nanoTime());
    SandboxKeys.writeKeyPair(SandboxKeys.generate(), file, null);
    return file;
  }

  /** Starts a harmless long-running process that is not an observer ({@code sleep 1000}). */
  public long startForeignProcess() {
    try {
      Process p = new ProcessBuilder("sleep", "1000").redirectErrorStream(true).start();
      helpers.add(p.toHandle());
      return p.pid();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start sleep", e);
    }
  }

  /**
   * Overwrites the server's pid file with the pid of a new live process that is not an observer;
   * returns that pid. The observer itself, if running, keeps running.
   */
  public long replacePidFileWithForeignProcess(ObServer server) {
    long pid = startForeignProcess();
    writePidFile(server, pid);
    return pid;
  }

  /** Writes {@code pid} into the server's pid file. */
  public void writePidFile(ObServer server, long pid) {
    SandboxObservers.writePidFile(server, pid);
  }

  /** Points the pid file back at the observer the sandbox started (the fix for a planted pid). */
  public void restorePidFile(ObServer server) {
    writePidFile(server, observers.known(server));
  }

  /**
   * Makes another process hold {@code port} at the server's address: with the observer running and
   * the port one of its own, a child of the observer that keeps the listening socket open (as a
   * helper process that inherited it would), so the port stays taken after the observer is killed;
   * otherwise a new process listening on it. Close it to release the port.
   */
  public PortHolder holdPort(ObServer server, int port) {
    OptionalLong observer = runningObserverPid(server);
    if (observer.isPresent() && (port == server.mysqlPort() || port == server.rpcPort())) {
      ProcessHandle child = observers.handPortToChild(server, observer.getAsLong(), port);
      helpers.add(child);
      return new PortHolder(child);
    }
    String listener =
        "use Socket; socket(my $s, PF_INET, SOCK_STREAM, 0) or die $!;"
            + " setsockopt($s, SOL_SOCKET, SO_REUSEADDR, 1); bind($s, pack_sockaddr_in($ARGV[1],"
            + " inet_aton($ARGV[0]))) or die \"bind: $!\"; listen($s, 8) or die $!; $| = 1;"
            + " print \"ok\\n\"; sleep 1000 while 1;";
    try {
      Process p =
          new ProcessBuilder("perl", "-e", listener, server.ip(), Integer.toString(port))
              .redirectErrorStream(true)
              .start();
      helpers.add(p.toHandle());
      byte[] line = new byte[3];
      int n = p.getInputStream().readNBytes(line, 0, 3);
      if (n != 3 || !new String(line, StandardCharsets.US_ASCII).equals("ok\n")) {
        p.destroyForcibly();
        throw new IllegalStateException("could not hold port " + port + " on " + server.ip());
      }
      return new PortHolder(p.toHandle());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a port holder", e);
    }
  }

  /** A process holding a port; {@link #close()} kills it and waits until it is gone. */
  public static final class PortHolder implements AutoCloseable {
    private final ProcessHandle process;

    private PortHolder(ProcessHandle process) {
      this.process = process;
    }

    public long pid() {
      return process.pid();
    }

    public boolean isAlive() {
      return ProcNet.alive(process.pid());
    }

    @Override
    public void close() {
      process.destroyForcibly();
      SandboxObservers.awaitGone(List.of(process));
    }
  }

  // ---- lifecycle ------------------------------------------------------------------------------

  /**
   * Stops every SSH server and kills every process the sandbox started, plus any process whose
   * command line starts with the base directory (observers restarted by anyone). Deletes the base
   * directory when the sandbox created it.
   */
  @Override
  public void close() {
    if (closed) {
      return;
    }
    closed = true;
    hosts.values().forEach(SandboxHost::stop);
    List<ProcessHandle> victims = new ArrayList<>();
    (observers == null ? Map.<Long, Long>of() : observers.all())
        .forEach(
            (id, pid) ->
                servers.stream()
                    .filter(s -> s.id() == id && SandboxObservers.isObserver(pid, s))
                    .findFirst()
                    .flatMap(s -> ProcessHandle.of(pid))
                    .ifPresent(victims::add));
    if (baseDir != null) {
      victims.addAll(ProcNet.processesUnder(baseDir.toString()));
    }
    victims.addAll(helpers);
    victims.forEach(ProcessHandle::destroyForcibly);
    SandboxObservers.awaitGone(victims);
    threads.shutdownNow();
    if (block != null) {
      BLOCKS_IN_THIS_JVM.remove(block);
    }
    if (ownsBaseDir && baseDir != null) {
      deleteRecursively(baseDir);
    }
  }

  private SandboxHost host(ObServer server) {
    SandboxHost host = hosts.get(server.id());
    if (host == null) {
      throw new IllegalArgumentException("server " + server.address() + " is not in this sandbox");
    }
    return host;
  }

  private synchronized void writeKnownHosts() {
    StringBuilder sb =
        new StringBuilder("# obops sandbox hosts, 127." + block.split("\\.")[1] + ".*\n");
    hosts.values().forEach(h -> sb.append(h.knownHostsLine()).append('\n'));
    SandboxKeys.writeAtomically(knownHosts, sb.toString());
  }

  private void inParallel(List<Runnable> tasks) {
    ExecutorService pool = Executors.newFixedThreadPool(Math.min(8, Math.max(1, tasks.size())));
    try {
      List<Future<?>> futures = tasks.stream().<Future<?>>map(pool::submit).toList();
      for (Future<?> f : futures) {
        f.get();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting the sandbox", e);
    } catch (java.util.concurrent.ExecutionException e) {
      throw e.getCause() instanceof RuntimeException r
          ? r
          : new IllegalStateException(e.getCause());
    } finally {
      pool.shutdownNow();
    }
  }

  /** "127.X.Y.0" with X.Y random, unused in this JVM and without listeners on this machine. */
  /** The loopback block chosen the first time a kept base dir was used. */
  private static String keptBlock(Path file, int count) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file).strip();
    }
    String block = pickBlock(count);
    SandboxKeys.writeAtomically(file, block + "\n");
    return block;
  }

  private static int keptPort(Path file) throws IOException {
    return Files.exists(file) ? Integer.parseInt(Files.readString(file).strip()) : 0;
  }

  private static String pickBlock(int count) {
    if (count < 1 || count > MAX_SERVERS) {
      throw new IllegalArgumentException(
          "a sandbox has 1 to " + MAX_SERVERS + " servers, not " + count);
    }
    int thirds = (count + 253) / 254;
    ThreadLocalRandom random = ThreadLocalRandom.current();
    for (int attempt = 0; attempt < 1000; attempt++) {
      int x = 1 + random.nextInt(254);
      int y = random.nextInt(256 - thirds);
      String candidate = "127." + x + "." + y + ".0";
      boolean free = true;
      for (int t = 0; t < thirds && free; t++) {
        free = !ProcNet.anyListenerIn(x, y + t);
      }
      if (free && BLOCKS_IN_THIS_JVM.add(candidate)) {
        return candidate;
      }
    }
    throw new IllegalStateException("no free 127.X.Y.* block for the sandbox");
  }

  private static void deleteRecursively(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder())
          .forEach(
              p -> {
                try {
                  Files.deleteIfExists(p);
                } catch (IOException e) {
                  // leave what cannot be deleted
                }
              });
    } catch (IOException e) {
      log.warn("could not delete sandbox directory {}: {}", dir, e.toString());
    }
  }

  /** Builds and starts a {@link Sandbox}. */
  public static final class Builder {
    private int zones = 3;
    private int serversPerZone = 2;
    private Path baseDir;
    private String homeDirPrefix = "observer-";
    private Duration observerExitDelay = Duration.ZERO;
    private boolean startObservers = true;
    private String clientKeyPassphrase;
    private boolean commandsReadNoInput;

    private Builder() {}

    public Builder zones(int value) {
      this.zones = requireAtLeastOne("zones", value);
      return this;
    }

    public Builder serversPerZone(int value) {
      this.serversPerZone = requireAtLeastOne("servers per zone", value);
      return this;
    }

    /** Where homes and keys go; default: a new temporary directory, deleted on close. */
    public Builder baseDir(Path value) {
      this.baseDir = value;
      return this;
    }

    /**
     * Each server's home_path is {@code baseDir/<prefix><ip>}; a prefix may hold any character but
     * NUL (slashes make subdirectories), which is how the quoting tests get hostile paths.
     */
    public Builder homeDirPrefix(String value) {
      this.homeDirPrefix = value;
      return this;
    }

    /** How long an observer takes to exit after SIGTERM (default: at once). */
    public Builder observerExitDelay(Duration value) {
      this.observerExitDelay = value;
      return this;
    }

    /** Whether {@link #start()} starts the observers too (default true). */
    public Builder startObservers(boolean value) {
      this.startObservers = value;
      return this;
    }

    /** Encrypts the generated client key with this passphrase (default: unencrypted). */
    /**
     * Hosts whose commands read /dev/null instead of their channel (as under a forced command):
     * nothing can be kept running there to be handed commands.
     */
    public Builder commandsReadNoInput(boolean value) {
      this.commandsReadNoInput = value;
      return this;
    }

    public Builder clientKeyPassphrase(String value) {
      this.clientKeyPassphrase = value;
      return this;
    }

    /** Creates the hosts, starts their SSH servers and (unless disabled) their observers. */
    public Sandbox start() {
      return new Sandbox(this);
    }

    private static int requireAtLeastOne(String what, int value) {
      if (value < 1) {
        throw new IllegalArgumentException(what + " must be at least 1, was " + value);
      }
      return value;
    }
  }
}
