package io.obops.task;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The persisted task engine, assembled: OCP's task model on a relational database, several
 * instances sharing one database. Callers use its {@link #client()}; this class only puts the
 * runtime together and runs it.
 *
 * <p>The runtime, by role (after db-scheduler's {@code Scheduler}): the {@link Poller} claims READY
 * subtasks while {@link Workers} are free; each worker runs its subtask and claims the next one
 * itself; the {@link Housekeeper} heartbeats what this instance holds, interrupts cancelled and
 * timed-out executions, and re-queues subtasks of instances that died. The store is {@link
 * TaskRepository} (tasks), {@link TaskOperations} (retry, skip, cancel), {@link
 * ExecutionRepository} (claims and completions) and {@link LivenessRepository} (heartbeats,
 * reaping), on {@link Jdbc}.
 *
 * <p>Identity: this instance is {@code name#incarnation} ({@link InstanceRegistry}); {@link
 * #start()} takes back at once what its earlier incarnations left RUNNING, when they are known to
 * be dead, and refuses to start while another live process uses the same name.
 *
 * <p>Time comes from the injected {@link Clock}: the database's in production ({@link
 * DatabaseClock}), settable in tests. {@link #start()} runs everything in the background; tests
 * leave it stopped and drive the same steps with {@link #runUntilIdle()}, {@link
 * #runHousekeeping()}, {@link #heartbeat()} and {@link #reapDeadExecutions()}.
 */
public final class TaskEngine implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(TaskEngine.class);

  /**
   * Tuning; {@link #defaults} is the one place the defaults are written.
   *
   * @param instanceName this instance's stable name (no {@code #}): a host name or {@code
   *     obops.server-name}
   * @param workers subtasks this instance runs at once. A worker is a thread, not a database
   *     connection: it takes one only while it reads or writes, so a worker whose subtask waits on
   *     a host (an observer taking 0.5 s to exit) holds nothing else, and workers may outnumber the
   *     connection pool (default {@value #DEFAULT_WORKERS}).
   * @param pollInterval how often an idle instance looks for READY subtasks
   * @param heartbeatInterval how often an instance records that it holds its subtasks
   * @param deadAfter silence after which another instance takes a subtask over
   * @param shutdownGrace how long running subtasks may finish on shutdown
   */
  public record Settings(
      String instanceName,
      int workers,
      Duration pollInterval,
      Duration heartbeatInterval,
      Duration deadAfter,
      Duration shutdownGrace) {

    public Settings {
      Objects.requireNonNull(instanceName, "instanceName");
      if (instanceName.isBlank() || instanceName.contains("#") || instanceName.length() > 100) {
        throw new IllegalArgumentException(
            "instance name must be 1 to 100 characters without '#', was '" + instanceName + "'");
      }
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

    /**
     * Enough to stop a few hundred observers at once: a stop mostly waits on its host, so the limit
     * on what runs at once is the SSH layer's (handshakes), not the workers.
     */
    public static final int DEFAULT_WORKERS = 256;

    public static Settings defaults(String instanceName) {
      return new Settings(
          instanceName,
          DEFAULT_WORKERS,
          Duration.ofMillis(200),
          Duration.ofSeconds(5),
          Duration.ofSeconds(30),
          Duration.ofSeconds(20));
    }
  }

  private final Clock clock;
  private final Settings settings;
  private final InstanceRegistry instance;
  private final Events events;
  private final TaskClient client;
  private final Workers workers;
  private final Poller poller;
  private final Housekeeper housekeeper;
  private final AtomicBoolean started = new AtomicBoolean();

  public TaskEngine(
      DataSource dataSource,
      Clock clock,
      Settings settings,
      Map<String, ? extends SubtaskHandler> handlers) {
    this.clock = clock;
    this.settings = settings;
    var all = new HashMap<String, SubtaskHandler>(handlers);
    all.putIfAbsent(WaitHandler.KEY, new WaitHandler());
    Jdbc jdbc = new Jdbc(dataSource);
    var tasks = new TaskRepository(jdbc);
    var executions = new ExecutionRepository(jdbc, tasks);
    var liveness = new LivenessRepository(jdbc, tasks, executions);
    this.instance = new InstanceRegistry(jdbc, settings.instanceName(), OffsetDateTime.now(clock));
    this.events = new Events(tasks, clock);
    var wakeUp = new WakeUp();
    this.workers =
        new Workers(
            executions,
            tasks,
            events,
            clock,
            instance.executor(),
            settings.workers(),
            Map.copyOf(all),
            wakeUp);
    this.poller = new Poller(workers, wakeUp, settings.pollInterval(), settings.instanceName());
    this.housekeeper =
        new Housekeeper(liveness, instance, workers, events, wakeUp, clock, settings);
    this.client =
        new TaskClient(
            tasks,
            new TaskOperations(jdbc, tasks),
            events,
            all.keySet(),
            wakeUp,
            housekeeper::interruptCancelled,
            clock);
  }

  /** What callers use: submit, read, retry, skip, cancel. */
  public TaskClient client() {
    return client;
  }

  /** The name this engine writes into {@code executor}: {@code name#incarnation}. */
  public String executor() {
    return instance.executor();
  }

  public Settings settings() {
    return settings;
  }

  /** Listeners are told about {@link TaskEvent}s raised on this instance. */
  public void addListener(TaskEventListener listener) {
    events.add(listener);
  }

  /**
   * Claims this instance's name, takes back at once what its earlier incarnations left running
   * (when they are known to be dead), then starts the poller and the housekeeper.
   *
   * @throws IllegalStateException when another live instance runs under the same name
   */
  public void start() {
    if (!started.compareAndSet(false, true)) {
      return;
    }
    if (instance.claimName(OffsetDateTime.now(clock), settings.deadAfter())) {
      int n = housekeeper.takeOverEarlierIncarnations();
      if (n > 0) {
        log.info("task engine {}: took back {} subtask(s) of earlier incarnations", executor(), n);
      }
    }
    poller.start();
    housekeeper.start();
    log.info("task engine {} started with {} workers", executor(), settings.workers());
  }

  /**
   * Claims and runs READY subtasks on this instance until none is left, with the same worker loop
   * the poller feeds; returns how many ran. For tests and tools: a deterministic "run due work
   * now".
   */
  public int runUntilIdle() {
    return workers.runUntilIdle();
  }

  /**
   * One housekeeping round, as the background housekeeper runs it: heartbeat, interrupt cancelled
   * and timed-out executions, reap dead executors' subtasks.
   */
  public void runHousekeeping() {
    housekeeper.runOnce();
  }

  /** Records that this instance lives and still holds the subtasks it runs. */
  public void heartbeat() {
    housekeeper.heartbeat();
  }

  /**
   * Takes back subtasks of executors (of any instance) that stopped heartbeating for longer than
   * {@code deadAfter}; returns how many.
   */
  public int reapDeadExecutions() {
    return housekeeper.reapDeadExecutions();
  }

  /**
   * Stops claiming, waits up to {@code grace} for running subtasks, then interrupts them, and gives
   * the instance's name up. Subtasks still held are taken back by the next incarnation at its
   * start, or by another instance's reaper.
   */
  public void shutdown(Duration grace) {
    poller.stop();
    housekeeper.stop();
    workers.shutdown(grace);
    instance.release();
  }

  /** {@link #shutdown(Duration)} with the configured grace. */
  @Override
  public void close() {
    shutdown(settings.shutdownGrace());
  }
}
