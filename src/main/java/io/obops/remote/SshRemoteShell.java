package io.obops.remote;

import io.obops.remote.RemoteExecutionException.Reason;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongSupplier;
import net.schmizz.sshj.DefaultConfig;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.verification.PromiscuousVerifier;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;
import net.schmizz.sshj.userauth.password.PasswordFinder;
import net.schmizz.sshj.userauth.password.Resource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link RemoteShell} over SSH (sshj): public key authentication, strict host key checking, one
 * pooled connection per {@link RemoteHost}, at most {@link SshSettings#maxConcurrentHandshakes()}
 * connections being opened and at most {@link SshSettings#maxParallelHosts()} commands in flight.
 *
 * <p>Two limits, because the two phases cost different things: opening a connection (TCP, key
 * exchange, login) costs CPU on both ends, so few run at once; a command that has started and whose
 * host only waits (for a process to exit, for ports to be released) costs an open channel and a
 * blocked thread, so many may. A command waiting on its host never holds a handshake slot.
 *
 * <p>Pool: whatever command opens a host's connection (an inspection, a pre-flight's read, a stop),
 * the connection is kept for later commands on that host, of the same or another task, until it has
 * been unused for {@link SshSettings#connectionIdleTimeout()}. A dead connection is replaced on
 * next use; the replacement is a new connection, whose host key is checked like any other. When a
 * command times out its whole connection is dropped (that is the only way to unblock a read in
 * sshj), so other commands in flight to the same host fail with {@link Reason#CONNECTION_LOST}.
 *
 * <p>Serving scripts ({@link #runScript}): on each pooled connection one instance of a {@link
 * RemoteScript} that {@link RemoteScript#serves() serves} is kept running and handed one command
 * per line, which spares the host an SSH session, a login shell and the script's start per command
 * (on a host stopping observers, or 2 cores shared by hundreds of hosts, a fork and exec costs
 * milliseconds). It must print its ready line and answer a check request before it is used; after 2
 * s idle it is checked again first. It is bypassed, and the command runs in a session of its own,
 * when it is busy with another command on that host, when the request could not even be written,
 * when the host will not keep it running, or on a connection opened beyond {@link
 * SshSettings#maxOpenConnections()}. Once a request was written, a broken connection leaves the
 * outcome unknown, exactly as for a session of its own.
 *
 * <p>Threading: {@link #run} is safe to call from many threads. {@link #close()} disconnects all
 * hosts; later calls fail with {@link Reason#CLOSED}.
 *
 * <p>Why one file: the per-host pool, the handshake limit, the commands in flight and the serving
 * script are one state machine per host (a connection, its slot, its serving script, their
 * replacement after a drop), guarded together; split, the lock that keeps them consistent would be
 * spread across classes.
 */
public final class SshRemoteShell implements RemoteShell, AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SshRemoteShell.class);

  private final SshSettings settings;
  private final DefaultConfig config = new DefaultConfig();
  private final KeyProvider key;
  private final KnownHosts knownHosts;
  private final Semaphore permits;
  private final Semaphore handshakes;
  private final LongSupplier nanoTime;
  private static final Duration SETTLED = Duration.ofMinutes(1);
  private final AtomicLong connectionsOpened = new AtomicLong();
  private final java.util.concurrent.atomic.AtomicInteger open =
      new java.util.concurrent.atomic.AtomicInteger();
  private final ConcurrentHashMap<RemoteHost, Slot> pool = new ConcurrentHashMap<>();
  private final ScheduledExecutorService timers;
  private final AtomicLong nonces = new AtomicLong();
  private final long salt = new java.security.SecureRandom().nextLong();
  private static final String READY = "obops-ready";
  private static final int MAX_PACKET_BYTES = 8 * 1024;
  private static final String BEGIN = "obops-begin ";
  private static final String END = "obops-end ";

  /** A served script idle this long is checked (within the connect timeout) before a command. */
  private static final Duration CHECK_IDLE_AFTER = Duration.ofSeconds(2);

  private volatile boolean closed;

  /**
   * Reads and decrypts the private key and the known_hosts file now, so a wrong passphrase or a
   * missing file fails at start-up rather than in the middle of a task.
   */
  public SshRemoteShell(SshSettings settings) throws IOException {
    this(settings, System::nanoTime);
  }

  /** As {@link #SshRemoteShell(SshSettings)}, with the time source idle connections are told by. */
  SshRemoteShell(SshSettings settings, LongSupplier nanoTime) throws IOException {
    this.settings = settings;
    this.nanoTime = nanoTime;
    this.key = loadKey(settings.identity());
    if (settings.insecureSkipHostKeyCheck()) {
      this.knownHosts = null;
      log.warn(
          "SSH host key checking is DISABLED (insecure-skip-host-key-check): any server can"
              + " impersonate any host and receive our commands. Use this for the sandbox only.");
    } else {
      this.knownHosts = new KnownHosts(settings.knownHosts());
      if (!Files.isReadable(settings.knownHosts())) {
        log.warn(
            "known_hosts file {} is missing or unreadable: every host key will be refused",
            settings.knownHosts());
      }
    }
    this.permits = new Semaphore(settings.maxParallelHosts(), true);
    this.handshakes = new Semaphore(settings.maxConcurrentHandshakes(), true);
    this.timers =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "obops-ssh-timers");
              t.setDaemon(true);
              return t;
            });
    long idleCheck =
        Math.max(1000, Math.min(60_000, settings.connectionIdleTimeout().toMillis() / 5));
    timers.scheduleWithFixedDelay(
        this::closeIdleConnections, idleCheck, idleCheck, TimeUnit.MILLISECONDS);
    log.info(
        "SSH remote shell ready: key from {}, known_hosts {}, connect timeout {}, at most {}"
            + " handshakes and {} commands at once, idle connections closed after {}",
        settings.identity().source(),
        settings.insecureSkipHostKeyCheck() ? "(not checked)" : settings.knownHosts(),
        settings.connectTimeout(),
        settings.maxConcurrentHandshakes(),
        settings.maxParallelHosts(),
        settings.connectionIdleTimeout());
    if (receiveBufferBytes() > 64 * 1024) {
      log.warn(
          "sshj's own transport reader is loaded instead of obops's (class path order?): every"
              + " open connection holds a {} KiB buffer; keep obops.remote.max-open-connections"
              + " low or raise the heap",
          receiveBufferBytes() / 1024);
    }
  }

  @Override
  public CommandResult run(RemoteHost host, String command, Duration timeout)
      throws RemoteExecutionException, InterruptedException {
    return onHost(host, (slot, client) -> execute(slot, client, host, command, timeout));
  }

  /** A command's work on its host's pooled connection, holding the slot. */
  @FunctionalInterface
  private interface OnHost {
    CommandResult run(Slot slot, SSHClient client)
        throws RemoteExecutionException, InterruptedException;
  }

  /**
   * Runs {@code work} holding one of the {@link SshSettings#maxParallelHosts()} in-flight permits
   * and the host's slot, on its pooled connection (opened first if need be).
   */
  private CommandResult onHost(RemoteHost host, OnHost work)
      throws RemoteExecutionException, InterruptedException {
    permits.acquire();
    try {
      Slot slot = slotFor(host);
      SSHClient client = slot.acquire(host);
      try {
        return work.run(slot, client);
      } finally {
        slot.release();
      }
    } finally {
      permits.release();
    }
  }

  /**
   * Hands {@code args} to the instance of {@code script} kept running on the host's pooled
   * connection (started on first use, checked with an empty request when it has been idle), or runs
   * the script in a session of its own when that instance is busy with another command, when the
   * host will not keep it running, or when {@link SshSettings#keepScriptsRunning()} is off.
   */
  @Override
  public CommandResult runScript(
      RemoteHost host, RemoteScript script, List<String> args, Duration timeout)
      throws RemoteExecutionException, InterruptedException {
    String nonce = Long.toHexString(nonces.incrementAndGet()) + "-" + Long.toHexString(salt);
    String request = RemoteScript.request(nonce, args);
    if (!settings.keepScriptsRunning() || !script.serves() || request == null) {
      return run(host, script.command(args), timeout);
    }
    return onHost(
        host,
        (slot, client) -> {
          Served served = slot.takeServed(client, script);
          if (served == null && slot.mayStartServing(client)) {
            try {
              served = startServed(slot, client, host, script, timeout);
            } finally {
              slot.startedServing();
            }
          }
          if (served != null) {
            try {
              return served.call(slot, host, args, nonce, request, timeout);
            } finally {
              slot.giveBack(served);
            }
          }
          return execute(slot, client, host, script.command(args), timeout);
        });
  }

  private Slot slotFor(RemoteHost host) {
    Slot slot = pool.computeIfAbsent(host, h -> new Slot());
    if (!slot.isOpen()) {
      makeRoomForOneMore();
    }
    return slot;
  }

  /** Runs {@code command} in a session of its own on the slot's connection. */
  private CommandResult execute(
      Slot slot, SSHClient client, RemoteHost host, String command, Duration timeout)
      throws RemoteExecutionException, InterruptedException {
    Session session;
    try {
      session = client.startSession();
    } catch (IOException stale) {
      // The pooled connection died since its last use (host rebooted, sshd restarted):
      // nothing ran yet, so reconnect once and go on.
      client = slot.replace(client, host);
      try {
        session = client.startSession();
      } catch (IOException e) {
        slot.discard(client);
        throw new RemoteExecutionException(
            Reason.CONNECTION_LOST,
            "SSH connection to " + host + " broke before the command started: " + e,
            e);
      }
    }
    return exec(slot, client, session, host, command, timeout);
  }

  /**
   * Starts {@code script} serving on the slot's connection (reconnecting once when that connection
   * turns out dead) and waits for it to say it is ready; null when the host ended it instead (a
   * forced command, a shell that is not POSIX): that connection then runs the script per command.
   */
  private Served startServed(
      Slot slot, SSHClient client, RemoteHost host, RemoteScript script, Duration timeout)
      throws RemoteExecutionException {
    Session session;
    try {
      session = client.startSession();
    } catch (IOException stale) {
      return null; // the command runs in a session of its own, which reconnects first
    }
    SSHClient on = client;
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> alarm = alarm(slot, on, timeout, timedOut);
    try {
      Session.Command command = session.exec(script.serveCommand());
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(command.getInputStream(), StandardCharsets.UTF_8), 1024);
      String first = out.readLine();
      String refusal;
      if (READY.equals(first)) {
        // ready, and reading what it is sent: a check request proves the second
        Served served = new Served(on, script, session, command, out);
        if (served.answers(slot, timeout)) {
          if (slot.serving(served)) {
            return served;
          }
          closeQuietly(session);
          return null;
        }
        refusal = "it did not answer a request";
      } else {
        refusal = first == null ? "it ended at once" : firstWords(first);
      }
      closeQuietly(session);
      if (timedOut.get()) {
        throw notStarted(host, timeout, null);
      }
      log.info(
          "{} did not keep {} running ({}); running it once per command on this connection",
          host,
          script.name(),
          refusal);
      slot.cannotServe(on);
      return null;
    } catch (IOException e) {
      closeQuietly(session);
      if (timedOut.get()) {
        throw notStarted(host, timeout, e);
      }
      slot.discard(on);
      throw new RemoteExecutionException(
          Reason.CONNECTION_LOST,
          "SSH connection to " + host + " broke before the command started: " + e,
          e);
    } finally {
      alarm.cancel(false);
    }
  }

  private CommandResult exec(
      Slot slot,
      SSHClient client,
      Session session,
      RemoteHost host,
      String command,
      Duration timeout)
      throws RemoteExecutionException {
    AtomicBoolean timedOut = new AtomicBoolean();
    ScheduledFuture<?> alarm = alarm(slot, client, timeout, timedOut);
    long started = System.nanoTime();
    try (session) {
      Session.Command cmd = session.exec(command);
      String out = new String(cmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(cmd.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      long left = timeout.toNanos() - (System.nanoTime() - started);
      cmd.join(Math.max(1, left), TimeUnit.NANOSECONDS);
      if (timedOut.get()) {
        throw timedOut(host, timeout, null);
      }
      Integer status = cmd.getExitStatus();
      return new CommandResult(status == null ? -1 : status, out, err);
    } catch (IOException e) {
      if (timedOut.get()) {
        throw timedOut(host, timeout, e);
      }
      slot.discard(client);
      throw new RemoteExecutionException(
          Reason.CONNECTION_LOST,
          "SSH connection to "
              + host
              + " broke while a command ran ("
              + e
              + "); its outcome on the"
              + " host is unknown, check the host before retrying",
          e);
    } finally {
      alarm.cancel(false);
    }
  }

  /**
   * Drops {@code client}'s connection after {@code after} (the only way to unblock a read in sshj),
   * setting {@code fired}; cancel it when done.
   */
  private ScheduledFuture<?> alarm(
      Slot slot, SSHClient client, Duration after, AtomicBoolean fired) {
    return timers.schedule(
        () -> {
          fired.set(true);
          slot.discard(client);
        },
        after.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static RemoteExecutionException notStarted(
      RemoteHost host, Duration timeout, Throwable cause) {
    return new RemoteExecutionException(
        Reason.TIMED_OUT,
        "the control script on "
            + host
            + " did not start within "
            + timeout.toMillis()
            + " ms (the command's timeout); the connection was dropped and nothing ran",
        cause);
  }

  private static RemoteExecutionException timedOut(
      RemoteHost host, Duration timeout, Throwable cause) {
    return new RemoteExecutionException(
        Reason.TIMED_OUT,
        "command on "
            + host
            + " did not finish within "
            + timeout.toMillis()
            + " ms; the connection was dropped and the command may still be running there",
        cause);
  }

  /** Opens a connection, holding one of the handshake slots while it does. */
  private SSHClient connect(RemoteHost host) throws RemoteExecutionException, InterruptedException {
    if (closed) {
      throw new RemoteExecutionException(
          Reason.CLOSED, "the SSH remote shell is shut down; not connecting to " + host, null);
    }
    handshakes.acquire();
    try {
      SSHClient client = handshake(host);
      connectionsOpened.incrementAndGet();
      return client;
    } finally {
      handshakes.release();
    }
  }

  private SSHClient handshake(RemoteHost host) throws RemoteExecutionException {
    SSHClient client = new SSHClient(config);
    int timeoutMs = (int) Math.min(Integer.MAX_VALUE, settings.connectTimeout().toMillis());
    client.setConnectTimeout(timeoutMs);
    client.getTransport().setTimeoutMs(timeoutMs);
    client.getConnection().setTimeoutMs(timeoutMs);
    // Each channel's stdout and stderr buffers start at the largest packet we accept (sshj: 32
    // KiB); a pooled connection keeps its serving script's channel open, so 8 KiB packets keep a
    // thousand of them small. Outputs of any size still arrive, in more packets.
    client.getConnection().setMaxPacketSize(MAX_PACKET_BYTES);
    KnownHosts.Check check = null;
    if (knownHosts == null) {
      client.addHostKeyVerifier(new PromiscuousVerifier());
    } else {
      check = knownHosts.newCheck();
      client.addHostKeyVerifier(check);
    }
    try {
      client.connect(host.ip(), host.port());
    } catch (IOException e) {
      closeQuietly(client);
      if (check != null && check.refusal() != null) {
        throw check.refusal();
      }
      throw unreachable(host, e);
    }
    try {
      client.authPublickey(host.user(), key);
      return client;
    } catch (UserAuthException e) {
      closeQuietly(client);
      throw new RemoteExecutionException(
          Reason.AUTHENTICATION_FAILED,
          "SSH authentication as "
              + host.user()
              + " on "
              + host.ip()
              + ":"
              + host.port()
              + " was refused for the key from "
              + settings.identity().source()
              + "; add its public key to ~"
              + host.user()
              + "/.ssh/authorized_keys on "
              + host.ip(),
          null);
    } catch (IOException e) {
      closeQuietly(client);
      throw new RemoteExecutionException(
          Reason.UNREACHABLE, "SSH login on " + host + " failed: " + e.getMessage(), e);
    }
  }

  private RemoteExecutionException unreachable(RemoteHost host, IOException e) {
    String why;
    if (e instanceof ConnectException) {
      why = "connection refused (is sshd running on port " + host.port() + "?)";
    } else if (e instanceof SocketTimeoutException) {
      why = "no answer within " + settings.connectTimeout().toMillis() + " ms";
    } else if (e instanceof NoRouteToHostException) {
      why = "no route to host";
    } else {
      why = "SSH handshake failed: " + e.getMessage();
    }
    return new RemoteExecutionException(Reason.UNREACHABLE, "cannot reach " + host + ": " + why, e);
  }

  private KeyProvider loadKey(SshIdentity identity) throws IOException {
    String text =
        identity.file() != null
            ? Files.readString(identity.file(), StandardCharsets.US_ASCII)
            : identity.pem();
    PasswordFinder finder =
        identity.hasPassphrase()
            ? new PasswordFinder() {
              @Override
              public char[] reqPassword(Resource<?> resource) {
                return identity.passphrase();
              }

              @Override
              public boolean shouldRetry(Resource<?> resource) {
                return false;
              }
            }
            : null;
    try (SSHClient loader = new SSHClient(config)) {
      KeyProvider provider = loader.loadKeys(text, null, finder);
      provider.getPrivate(); // decrypt now: a wrong passphrase fails at start-up
      provider.getPublic();
      return provider;
    } catch (IOException | RuntimeException e) {
      // sshj's messages name formats and ciphers, never key bytes or passphrases
      throw new IOException(
          "cannot use the SSH private key from "
              + identity.source()
              + (identity.hasPassphrase()
                  ? " (wrong passphrase, or not a supported key format)"
                  : " (encrypted keys need a passphrase; or not a supported key format)")
              + ": "
              + e.getClass().getSimpleName());
    }
  }

  /**
   * Closes every pooled connection unused for {@link SshSettings#connectionIdleTimeout()}; runs on
   * a timer, and may be called to sweep now.
   */
  void closeIdleConnections() {
    long threshold = nanoTime.getAsLong() - settings.connectionIdleTimeout().toNanos();
    pool.forEach((host, slot) -> slot.closeIfIdleSince(threshold));
  }

  /**
   * How many bytes sshj's reader holds per connection: obops's own reader's small buffer (see
   * net.schmizz.sshj.transport.Reader in this source tree) when that class is the one loaded, else
   * sshj's 256 KiB. Read by reflection: a constant would be compiled in whichever class loads.
   */
  static int receiveBufferBytes() {
    try {
      return net.schmizz.sshj.transport.Reader.class.getField("RECEIVE_BUFFER_BYTES").getInt(null);
    } catch (ReflectiveOperationException e) {
      return 256 * 1024;
    }
  }

  /** How many connections this shell has opened since it was created (for tests and metrics). */
  long connectionsOpened() {
    return connectionsOpened.get();
  }

  /** How many hosts have a pooled connection now. */
  int openConnections() {
    int n = 0;
    for (Slot slot : pool.values()) {
      n += slot.isOpen() ? 1 : 0;
    }
    return n;
  }

  /** Disconnects every host. Commands in flight fail with {@link Reason#CONNECTION_LOST}. */
  @Override
  public void close() {
    closed = true;
    timers.shutdownNow();
    List<Slot> slots = new ArrayList<>(pool.values());
    pool.clear();
    slots.forEach(Slot::closeNow);
    log.info("SSH remote shell closed ({} host connections)", slots.size());
  }

  /** What a host printed instead of the ready line, short and printable, for the log. */
  private static String firstWords(String line) {
    String shown = line.length() > 80 ? line.substring(0, 80) + "..." : line;
    return "it printed \"" + shown.replaceAll("\\p{Cntrl}", "?") + "\" first";
  }

  private static void closeQuietly(Session session) {
    try {
      session.close();
    } catch (IOException | RuntimeException e) {
      // the session or its connection is already gone
    }
  }

  private static void closeQuietly(SSHClient client) {
    try {
      client.disconnect();
    } catch (IOException | RuntimeException e) {
      // closing a broken connection may fail; there is nothing left to release
    }
  }

  /**
   * Keeps the number of open connections under {@link SshSettings#maxOpenConnections()} before one
   * more is opened (each has a reader thread and its buffers, and on its host an idle serving
   * script). An idle connection unused for {@link #settled()} belongs to earlier work and goes
   * first, least recently used first. When every idle one was used more recently, the work at hand
   * spans more hosts than the limit (a stop of 1000 servers inspects, then stops them in the same
   * order): the idle connection opened last makes room, so the ones opened first stay and the next
   * pass over the same hosts reuses a limit's worth of them, where closing the least recently used
   * would close each just before it is needed again. Called with no slot's lock held, so it may
   * take each slot's lock in turn. A soft limit: connections in use are never closed, and threads
   * opening connections at the same moment may overshoot it briefly.
   */
  private void makeRoomForOneMore() {
    int excess = open.get() - settings.maxOpenConnections() + 1;
    if (excess <= 0) {
      return;
    }
    long now = nanoTime.getAsLong();
    long settled = settled().toNanos();
    record Idle(Slot slot, long lastUsed, long opened) {}
    List<Idle> idle = new ArrayList<>();
    for (Slot slot : pool.values()) {
      long[] since = slot.idleSince();
      if (since != null) {
        idle.add(new Idle(slot, since[0], since[1]));
      }
    }
    java.util.Comparator<Idle> order =
        java.util.Comparator.<Idle>comparingInt(i -> now - i.lastUsed() >= settled ? 0 : 1)
            .thenComparing(
                (a, b) ->
                    now - a.lastUsed() >= settled
                        ? Long.compare(a.lastUsed() - b.lastUsed(), 0)
                        : Long.compare(b.opened() - a.opened(), 0));
    idle.sort(order);
    for (int i = 0; i < idle.size() && excess > 0; i++) {
      if (idle.get(i).slot().closeIfIdle()) {
        excess--;
      }
    }
  }

  /**
   * How long an idle connection must have been unused to count as earlier work when room is made: a
   * minute, or the idle timeout when that is shorter.
   */
  private Duration settled() {
    Duration idle = settings.connectionIdleTimeout();
    return idle.compareTo(SETTLED) < 0 ? idle : SETTLED;
  }

  /**
   * One instance of a serving script on one connection: a session kept open whose standard input
   * takes one request line per command. Used by one command at a time (see {@link Slot}).
   */
  private final class Served {
    final SSHClient client;
    final RemoteScript script;
    private final Session session;
    private final Session.Command command;
    private final BufferedReader out;
    private final java.io.OutputStream in;
    private long lastUsed = nanoTime.getAsLong();

    Served(
        SSHClient client,
        RemoteScript script,
        Session session,
        Session.Command command,
        BufferedReader out) {
      this.client = client;
      this.script = script;
      this.session = session;
      this.command = command;
      this.out = out;
      this.in = command.getOutputStream();
    }

    /**
     * Runs one command. After a long idle time an empty request first checks that the script still
     * answers (within the connect timeout); when it does not, the connection is replaced and the
     * command runs in a session of its own, nothing having run yet. Once the request is sent, a
     * broken connection or a script that ends before saying the command ended leaves its outcome
     * unknown, as for a command in a session of its own.
     */
    CommandResult call(
        Slot slot,
        RemoteHost host,
        List<String> args,
        String nonce,
        String request,
        Duration timeout)
        throws RemoteExecutionException, InterruptedException {
      if (nanoTime.getAsLong() - lastUsed > CHECK_IDLE_AFTER.toNanos()
          && !answers(slot, settings.connectTimeout())) {
        SSHClient fresh = slot.replace(client, host);
        return execute(slot, fresh, host, script.command(args), timeout);
      }
      CommandResult result = exchange(slot, host, nonce, request, timeout, false);
      if (result == null) {
        // the request could not even be sent: nothing ran, so run it in a session of its own
        return execute(slot, client, host, script.command(args), timeout);
      }
      return result;
    }

    /** Whether the script answers an empty request within {@code within}. */
    private boolean answers(Slot slot, Duration within) {
      String ping = "check-" + Long.toHexString(nonces.incrementAndGet());
      try {
        return exchange(slot, null, ping, ping + "\n", within, true) != null;
      } catch (RemoteExecutionException e) {
        return false;
      }
    }

    /**
     * Sends one request and collects its output up to its end line; null when the request could not
     * be sent (the session or connection was already gone: nothing ran).
     */
    private CommandResult exchange(
        Slot slot, RemoteHost host, String nonce, String request, Duration timeout, boolean check)
        throws RemoteExecutionException {
      AtomicBoolean timedOut = new AtomicBoolean();
      ScheduledFuture<?> alarm = alarm(slot, client, timeout, timedOut);
      boolean begun = false;
      try {
        try {
          in.write(request.getBytes(StandardCharsets.UTF_8));
          in.flush();
        } catch (IOException notSent) {
          slot.notServing(this);
          closeQuietly(session);
          return null;
        }
        StringBuilder output = new StringBuilder();
        String end = END + nonce + " ";
        for (String line; (line = out.readLine()) != null; ) {
          if (!begun) {
            begun = line.equals(BEGIN + nonce);
            continue;
          }
          if (line.startsWith(end)) {
            lastUsed = nanoTime.getAsLong();
            drainErrors();
            return new CommandResult(
                Integer.parseInt(line.substring(end.length())), output.toString(), "");
          }
          output.append(line).append('\n');
        }
        throw new IOException("the control script's shell ended");
      } catch (IOException | NumberFormatException e) {
        slot.notServing(this);
        closeQuietly(session);
        if (check) {
          throw new RemoteExecutionException(Reason.CONNECTION_LOST, "no answer", e);
        }
        if (timedOut.get()) {
          throw timedOut(host, timeout, e);
        }
        throw new RemoteExecutionException(
            Reason.CONNECTION_LOST,
            "SSH connection to "
                + host
                + " broke while a command ran ("
                + e
                + "); its outcome on the host is unknown, check the host before retrying",
            e);
      } finally {
        alarm.cancel(false);
      }
    }

    /**
     * Discards what the shell wrote to standard error (nothing, normally: the script merges it).
     */
    private void drainErrors() throws IOException {
      java.io.InputStream err = command.getErrorStream();
      for (int n = err.available(); n > 0; n = err.available()) {
        err.skip(n);
      }
    }

    void close() {
      closeQuietly(session);
    }
  }

  /**
   * One host's connection, and the serving script on it (at most one, used by one command at a
   * time); all fields guarded by {@code this}.
   */
  private final class Slot {
    private SSHClient client;
    private int inUse;
    private long lastUsed = nanoTime.getAsLong();
    private long opened;
    private Served served;
    private boolean servedBusy;
    private boolean starting;
    private boolean cannotServe;
    private boolean keeps;

    synchronized SSHClient acquire(RemoteHost host)
        throws RemoteExecutionException, InterruptedException {
      if (client == null || !client.isConnected() || !client.isAuthenticated()) {
        reconnect(host);
      }
      inUse++;
      return client;
    }

    /**
     * Replaces {@code dead} (if it is still this slot's connection) with a new connection, for a
     * command that already holds the slot; returns the connection to use.
     */
    synchronized SSHClient replace(SSHClient dead, RemoteHost host)
        throws RemoteExecutionException, InterruptedException {
      if (client == dead || client == null || !client.isConnected()) {
        reconnect(host);
      }
      return client;
    }

    private void reconnect(RemoteHost host) throws RemoteExecutionException, InterruptedException {
      drop();
      client = connect(host);
      opened = nanoTime.getAsLong();
      // a connection opened beyond the limit is the next one closed: no serving script on it
      keeps = open.incrementAndGet() <= settings.maxOpenConnections();
    }

    synchronized void release() {
      inUse--;
      lastUsed = nanoTime.getAsLong();
    }

    synchronized boolean isOpen() {
      return client != null && client.isConnected();
    }

    /** The idle serving script on {@code on}, now marked busy; null when there is none free. */
    synchronized Served takeServed(SSHClient on, RemoteScript script) {
      if (served != null && served.client == on && served.script.equals(script) && !servedBusy) {
        servedBusy = true;
        return served;
      }
      return null;
    }

    /** Whether the caller may start the serving script on {@code on} (nobody else is). */
    synchronized boolean mayStartServing(SSHClient on) {
      if (served == null && !starting && !cannotServe && keeps && client == on) {
        starting = true;
        return true;
      }
      return false;
    }

    synchronized void startedServing() {
      starting = false;
    }

    /**
     * Records {@code s} as this connection's serving script, busy; false if the connection went.
     */
    synchronized boolean serving(Served s) {
      if (client != s.client || served != null) {
        return false;
      }
      served = s;
      servedBusy = true;
      return true;
    }

    synchronized void giveBack(Served s) {
      if (served == s) {
        servedBusy = false;
      }
    }

    synchronized void notServing(Served s) {
      if (served == s) {
        served = null;
        servedBusy = false;
      }
    }

    /**
     * The host ended the serving script on {@code on}: that connection runs commands one by one.
     */
    synchronized void cannotServe(SSHClient on) {
      if (client == on) {
        cannotServe = true;
      }
    }

    /** When the connection is open and unused: {last used, opened}; otherwise null. */
    synchronized long[] idleSince() {
      return client != null && inUse == 0 ? new long[] {lastUsed, opened} : null;
    }

    /** Closes {@code dead} if it is still this slot's connection; the next use reconnects. */
    void discard(SSHClient dead) {
      synchronized (this) {
        if (client == dead) {
          forget();
        }
      }
      closeQuietly(dead);
    }

    /** Closes the connection if nobody uses it and it was last used before {@code threshold}. */
    synchronized boolean closeIfIdleSince(long threshold) {
      if (client != null && inUse == 0 && lastUsed - threshold < 0) {
        drop();
        return true;
      }
      return false;
    }

    /** Closes the connection if nobody uses it. */
    synchronized boolean closeIfIdle() {
      if (client != null && inUse == 0) {
        drop();
        return true;
      }
      return false;
    }

    void closeNow() {
      synchronized (this) {
        drop();
      }
    }

    /** Closes and forgets this slot's connection, if any; the caller holds the lock. */
    private void drop() {
      if (client != null) {
        SSHClient c = client;
        forget();
        closeQuietly(c);
      }
    }

    /** Forgets the connection and its serving script (which ends with it); lock held. */
    private void forget() {
      client = null;
      open.decrementAndGet();
      served = null;
      servedBusy = false;
      cannotServe = false;
    }
  }
}
