package io.obops.routine;

import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * Runs every {@link Routine} of the application on one scheduler, a thread per routine (a slow run
 * of one never delays another), with a fixed delay between runs. Started after the other beans,
 * stopped first.
 *
 * <p>Threading: {@link #runNow} runs a routine on the caller's thread; it may overlap a scheduled
 * run, so a routine's work must be safe to run concurrently with itself (every routine of obops
 * decides through the database: conditional updates, claims, locks).
 */
public final class Routines implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(Routines.class);

  private final List<Routine> routines;
  private ScheduledExecutorService scheduler;

  public Routines(List<Routine> routines) {
    this.routines = List.copyOf(routines);
  }

  /** The routines, in the order they were given. */
  public List<Routine> all() {
    return routines;
  }

  /** Runs the routine named {@code name} once, now, on the caller's thread. */
  public void runNow(String name) {
    routines.stream()
        .filter(r -> r.name().equals(name))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("no routine " + name))
        .work()
        .run();
  }

  @Override
  public synchronized void start() {
    List<Routine> scheduled = routines.stream().filter(r -> !r.every().isZero()).toList();
    if (scheduled.isEmpty()) {
      scheduler = Executors.newSingleThreadScheduledExecutor();
      return;
    }
    AtomicInteger n = new AtomicInteger();
    scheduler =
        Executors.newScheduledThreadPool(
            scheduled.size(),
            r -> {
              Thread t = new Thread(r, "obops-routine-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    for (Routine r : scheduled) {
      long every = r.every().toMillis();
      scheduler.scheduleWithFixedDelay(() -> run(r), every, every, TimeUnit.MILLISECONDS);
    }
    log.info(
        "routines: {}", scheduled.stream().map(r -> r.name() + " every " + r.every()).toList());
  }

  private static void run(Routine r) {
    Thread.currentThread().setName("obops-routine-" + r.name());
    try {
      r.work().run();
    } catch (RuntimeException e) {
      log.warn("routine {} failed; it runs again in {}: {}", r.name(), r.every(), e.toString());
    }
  }

  @Override
  public synchronized void stop() {
    if (scheduler != null) {
      scheduler.shutdownNow();
      try {
        scheduler.awaitTermination(5, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      scheduler = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return scheduler != null;
  }

  /** Late in start-up (after the engine and the adapters), early in shutdown. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1000;
  }
}
