package io.obops.remote;

import io.obops.remote.RemoteExecutionException.Reason;
import java.io.IOException;
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
 * <p>Threading: {@link #run} is safe to call from many threads. {@link #close()} disconnects all
 * hosts; later calls fail with {@link Reason#CLOSED}.
 *
 * <p>Why one file: the per-host pool, the handshake limit and the commands in flight are one state
 * machine per host (a connection, its slot, its replacement after a drop), guarded together; split,
 * the lock that keeps them consistent would be spread across classes.
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
  }

  @Override
  public CommandResult run(RemoteHost host, String command, Duration timeout)
      throws RemoteExecutionException, InterruptedException {
    permits.acquire();
    try {
      Slot slot = pool.computeIfAbsent(host, h -> new Slot());
      if (!slot.isOpen()) {
        makeRoomForOneMore();
      }
      SSHClient client = slot.acquire(host);
      try {
        Session session;
        try {
          session = client.startSession();
        } catch (IOException stale) {
          // The pooled connection died since its last use (host rebooted, sshd restarted):
          // nothing ran yet, so reconnect once and go on.
          slot.discard(client);
          client = slot.acquire(host);
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
      } finally {
        slot.release();
      }
    } finally {
      permits.release();
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
    ScheduledFuture<?> alarm =
        timers.schedule(
            () -> {
              timedOut.set(true);
              slot.discard(client);
            },
            timeout.toMillis(),
            TimeUnit.MILLISECONDS);
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

  private static void closeQuietly(SSHClient client) {
    try {
      client.disconnect();
    } catch (IOException | RuntimeException e) {
      // closing a broken connection may fail; there is nothing left to release
    }
  }

  /**
   * Keeps the number of open connections under {@link SshSettings#maxOpenConnections()} before one
   * more is opened (sshj gives every connection a reader thread and a 256 KiB receive buffer). An
   * idle connection unused for {@link #settled()} belongs to earlier work and goes first, least
   * recently used first. When every idle one was used more recently, the work at hand spans more
   * hosts than the limit (a stop of 1000 servers inspects, then stops them in the same order): the
   * idle connection opened last makes room, so the ones opened first stay and the next pass over
   * the same hosts reuses a limit's worth of them, where closing the least recently used would
   * close each just before it is needed again. Called with no slot's lock held, so it may take each
   * slot's lock in turn. A soft limit: connections in use are never closed, and threads opening
   * connections at the same moment may overshoot it briefly.
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

  /** One host's connection; all fields guarded by {@code this}. */
  private final class Slot {
    private SSHClient client;
    private int inUse;
    private long lastUsed = nanoTime.getAsLong();
    private long opened;

    synchronized SSHClient acquire(RemoteHost host)
        throws RemoteExecutionException, InterruptedException {
      if (client == null || !client.isConnected() || !client.isAuthenticated()) {
        drop();
        client = connect(host);
        opened = nanoTime.getAsLong();
        open.incrementAndGet();
      }
      inUse++;
      return client;
    }

    synchronized void release() {
      inUse--;
      lastUsed = nanoTime.getAsLong();
    }

    synchronized boolean isOpen() {
      return client != null && client.isConnected();
    }

    /** When the connection is open and unused: {last used, opened}; otherwise null. */
    synchronized long[] idleSince() {
      return client != null && inUse == 0 ? new long[] {lastUsed, opened} : null;
    }

    /** Closes {@code dead} if it is still this slot's connection; the next use reconnects. */
    void discard(SSHClient dead) {
      synchronized (this) {
        if (client == dead) {
          client = null;
          open.decrementAndGet();
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
        closeQuietly(client);
        client = null;
        open.decrementAndGet();
      }
    }
  }
}
