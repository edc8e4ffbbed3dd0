package io.obops.task;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database's time, read cheaply: a base clock plus the offset between it and the database's
 * {@code current_timestamp}, measured at construction and again every {@code refreshEvery} (in the
 * background; the caller never waits for the database). Every instance sharing the database then
 * stamps and compares in the same time, however wrong its own clock is: heartbeats and the reaper's
 * deadline, approval expiry, anything that one instance writes and another compares.
 *
 * <p>The offset is measured against the middle of the query's round trip, so it is off by at most
 * half a round trip. Tests give a settable base clock: advancing it advances this clock, and {@link
 * #refresh()} measures again on demand. When the database cannot be reached the last offset stays
 * (zero before the first success) and the next read tries again later.
 */
public final class DatabaseClock extends Clock {

  private static final Logger log = LoggerFactory.getLogger(DatabaseClock.class);
  private static final Duration RETRY_AFTER_FAILURE = Duration.ofSeconds(5);
  private static final ExecutorService REFRESHER =
      Executors.newSingleThreadExecutor(
          r -> {
            Thread t = new Thread(r, "database-clock");
            t.setDaemon(true);
            return t;
          });

  /** What every zone view of one clock shares. */
  private static final class Offset {
    final Clock base;
    final DataSource dataSource;
    final Duration refreshEvery;
    final AtomicBoolean refreshing = new AtomicBoolean();
    volatile Duration value = Duration.ZERO;
    volatile long nextRefreshNanos;

    Offset(Clock base, DataSource dataSource, Duration refreshEvery) {
      this.base = base;
      this.dataSource = dataSource;
      this.refreshEvery = refreshEvery;
    }
  }

  private final Offset offset;
  private final ZoneId zone;

  /** Measures at once; refreshes every minute. */
  public DatabaseClock(Clock base, DataSource dataSource) {
    this(base, dataSource, Duration.ofMinutes(1));
  }

  public DatabaseClock(Clock base, DataSource dataSource, Duration refreshEvery) {
    this(new Offset(base, dataSource, refreshEvery), base.getZone());
    refreshQuietly();
  }

  private DatabaseClock(Offset offset, ZoneId zone) {
    this.offset = offset;
    this.zone = zone;
  }

  /** How far the database's time is ahead of the base clock (negative when behind). */
  public Duration offset() {
    return offset.value;
  }

  /**
   * Measures the offset now, on the calling thread; returns it.
   *
   * @throws TaskStoreException when the database cannot be reached
   */
  public Duration refresh() {
    long sent = System.nanoTime();
    Instant baseAtSend = offset.base.instant();
    OffsetDateTime database;
    try (Connection c = offset.dataSource.getConnection();
        var ps = c.prepareStatement("select current_timestamp");
        var rs = ps.executeQuery()) {
      rs.next();
      database = rs.getObject(1, OffsetDateTime.class);
    } catch (SQLException e) {
      offset.nextRefreshNanos = System.nanoTime() + RETRY_AFTER_FAILURE.toNanos();
      throw new TaskStoreException(e);
    }
    long roundTrip = System.nanoTime() - sent;
    Duration measured = Duration.between(baseAtSend.plusNanos(roundTrip / 2), database.toInstant());
    offset.value = measured;
    offset.nextRefreshNanos = System.nanoTime() + offset.refreshEvery.toNanos();
    return measured;
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (TaskStoreException e) {
      log.warn(
          "could not read the database's time, keeping an offset of {}: {}",
          offset.value,
          e.getMessage());
    } finally {
      offset.refreshing.set(false);
    }
  }

  @Override
  public Instant instant() {
    if (System.nanoTime() - offset.nextRefreshNanos > 0
        && offset.refreshing.compareAndSet(false, true)) {
      REFRESHER.execute(this::refreshQuietly);
    }
    return offset.base.instant().plus(offset.value);
  }

  @Override
  public ZoneId getZone() {
    return zone;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return zone.equals(this.zone) ? this : new DatabaseClock(offset, zone);
  }

  @Override
  public String toString() {
    return "DatabaseClock[" + offset.base + " + " + offset.value + "]";
  }
}
