package io.obops.task;

import java.time.Duration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poller thread: while workers are free, claims READY subtasks and hands them to the {@link
 * Workers}; when nothing is READY, waits for a {@link WakeUp} or the poll interval (another
 * instance's submits are only seen by polling).
 */
final class Poller {

  private static final Logger log = LoggerFactory.getLogger(Poller.class);

  private final Workers workers;
  private final WakeUp wakeUp;
  private final Duration interval;
  private final String name;
  private volatile boolean stopping;
  private Thread thread;

  Poller(Workers workers, WakeUp wakeUp, Duration interval, String name) {
    this.workers = workers;
    this.wakeUp = wakeUp;
    this.interval = interval;
    this.name = name;
  }

  void start() {
    thread = new Thread(this::loop, "task-poller-" + name);
    thread.setDaemon(true);
    thread.start();
  }

  void stop() {
    stopping = true;
    wakeUp.signal();
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void loop() {
    while (!stopping) {
      try {
        int seen = wakeUp.seen();
        if (workers.claimAndDispatch().isEmpty() && !stopping) {
          wakeUp.await(seen, interval);
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("task poller {}: polling failed, will try again: {}", name, e.toString());
        try {
          Thread.sleep(interval.toMillis());
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
          return;
        }
      }
    }
  }
}
