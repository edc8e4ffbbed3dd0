package io.obops.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * One replica at a time holds a platform's gateway connection (Discord allows one bot session to
 * receive each interaction): a row of {@code chat_gateway_lease}, taken when free or expired and
 * renewed by its holder, in the database's time (the application's {@link Clock} is the database
 * clock), so replicas agree whatever their own clocks say. {@link #check} (a routine, every third
 * of the lease) takes or renews it and starts the connection when this replica got it, or stops the
 * connection when it lost it (it could not renew in time: the database was unreachable, the JVM
 * paused). When the holder dies, another replica takes over once the lease ran out: within the
 * lease plus a third. A holder that shuts down cleanly gives the lease up at once.
 *
 * <p>Outbound chat needs no lease: each replica delivers the outbox rows of the platforms it has
 * connected, so only the holder delivers Discord's. REST, the console and the engine run on every
 * replica.
 *
 * <p>Threading: {@link #check} is synchronized; start and stop callbacks run on its thread.
 */
public final class GatewayLease implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(GatewayLease.class);

  private final JdbcClient jdbc;
  private final Clock clock;
  private final String name;
  private final String holder;
  private final Duration ttl;
  private final Runnable connect;
  private final Runnable disconnect;
  private boolean held;
  private volatile boolean running;

  /**
   * @param name the gateway, e.g. {@code discord}
   * @param holder this replica's name (unique among live replicas)
   * @param connect starts the connection once this replica holds the lease
   * @param disconnect stops it when the lease is lost or given up
   */
  public GatewayLease(
      JdbcClient jdbc,
      Clock clock,
      String name,
      String holder,
      Duration ttl,
      Runnable connect,
      Runnable disconnect) {
    this.jdbc = jdbc;
    this.clock = clock;
    this.name = name;
    this.holder = holder;
    this.ttl = ttl;
    this.connect = connect;
    this.disconnect = disconnect;
  }

  /** How often {@link #check} should run: a third of the lease. */
  public Duration checkEvery() {
    return ttl.dividedBy(3);
  }

  /** Takes or renews the lease, then connects or disconnects to match; true if held. */
  public synchronized boolean check() {
    if (!running) {
      return false;
    }
    boolean now;
    try {
      now = takeOrRenew();
    } catch (DataAccessException e) {
      log.warn("gateway {}: could not renew the lease: {}", name, e.getMessage());
      now = false; // renewal failed: it may run out; stop before another replica takes over
    }
    if (now && !held) {
      log.info("gateway {}: {} holds the lease; connecting", name, holder);
      held = true;
      connect.run();
    } else if (!now && held) {
      log.warn("gateway {}: {} lost the lease; disconnecting", name, holder);
      held = false;
      disconnect.run();
    }
    return held;
  }

  /** Whether this replica holds the lease (as of its last check). */
  public synchronized boolean held() {
    return held;
  }

  /** Who holds the lease now (null when nobody does). */
  public String holder() {
    return jdbc.sql("select holder from chat_gateway_lease where name = ? and expires_at > ?")
        .params(name, OffsetDateTime.now(clock))
        .query(String.class)
        .optional()
        .orElse(null);
  }

  private boolean takeOrRenew() {
    OffsetDateTime now = OffsetDateTime.now(clock);
    OffsetDateTime until = now.plus(ttl);
    int renewed =
        jdbc.sql(
                "update chat_gateway_lease set holder = ?, expires_at = ?,"
                    + " acquired_at = case when holder = ? then acquired_at else ? end"
                    + " where name = ? and (holder = ? or expires_at <= ?)")
            .params(holder, until, holder, now, name, holder, now)
            .update();
    if (renewed == 1) {
      return true;
    }
    try {
      return jdbc.sql(
                  "insert into chat_gateway_lease (name, holder, acquired_at, expires_at)"
                      + " select ?, ?, ?, ? where not exists"
                      + " (select 1 from chat_gateway_lease where name = ?)")
              .params(name, holder, now, until, name)
              .update()
          == 1;
    } catch (org.springframework.dao.DuplicateKeyException e) {
      return false; // another replica inserted it first
    }
  }

  /** Gives the lease up (a clean shutdown), so another replica takes over at once. */
  private void release() {
    jdbc.sql("delete from chat_gateway_lease where name = ? and holder = ?")
        .params(name, holder)
        .update();
  }

  @Override
  public void start() {
    running = true;
    check(); // a single replica connects during start-up, as before
  }

  @Override
  public synchronized void stop() {
    running = false;
    if (held) {
      held = false;
      disconnect.run();
      try {
        release();
      } catch (DataAccessException e) {
        log.warn("gateway {}: lease not released (it runs out): {}", name, e.getMessage());
      }
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }
}
