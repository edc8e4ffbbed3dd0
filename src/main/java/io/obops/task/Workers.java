package io.obops.task;

import io.obops.task.ExecutionRepository.Claimed;
import io.obops.task.ExecutionRepository.Outcome;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker threads and the one worker loop: run the claimed subtask's handler, record how it
 * ended (through the {@link Completer}), then claim the next READY subtask itself, so a chain of
 * subtasks does not wait for the poller at every step. The {@link Poller} and {@link
 * #runUntilIdle()} both start work through {@link #claimAndDispatch()}.
 *
 * <p>A semaphore counts free workers: a claim never takes more subtasks than there are workers to
 * run them.
 */
final class Workers {

  private static final Logger log = LoggerFactory.getLogger(Workers.class);

  private final ExecutionRepository executions;
  private final TaskRepository tasks;
  private final Events events;
  private final Clock clock;
  private final String executor;
  private final Map<String, SubtaskHandler> handlers;
  private final WakeUp wakeUp;
  private final int size;
  private final Semaphore free;
  private final ExecutorService pool;
  private final Completer completer;
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final AtomicInteger executed = new AtomicInteger();
  private volatile boolean stopping;
  private volatile boolean abandoning;

  Workers(
      ExecutionRepository executions,
      TaskRepository tasks,
      Events events,
      Clock clock,
      String executor,
      int size,
      Map<String, SubtaskHandler> handlers,
      WakeUp wakeUp) {
    this.executions = executions;
    this.tasks = tasks;
    this.events = events;
    this.clock = clock;
    this.executor = executor;
    this.handlers = handlers;
    this.wakeUp = wakeUp;
    this.size = size;
    this.free = new Semaphore(size);
    this.completer = new Completer(executions, executor, this::now, this::completed);
    AtomicInteger n = new AtomicInteger();
    this.pool =
        Executors.newFixedThreadPool(
            size,
            r -> {
              Thread t = new Thread(r, "task-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The executions this instance holds now. */
  Collection<Running> running() {
    return running.values();
  }

  Running running(long subtaskId) {
    return running.get(subtaskId);
  }

  /**
   * Waits for a free worker, claims READY subtasks for every free worker and hands each to one;
   * returns their futures, empty when nothing was READY.
   */
  List<Future<?>> claimAndDispatch() throws InterruptedException {
    free.acquire();
    int n = 1 + free.drainPermits();
    List<Claimed> claimed;
    try {
      claimed = executions.claim(executor, n, now());
    } catch (RuntimeException e) {
      free.release(n);
      throw e;
    }
    free.release(n - claimed.size());
    var futures = new ArrayList<Future<?>>();
    for (Claimed c : claimed) {
      Running r = track(c);
      futures.add(pool.submit(() -> work(r)));
    }
    return futures;
  }

  /**
   * Runs READY subtasks until none is left and no worker is busy; returns how many ran. See
   * TaskEngine. It claims like the poller does, so subtasks made READY while others still run (the
   * siblings behind a Wait node) start at once instead of waiting for the slowest worker.
   */
  int runUntilIdle() {
    int before = executed.get();
    try {
      while (true) {
        int seen = wakeUp.seen();
        if (claimAndDispatch().isEmpty()) {
          if (free.availablePermits() == size) {
            return executed.get() - before;
          }
          wakeUp.await(seen, Duration.ofMillis(50));
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return executed.get() - before;
    }
  }

  /** The worker loop. Returns its permit, and signals the poller, when idle. */
  private void work(Running first) {
    try {
      Running r = first;
      while (r != null) {
        try {
          execute(r);
        } finally {
          running.remove(r.subtask().id());
        }
        r = stopping ? null : claimNext();
      }
    } finally {
      free.release();
      wakeUp.signal();
    }
  }

  private Running claimNext() {
    try {
      List<Claimed> next = executions.claim(executor, 1, now());
      return next.isEmpty() ? null : track(next.get(0));
    } catch (RuntimeException e) {
      log.warn(
          "task engine {}: claim failed, leaving it to the poller: {}", executor, e.toString());
      return null;
    }
  }

  private Running track(Claimed claimed) {
    Running r = new Running(claimed, clock.millis());
    running.put(claimed.subtask().id(), r);
    return r;
  }

  private void execute(Running r) {
    SubtaskInstance s = r.subtask();
    Thread.interrupted(); // a stale interrupt aimed at this thread's previous subtask
    r.thread = Thread.currentThread();
    long started = clock.millis();
    boolean skip = s.operation() == SubtaskOperation.SKIP;
    events.emit(new TaskEvent.SubtaskStarted(s.taskId(), s.id(), s.name(), s.parallelIdx()));
    Outcome outcome;
    if (skip) {
      events.logLine(s.taskId(), s.id(), "skipped: marked successful without running");
      outcome = Outcome.succeeded();
    } else {
      outcome = runHandler(r, s);
    }
    executed.incrementAndGet();
    if (outcome == null) {
      // Interrupted by shutdown: record nothing. The subtask stays RUNNING without a heartbeat,
      // so the next incarnation of this instance (or another instance's reaper) re-queues it.
      log.info(
          "task {} subtask {} ({}) interrupted by shutdown; it will run again",
          s.taskId(),
          s.id(),
          s.name());
      return;
    }
    r.thread = null;
    Thread.interrupted(); // a cancel that raced with success must not leak into the completion
    try {
      completer.complete(new Completer.Pending(s, outcome, started, skip));
    } catch (RuntimeException e) {
      // The heartbeat stops with this execution, so the reaper re-queues the subtask: one recovery
      // path for "worker died" and "completion failed".
      log.error("task {} subtask {}: could not record completion", s.taskId(), s.id(), e);
    }
  }

  /** Runs the handler; null when the engine's shutdown interrupted it (nothing to record). */
  private Outcome runHandler(Running r, SubtaskInstance s) {
    SubtaskHandler handler = handlers.get(s.handler());
    if (handler == null) {
      return Outcome.failed("no handler '" + s.handler() + "' is registered on " + executor);
    }
    try {
      handler.execute(new Execution(r, tasks, events, clock));
      return r.timedOut ? Outcome.failed(timeoutMessage(s)) : Outcome.succeeded();
    } catch (InterruptedException e) {
      if (abandoning && !r.cancelled && !r.timedOut) {
        return null;
      }
      return Outcome.failed(r.timedOut ? timeoutMessage(s) : "interrupted on " + executor);
    } catch (Exception | LinkageError | AssertionError e) {
      if (abandoning && !r.cancelled && !r.timedOut) {
        return null; // whatever the handler made of the shutdown's interrupt
      }
      String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
      if (r.timedOut) {
        message = timeoutMessage(s) + " (" + message + ")";
      }
      if (!(e instanceof RuntimeException) || e instanceof IllegalStateException) {
        log.info("task {} subtask {} ({}) failed: {}", s.taskId(), s.id(), s.name(), message);
      } else {
        log.warn("task {} subtask {} ({}) failed", s.taskId(), s.id(), s.name(), e);
      }
      return Outcome.failed(message);
    }
  }

  private static String timeoutMessage(SubtaskInstance s) {
    return "timed out after " + s.timeoutSeconds() + " s; retry it, or skip it if the work is done";
  }

  /**
   * After a batch of completions committed: announce what counted, and wake the poller when a
   * subtask succeeded. Its downstreams may be READY now, and the worker that finished claims only
   * one of them: without the poller, the other siblings of a fan-out (every server's step after a
   * single one) would wait for a worker to go idle or for the poll interval.
   */
  private void completed(List<Completer.Pending> batch, ExecutionRepository.Completed result) {
    boolean succeeded = false;
    for (int i = 0; i < batch.size(); i++) {
      Completer.Pending p = batch.get(i);
      SubtaskInstance s = p.subtask();
      ExecutionRepository.Completion completion = result.completions().get(i);
      Duration took = Duration.ofMillis(clock.millis() - p.startedMillis());
      if (!completion.counted()) {
        log.warn(
            "task {} subtask {} ({}): finished on {} after it was taken over; result dropped",
            s.taskId(),
            s.id(),
            s.name(),
            executor);
      } else if (completion.subtaskStatus() == SubtaskStatus.SUCCESSFUL) {
        succeeded = true;
        events.emit(
            new TaskEvent.SubtaskSucceeded(
                s.taskId(), s.id(), s.name(), s.parallelIdx(), took, p.skip()));
      } else {
        events.emit(
            new TaskEvent.SubtaskLogLine(s.taskId(), s.id(), "FAILED: " + completion.error()));
        events.emit(
            new TaskEvent.SubtaskFailed(
                s.taskId(), s.id(), s.name(), s.parallelIdx(), took, completion.error()));
      }
    }
    if (succeeded && result.taskEnd() == null) {
      wakeUp.signal();
    }
    if (result.taskEnd() != null) {
      events.finished(result.taskEnd());
    }
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  /**
   * Stops claiming, waits up to {@code grace} for running subtasks, then interrupts them: an
   * execution interrupted this way records nothing and runs again after a restart.
   */
  void shutdown(Duration grace) {
    stopping = true;
    pool.shutdown();
    try {
      if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        abandoning = true;
        pool.shutdownNow();
      }
    } catch (InterruptedException e) {
      abandoning = true;
      pool.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }
}
