package io.obops.task;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted task engine: OCP's task model on a relational database, several instances sharing
 * one database.
 *
 * <p>Each instance has an executor name unique to this process ({@code name#random}), a pool of
 * worker threads, a poller that claims READY subtasks while workers are free, and a housekeeper
 * that heartbeats the subtasks it holds, interrupts the ones someone cancelled or that ran past
 * their timeout, and re-queues subtasks whose executor stopped heartbeating (another instance that
 * died). {@link #start()} runs all of that in the background; tests leave it stopped and drive the
 * same steps with {@link #runUntilIdle()}, {@link #heartbeat()} and {@link #reapDeadExecutions()},
 * with time from the injected {@link Clock}.
 */
public final class TaskEngine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

  /** Tuning, all with safe defaults. */
  public record Settings(
      String instanceName,
      int workers,
      Duration pollInterval,
      Duration heartbeatInterval,
      Duration deadAfter) {

    public Settings {
      Objects.requireNonNull(instanceName, "instanceName");
      if (workers < 1) {
        throw new IllegalArgumentException("workers must be at least 1, was " + workers);
      }
      if (deadAfter.compareTo(heartbeatInterval.multipliedBy(2)) < 0) {
        throw new IllegalArgumentException(
            "deadAfter ("
                + deadAfter
                + ") must be at least twice the heartbeatInterval ("
                + heartbeatInterval
                + "), or live executions get reaped");
      }
    }

    public static Settings defaults(String instanceName) {
      return new Settings(
          instanceName, 32, Duration.ofMillis(200), Duration.ofSeconds(5), Duration.ofSeconds(30));
    }
  }

  private final TaskRepository repository;
  private final Clock clock;
  private final Settings settings;
  private final String executor;
  private final Map<String, SubtaskHandler> handlers;
  private final List<TaskEventListener> listeners = new CopyOnWriteArrayList<>();
  private final Map<Long, Running> running = new ConcurrentHashMap<>();
  private final Semaphore freeWorkers;
  private final Completer completer;
  private final ExecutorService workers;
  private final Object wakeUp = new Object();
  private final AtomicBoolean started = new AtomicBoolean();
  private final AtomicInteger wakeUps = new AtomicInteger();
  private volatile boolean stopping;
  private volatile boolean abandoning;
  private Thread poller;
  private ScheduledExecutorService housekeeper;

  public TaskEngine(
      DataSource dataSource,
      Clock clock,
      Settings settings,
      Map<String, ? extends SubtaskHandler> handlers) {
    this.repository = new TaskRepository(dataSource);
    this.clock = clock;
    this.settings = settings;
    this.executor = settings.instanceName() + "#" + UUID.randomUUID().toString().substring(0, 8);
    var all = new HashMap<String, SubtaskHandler>(handlers);
    all.putIfAbsent(WaitHandler.KEY, new WaitHandler());
    this.handlers = Map.copyOf(all);
    this.freeWorkers = new Semaphore(settings.workers());
    this.completer = new Completer(repository, executor, this::now, this::completed);
    AtomicInteger n = new AtomicInteger();
    this.workers =
        Executors.newFixedThreadPool(
            settings.workers(),
            r -> {
              Thread t = new Thread(r, "task-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** The name this engine writes into {@code executor}: unique to this process. */
  public String executor() {
    return executor;
  }

  public void addListener(TaskEventListener listener) {
    listeners.add(listener);
  }

  // ---------------------------------------------------------------- tasks

  /**
   * Creates a task from a template, its subtasks READY or PENDING. Joins the caller's transaction
   * when the engine was given a transaction-aware data source and one is open.
   */
  public long submit(
      TaskTemplate template, TaskContext context, Creator creator, TaskTarget target) {
    TaskPlan plan = plan(template, context);
    long id = repository.insert(template.name(), plan, context, creator, target, now());
    emit(new TaskEvent.TaskCreated(id, template.name()));
    wakeUp();
    return id;
  }

  /**
   * Like {@link #submit}, but the task is created HELD: it shows RUNNING with every subtask
   * PENDING, and nothing runs until {@link #openGate}; {@link #refuseGate} ends it FAILED instead.
   * For work that waits for something outside the engine (an approval).
   */
  public long submitGated(
      TaskTemplate template, TaskContext context, Creator creator, TaskTarget target) {
    TaskPlan plan = plan(template, context);
    long id = repository.insert(template.name(), plan, context, creator, target, now(), true);
    emit(new TaskEvent.TaskCreated(id, template.name()));
    return id;
  }

  private TaskPlan plan(TaskTemplate template, TaskContext context) {
    TaskPlan plan = TaskPlan.expand(template, context);
    plan.subtasks()
        .forEach(
            p -> {
              if (!handlers.containsKey(p.node().handler())) {
                throw new IllegalArgumentException(
                    "no handler '" + p.node().handler() + "' for node '" + p.node().name() + "'");
              }
            });
    return plan;
  }

  /** The task's gate; throws {@link TaskOperationException} (NOT_FOUND) for an unknown task. */
  public TaskGate gate(long taskId) {
    return repository.gate(taskId);
  }

  /**
   * Opens a HELD task's gate: its root subtasks become READY. Joins the caller's transaction;
   * throws {@link TaskOperationException} (CONFLICT) if the task is not HELD.
   */
  public void openGate(long taskId) {
    repository.openGate(taskId);
    wakeUp();
  }

  /**
   * Refuses a HELD task's gate: the task ends FAILED without running anything, {@code reason} in
   * its first subtask's log (and as the root subtasks' error); it can never be retried. Joins the
   * caller's transaction; throws {@link TaskOperationException} (CONFLICT) if the task is not HELD.
   */
  public void refuseGate(long taskId, String reason) {
    TaskRepository.Refused refused = repository.refuseGate(taskId, reason, now());
    emit(new TaskEvent.SubtaskLogLine(taskId, refused.firstSubtaskId(), reason));
    finished(taskId, TaskStatus.FAILED);
  }

  public Optional<TaskInstance> find(long taskId) {
    return repository.find(taskId);
  }

  /** The subtask's log lines, oldest first. */
  public List<String> log(long taskId, long subtaskId) {
    repository
        .findSubtask(taskId, subtaskId)
        .orElseThrow(
            () ->
                new TaskOperationException(
                    TaskOperationException.Reason.NOT_FOUND,
                    "subtask " + subtaskId + " of task " + taskId + " does not exist"));
    return repository.log(subtaskId);
  }

  public void retryTask(long taskId, String by) {
    int n = repository.retryTask(taskId);
    log.info("task {}: retry by {} re-queued {} failed subtask(s)", taskId, by, n);
    wakeUp();
  }

  public SubtaskInstance retrySubtask(long taskId, long subtaskId, String by) {
    SubtaskInstance s = repository.reschedule(taskId, subtaskId, SubtaskOperation.RETRY);
    appendLog(taskId, subtaskId, "retry requested by " + by);
    wakeUp();
    return s;
  }

  public SubtaskInstance skipSubtask(long taskId, long subtaskId, String by) {
    SubtaskInstance s = repository.reschedule(taskId, subtaskId, SubtaskOperation.SKIP);
    appendLog(taskId, subtaskId, "skip requested by " + by);
    wakeUp();
    return s;
  }

  /** Asks to cancel a RUNNING subtask; its executor interrupts it and it ends FAILED. */
  public SubtaskInstance cancelSubtask(long taskId, long subtaskId, String by) {
    SubtaskInstance s = repository.requestCancel(taskId, subtaskId, by);
    appendLog(taskId, subtaskId, "cancel requested by " + by);
    interruptCancelled();
    return s;
  }

  // ---------------------------------------------------------------- running work

  /** Starts the poller and the housekeeper. */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    poller = new Thread(this::pollLoop, "task-poller-" + settings.instanceName());
    poller.setDaemon(true);
    poller.start();
    housekeeper =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "task-housekeeper-" + settings.instanceName());
              t.setDaemon(true);
              return t;
            });
    long every = settings.heartbeatInterval().toMillis();
    housekeeper.scheduleWithFixedDelay(this::housekeep, every, every, TimeUnit.MILLISECONDS);
    log.info("task engine {} started with {} workers", executor, settings.workers());
  }

  /** Tells the poller there may be work (after a submit or a completion). */
  public void wakeUp() {
    wakeUps.incrementAndGet();
    synchronized (wakeUp) {
      wakeUp.notifyAll();
    }
  }

  private void pollLoop() {
    while (!stopping) {
      try {
        int seen = wakeUps.get();
        int claimed = claimAndDispatch();
        if (claimed == 0 && !stopping) {
          synchronized (wakeUp) {
            if (wakeUps.get() == seen) {
              wakeUp.wait(settings.pollInterval().toMillis());
            }
          }
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        log.warn("task engine {}: polling failed, will try again: {}", executor, e.toString());
        sleepQuietly(settings.pollInterval());
      }
    }
  }

  private int claimAndDispatch() throws InterruptedException {
    freeWorkers.acquire();
    int free = 1 + freeWorkers.drainPermits();
    List<TaskRepository.Claimed> claimed;
    try {
      claimed = repository.claim(executor, free, now());
    } catch (RuntimeException e) {
      freeWorkers.release(free);
      throw e;
    }
    freeWorkers.release(free - claimed.size());
    for (TaskRepository.Claimed c : claimed) {
      Running first = track(c);
      workers.submit(() -> work(first));
    }
    return claimed.size();
  }

  /**
   * A worker's loop: run the subtask it was given, then claim the next READY one itself, so a chain
   * of subtasks does not wait for the poller at every step. Returns its permit when idle.
   */
  private void work(Running first) {
    try {
      Running r = first;
      while (r != null) {
        try {
          execute(r);
        } finally {
          running.remove(r.claimed.subtask().id());
        }
        r = null;
        if (!stopping) {
          List<TaskRepository.Claimed> next = List.of();
          try {
            next = repository.claim(executor, 1, now());
          } catch (RuntimeException e) {
            log.warn(
                "task engine {}: claim failed, leaving it to the poller: {}",
                executor,
                e.toString());
          }
          if (!next.isEmpty()) {
            r = track(next.get(0));
          }
        }
      }
    } finally {
      freeWorkers.release();
      wakeUp();
    }
  }

  private Running track(TaskRepository.Claimed claimed) {
    Running r = new Running(claimed);
    running.put(claimed.subtask().id(), r);
    return r;
  }

  /**
   * Claims and runs READY subtasks on the calling thread's behalf until none is left; returns how
   * many ran. For tests and tools: a deterministic "run due work now".
   */
  public int runUntilIdle() {
    int total = 0;
    while (true) {
      List<TaskRepository.Claimed> claimed = repository.claim(executor, settings.workers(), now());
      if (claimed.isEmpty()) {
        return total;
      }
      var futures = new ArrayList<Future<?>>();
      for (TaskRepository.Claimed c : claimed) {
        Running r = track(c);
        r.future =
            workers.submit(
                () -> {
                  try {
                    execute(r);
                  } finally {
                    running.remove(c.subtask().id());
                  }
                });
        futures.add(r.future);
      }
      for (Future<?> f : futures) {
        try {
          f.get();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return total;
        } catch (java.util.concurrent.ExecutionException e) {
          throw new IllegalStateException(e.getCause());
        }
      }
      total += claimed.size();
    }
  }

  private void execute(Running r) {
    SubtaskInstance s = r.claimed.subtask();
    Thread.interrupted(); // a stale interrupt aimed at this thread's previous subtask
    r.thread = Thread.currentThread();
    long started = clock.millis();
    boolean skip = s.operation() == SubtaskOperation.SKIP;
    emit(new TaskEvent.SubtaskStarted(s.taskId(), s.id(), s.name(), s.parallelIdx()));
    TaskRepository.Outcome outcome;
    if (skip) {
      appendLog(s.taskId(), s.id(), "skipped: marked successful without running");
      outcome = TaskRepository.Outcome.succeeded();
    } else {
      outcome = runHandler(r, s);
    }
    if (outcome == null) {
      // Interrupted by shutdown: record nothing. The subtask stays RUNNING without a heartbeat,
      // so a live instance (or this one after its restart) re-queues it and it runs again.
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

  /** After a batch of completions committed: announce what counted. */
  private void completed(List<Completer.Pending> batch, TaskRepository.Completed result) {
    for (int i = 0; i < batch.size(); i++) {
      Completer.Pending p = batch.get(i);
      SubtaskInstance s = p.subtask();
      TaskRepository.Completion completion = result.completions().get(i);
      Duration took = Duration.ofMillis(clock.millis() - p.startedMillis());
      if (!completion.counted()) {
        log.warn(
            "task {} subtask {} ({}): finished on {} after it was taken over; result dropped",
            s.taskId(),
            s.id(),
            s.name(),
            executor);
      } else if (completion.subtaskStatus() == SubtaskStatus.SUCCESSFUL) {
        emit(
            new TaskEvent.SubtaskSucceeded(
                s.taskId(), s.id(), s.name(), s.parallelIdx(), took, p.skip()));
      } else {
        emit(new TaskEvent.SubtaskLogLine(s.taskId(), s.id(), "FAILED: " + completion.error()));
        emit(
            new TaskEvent.SubtaskFailed(
                s.taskId(), s.id(), s.name(), s.parallelIdx(), took, completion.error()));
      }
    }
    if (result.finishedTask() != null) {
      finished(batch.get(0).subtask().taskId(), result.finishedTask());
    }
  }

  /** Runs the handler; null when the engine's shutdown interrupted it (nothing to record). */
  private TaskRepository.Outcome runHandler(Running r, SubtaskInstance s) {
    SubtaskHandler handler = handlers.get(s.handler());
    if (handler == null) {
      return TaskRepository.Outcome.failed(
          "no handler '" + s.handler() + "' is registered on " + executor);
    }
    try {
      handler.execute(new Execution(r));
      if (r.timedOut) {
        return TaskRepository.Outcome.failed(timeoutMessage(s));
      }
      return TaskRepository.Outcome.succeeded();
    } catch (InterruptedException e) {
      if (abandoning && !r.cancelled && !r.timedOut) {
        return null;
      }
      return TaskRepository.Outcome.failed(
          r.timedOut ? timeoutMessage(s) : "interrupted on " + executor);
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
      return TaskRepository.Outcome.failed(message);
    }
  }

  private static String timeoutMessage(SubtaskInstance s) {
    return "timed out after " + s.timeoutSeconds() + " s; retry it, or skip it if the work is done";
  }

  private void finished(long taskId, TaskStatus status) {
    repository
        .find(taskId)
        .ifPresent(
            t ->
                emit(
                    new TaskEvent.TaskFinished(
                        taskId,
                        t.name(),
                        status,
                        Duration.between(
                            t.startTime(),
                            t.finishTime() == null ? t.startTime() : t.finishTime()))));
  }

  private void appendLog(long taskId, long subtaskId, String line) {
    repository.appendLog(subtaskId, line, now());
    emit(new TaskEvent.SubtaskLogLine(taskId, subtaskId, line));
  }

  // ---------------------------------------------------------------- housekeeping

  private void housekeep() {
    try {
      runHousekeeping();
    } catch (RuntimeException e) {
      log.warn("task engine {}: housekeeping failed, will try again: {}", executor, e.toString());
    }
  }

  /**
   * One housekeeping round, as the background housekeeper runs it: heartbeat, interrupt cancelled
   * and timed-out executions, reap dead executors' subtasks.
   */
  public void runHousekeeping() {
    heartbeat();
    interruptCancelled();
    interruptTimedOut();
    reapDeadExecutions();
  }

  /** Records that this instance still holds the subtasks it runs. */
  public void heartbeat() {
    repository.heartbeat(executor, List.copyOf(running.keySet()), now());
  }

  private void interruptCancelled() {
    for (long id : repository.cancelRequested(executor, List.copyOf(running.keySet()))) {
      Running r = running.get(id);
      if (r != null && !r.cancelled) {
        r.cancelled = true;
        if (r.thread != null) {
          r.thread.interrupt();
        }
      }
    }
  }

  private void interruptTimedOut() {
    long nowMillis = clock.millis();
    for (Running r : running.values()) {
      SubtaskInstance s = r.claimed.subtask();
      if (!r.timedOut && nowMillis - r.claimedAt > s.timeoutSeconds() * 1000L) {
        r.timedOut = true;
        if (r.thread != null) {
          r.thread.interrupt();
        }
      }
    }
  }

  /**
   * Takes back subtasks of executors (of any instance) that stopped heartbeating for longer than
   * {@code deadAfter}; returns how many.
   */
  public int reapDeadExecutions() {
    OffsetDateTime now = now();
    var reaped = repository.reap(now.minus(settings.deadAfter()), now);
    for (TaskRepository.Reaped r : reaped) {
      String line =
          r.requeued()
              ? "executor "
                  + r.deadExecutor()
                  + " stopped heartbeating; re-queued to run again on a live instance"
              : "executor " + r.deadExecutor() + " stopped heartbeating during a cancel; FAILED";
      log.warn("task {} subtask {} ({}): {}", r.taskId(), r.subtaskId(), r.name(), line);
      appendLog(r.taskId(), r.subtaskId(), line);
      if (r.finishedTask() != null) {
        finished(r.taskId(), r.finishedTask());
      }
    }
    if (!reaped.isEmpty()) {
      wakeUp();
    }
    return reaped.size();
  }

  // ---------------------------------------------------------------- plumbing

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }

  private void emit(TaskEvent event) {
    for (TaskEventListener l : listeners) {
      try {
        l.onEvent(event);
      } catch (RuntimeException e) {
        log.warn("task event listener {} failed on {}", l, event, e);
      }
    }
  }

  private static void sleepQuietly(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /**
   * Stops claiming, waits up to {@code grace} for running subtasks, then interrupts them. Subtasks
   * still held are re-queued by another instance's reaper (or this one's after a restart).
   */
  public void shutdown(Duration grace) {
    stopping = true;
    wakeUp();
    if (housekeeper != null) {
      housekeeper.shutdownNow();
    }
    if (poller != null) {
      poller.interrupt();
    }
    workers.shutdown();
    try {
      if (!workers.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        abandoning = true;
        workers.shutdownNow();
      }
    } catch (InterruptedException e) {
      abandoning = true;
      workers.shutdownNow();
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    shutdown(Duration.ofSeconds(10));
  }

  /** One execution held by this instance. */
  private final class Running {
    final TaskRepository.Claimed claimed;
    final long claimedAt = clock.millis();
    volatile Thread thread;
    volatile boolean cancelled;
    volatile boolean timedOut;
    volatile Future<?> future;

    Running(TaskRepository.Claimed claimed) {
      this.claimed = claimed;
    }
  }

  private final class Execution implements SubtaskExecution {
    private final Running running;
    private final SubtaskInstance subtask;
    private TaskContext context;

    Execution(Running running) {
      this.running = running;
      this.subtask = running.claimed.subtask();
      this.context = running.claimed.context();
    }

    @Override
    public long taskId() {
      return subtask.taskId();
    }

    @Override
    public long subtaskId() {
      return subtask.id();
    }

    @Override
    public String name() {
      return subtask.name();
    }

    @Override
    public int parallelIdx() {
      return subtask.parallelIdx();
    }

    @Override
    public TaskContext context() {
      return context;
    }

    @Override
    public String parallelValue(String key) {
      List<String> values = context.list(key);
      if (subtask.parallelIdx() < 0 || subtask.parallelIdx() >= values.size()) {
        throw new IllegalStateException(
            "subtask "
                + subtask.id()
                + " ("
                + subtask.name()
                + ") has no element "
                + subtask.parallelIdx()
                + " in context list '"
                + key
                + "'");
      }
      return values.get(subtask.parallelIdx());
    }

    @Override
    public void putContextString(String key, String value) {
      repository.putContextString(subtask.taskId(), key, value);
      context = context.withString(key, value);
    }

    @Override
    public SubtaskLog log() {
      return line -> appendLog(subtask.taskId(), subtask.id(), line);
    }

    @Override
    public boolean cancelRequested() {
      return running.cancelled;
    }

    @Override
    public Clock clock() {
      return clock;
    }
  }
}
