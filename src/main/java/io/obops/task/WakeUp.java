package io.obops.task;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * "There may be work": raised by a submit, an operation or a worker that became free; the poller
 * waits for it between polls. Counting signals lets the poller notice one raised while it was
 * claiming, which a bare notify would lose.
 */
final class WakeUp {

  private final AtomicInteger count = new AtomicInteger();

  void signal() {
    count.incrementAndGet();
    synchronized (this) {
      notifyAll();
    }
  }

  /** The number of signals so far, to pass to {@link #await}. */
  int seen() {
    return count.get();
  }

  /** Waits up to {@code timeout} unless a signal came after {@code seen}. */
  synchronized void await(int seen, Duration timeout) throws InterruptedException {
    if (count.get() == seen) {
      wait(timeout.toMillis());
    }
  }
}
