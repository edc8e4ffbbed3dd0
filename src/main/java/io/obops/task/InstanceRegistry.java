package io.obops.task;

import static io.obops.task.Jdbc.params;

import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.Locale;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's identity across restarts: a stable name (a host name, or {@code
 * obops.server-name}) and an incarnation number, one more at every construction, stored in {@code
 * engine_instance}. The executor written into the subtasks it holds is {@code name#incarnation}.
 *
 * <p>Whether earlier incarnations are dead is proven, not guessed from heartbeats: on PostgreSQL a
 * started instance holds a session-level advisory lock on its name for as long as it lives. A
 * process that dies (kill -9 included) loses its database sessions, and with them the lock, at
 * once; so whoever gets the lock knows that every earlier incarnation of the name is gone and may
 * take its subtasks back without waiting for {@code deadAfter}. If the lock is held, another live
 * process uses the name: when that process still heartbeats, starting is refused (two processes
 * with one name is a configuration error that waiting would only hide); when it stopped
 * heartbeating (a host that vanished without closing its connection), this one starts without the
 * fast path and the reaper takes those subtasks back after {@code deadAfter}, as before.
 *
 * <p>H2 has no advisory locks, but its file database is opened by one process at a time, so there
 * the earlier incarnations are dead by construction; an H2 server ({@code tcp:}, {@code
 * AUTO_SERVER}) gets no fast path.
 */
final class InstanceRegistry {

  private static final Logger log = LoggerFactory.getLogger(InstanceRegistry.class);
  private static final Duration LOCK_WAIT = Duration.ofSeconds(2);

  private final Jdbc jdbc;
  private final String name;
  private final long incarnation;
  private final long lockKey;
  private Connection lock;

  InstanceRegistry(Jdbc jdbc, String name, OffsetDateTime now) {
    this.jdbc = jdbc;
    this.name = name;
    this.lockKey =
        UUID.nameUUIDFromBytes(("obops.engine-instance:" + name).getBytes(StandardCharsets.UTF_8))
            .getMostSignificantBits();
    this.incarnation = register(now);
  }

  /** What this incarnation writes into {@code subtask_instance.executor}. */
  String executor() {
    return name + "#" + incarnation;
  }

  String name() {
    return name;
  }

  private long register(OffsetDateTime now) {
    for (int attempt = 1; ; attempt++) {
      try {
        return jdbc.inTransaction(
            () -> {
              long next =
                  jdbc.queryOne(
                              "select max(incarnation) from engine_instance where name = ?",
                              params(name),
                              rs -> rs.getLong(1))
                          .orElse(0L)
                      + 1;
              jdbc.update(
                  "insert into engine_instance (name, incarnation, started_at, last_heartbeat)"
                      + " values (?, ?, ?, ?)",
                  params(name, next, now, now));
              return next;
            });
      } catch (TaskStoreException e) {
        if (attempt == 3) {
          throw e; // not a race with another start of the same name: the store is down
        }
      }
    }
  }

  /**
   * Claims the name for this live process. Returns true when every earlier incarnation is known to
   * be dead (its subtasks may be taken back at once), false when that cannot be proven.
   *
   * @throws IllegalStateException when another live, heartbeating process uses this name
   */
  synchronized boolean claimName(OffsetDateTime now, Duration deadAfter) {
    if (!jdbc.postgres()) {
      return !sharedH2();
    }
    if (tryLockWithin(LOCK_WAIT)) {
      return true;
    }
    OffsetDateTime last =
        jdbc.queryOne(
                "select max(last_heartbeat) from engine_instance where name = ? and incarnation"
                    + " <> ?",
                params(name, incarnation),
                rs -> rs.getObject(1, OffsetDateTime.class))
            .orElse(null);
    if (last != null && last.isAfter(now.minus(deadAfter))) {
      throw new IllegalStateException(
          "another obops instance is running as '"
              + name
              + "' (last heartbeat "
              + Duration.between(last, now).toSeconds()
              + " s ago): give each instance its own obops.server-name, or stop the other one"
              + " first");
    }
    log.warn(
        "the instance name '{}' is still held by a database session of an instance that stopped"
            + " heartbeating at {}; its subtasks are taken back once they pass dead-after",
        name,
        last);
    return false;
  }

  private boolean sharedH2() {
    try (Connection c = jdbc.dataSource().getConnection()) {
      String url = c.getMetaData().getURL().toUpperCase(Locale.ROOT);
      return url.startsWith("JDBC:H2:TCP:")
          || url.startsWith("JDBC:H2:SSL:")
          || url.contains("AUTO_SERVER=TRUE");
    } catch (SQLException e) {
      throw new TaskStoreException(e);
    }
  }

  /**
   * Tries the lock for a moment: a process killed just now loses its session as soon as the
   * database reads the closed connection, which may be a few milliseconds after a fast restart.
   */
  private boolean tryLockWithin(Duration wait) {
    long deadline = System.nanoTime() + wait.toNanos();
    while (!tryLock()) {
      if (System.nanoTime() - deadline > 0) {
        return false;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      }
    }
    return true;
  }

  private boolean tryLock() {
    Connection c = null;
    try {
      c = jdbc.dataSource().getConnection();
      boolean locked;
      try (var ps = c.prepareStatement("select pg_try_advisory_lock(?)")) {
        ps.setLong(1, lockKey);
        try (var rs = ps.executeQuery()) {
          rs.next();
          locked = rs.getBoolean(1);
        }
      }
      if (locked) {
        lock = c;
        return true;
      }
      c.close();
      return false;
    } catch (SQLException e) {
      closeQuietly(c);
      throw new TaskStoreException(e);
    }
  }

  /** Deletes the rows of the earlier incarnations, once their subtasks are taken back. */
  void forgetEarlierIncarnations() {
    jdbc.update(
        "delete from engine_instance where name = ? and incarnation < ?",
        params(name, incarnation));
  }

  /** Records that this incarnation lives; re-takes the name lock if its session was lost. */
  synchronized void heartbeat(OffsetDateTime now) {
    jdbc.update(
        "update engine_instance set last_heartbeat = ? where name = ? and incarnation = ?",
        params(now, name, incarnation));
    try {
      if (lock != null && !lock.isValid(2)) {
        closeQuietly(lock);
        lock = null;
        if (!tryLock()) {
          log.error(
              "lost the database session that held the instance name '{}', and another process"
                  + " holds it now: two instances run under one name",
              name);
        }
      }
    } catch (SQLException e) {
      throw new TaskStoreException(e);
    }
  }

  /** Gives the name up (a clean shutdown): the next incarnation takes over at once. */
  synchronized void release() {
    if (lock == null) {
      return;
    }
    try (var ps = lock.prepareStatement("select pg_advisory_unlock(?)")) {
      ps.setLong(1, lockKey);
      ps.execute();
    } catch (SQLException e) {
      log.debug("could not release the name lock of '{}': {}", name, e.toString());
    }
    closeQuietly(lock);
    lock = null;
  }

  private static void closeQuietly(Connection c) {
    if (c == null) {
      return;
    }
    try {
      c.close();
    } catch (SQLException e) {
      // the session is gone either way
    }
  }
}
