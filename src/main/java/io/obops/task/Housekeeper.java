package io.obops.task;

import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The housekeeper thread, every heartbeat interval: records that this instance lives and still
 * holds its subtasks, interrupts the executions someone cancelled or that ran past their timeout,
 * and takes back subtasks whose executor stopped heartbeating for longer than {@code deadAfter}
 * (another instance that died). At start it takes back at once what this instance's earlier
 * incarnations held, when they are known to be dead ({@link InstanceRegistry}).
 *
 * <p>Every time stamp written or compared here comes from the engine's clock, which in production
 * is the database's ({@link DatabaseClock}), so instances whose own clocks disagree still agree on
 * who is dead.
 */
final class Housekeeper {

  private static final Logger log = LoggerFactory.getLogger(Housekeeper.class);

  private final LivenessRepository liveness;
  private final InstanceRegistry instance;
  private final Workers workers;
  private final Events events;
  private final WakeUp wakeUp;
  private final Clock clock;
  private final TaskEngine.Settings settings;
  private ScheduledExecutorService thread;

  Housekeeper(
      LivenessRepository liveness,
      InstanceRegistry instance,
      Workers workers,
      Events events,
      WakeUp wakeUp,
      Clock clock,
      TaskEngine.Settings settings) {
    this.liveness = liveness;
    this.instance = instance;
    this.workers = workers;
    this.events = events;
    this.wakeUp = wakeUp;
    this.clock = clock;
    this.settings = settings;
  }

  void start() {
    thread =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "task-housekeeper-" + settings.instanceName());
              t.setDaemon(true);
              return t;
            });
    long every = settings.heartbeatInterval().toMillis();
    thread.scheduleWithFixedDelay(this::runQuietly, every, every, TimeUnit.MILLISECONDS);
  }

  void stop() {
    if (thread != null) {
      thread.shutdownNow();
    }
  }

  private void runQuietly() {
    try {
      runOnce();
    } catch (RuntimeException e) {
      log.warn(
          "task engine {}: housekeeping failed, will try again: {}",
          instance.executor(),
          e.toString());
    }
  }

  void runOnce() {
    heartbeat();
    interruptCancelled();
    interruptTimedOut();
    reapDeadExecutions();
  }

  void heartbeat() {
    OffsetDateTime now = now();
    instance.heartbeat(now);
    liveness.heartbeat(
        instance.executor(), workers.running().stream().map(r -> r.subtask().id()).toList(), now);
  }

  void interruptCancelled() {
    List<Long> held = workers.running().stream().map(r -> r.subtask().id()).toList();
    for (long id : liveness.cancelRequested(instance.executor(), held)) {
      Running r = workers.running(id);
      if (r != null && !r.cancelled) {
        r.interrupt(true);
      }
    }
  }

  private void interruptTimedOut() {
    long nowMillis = clock.millis();
    for (Running r : workers.running()) {
      if (!r.timedOut && nowMillis - r.claimedAt > r.subtask().timeoutSeconds() * 1000L) {
        r.interrupt(false);
      }
    }
  }

  int reapDeadExecutions() {
    OffsetDateTime now = now();
    return announce(
        liveness.reap(now.minus(settings.deadAfter()), now, instance.executor()),
        "stopped heartbeating");
  }

  /** Takes back at once what earlier incarnations of this instance held; returns how many. */
  int takeOverEarlierIncarnations() {
    int n =
        announce(
            liveness.takeOver(instance.name(), instance.executor(), now()),
            "is gone (its instance restarted as " + instance.executor() + ")");
    instance.forgetEarlierIncarnations();
    return n;
  }

  private int announce(List<LivenessRepository.Reaped> reaped, String why) {
    for (LivenessRepository.Reaped r : reaped) {
      String line =
          "executor "
              + r.deadExecutor()
              + " "
              + why
              + (r.requeued()
                  ? "; re-queued to run again on a live instance"
                  : " during a cancel; FAILED");
      log.warn("task {} subtask {} ({}): {}", r.taskId(), r.subtaskId(), r.name(), line);
      events.logLine(r.taskId(), r.subtaskId(), line);
      if (r.taskEnd() != null) {
        events.finished(r.taskEnd());
      }
    }
    if (!reaped.isEmpty()) {
      wakeUp.signal();
    }
    return reaped.size();
  }

  private OffsetDateTime now() {
    return OffsetDateTime.now(clock);
  }
}
