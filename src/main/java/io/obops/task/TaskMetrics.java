package io.obops.task;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

/**
 * Micrometer meters from the engine's events: {@code obops.subtasks.started|succeeded|failed}
 * (tagged by subtask name), {@code obops.subtask.duration}, {@code obops.tasks.finished} (tagged by
 * name and status) and {@code obops.task.duration}.
 */
public final class TaskMetrics implements TaskEventListener {

  private final MeterRegistry registry;

  public TaskMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  @Override
  public void onEvent(TaskEvent event) {
    if (event instanceof TaskEvent.TaskCreated t) {
      Counter.builder("obops.tasks.created").tag("name", t.name()).register(registry).increment();
    } else if (event instanceof TaskEvent.SubtaskStarted s) {
      counter("obops.subtasks.started", s.name()).increment();
    } else if (event instanceof TaskEvent.SubtaskSucceeded s) {
      counter("obops.subtasks.succeeded", s.name()).increment();
      timer("obops.subtask.duration", "name", s.name(), "outcome", "succeeded")
          .record(s.duration());
    } else if (event instanceof TaskEvent.SubtaskFailed s) {
      counter("obops.subtasks.failed", s.name()).increment();
      timer("obops.subtask.duration", "name", s.name(), "outcome", "failed").record(s.duration());
    } else if (event instanceof TaskEvent.TaskFinished t) {
      Counter.builder("obops.tasks.finished")
          .tag("name", t.name())
          .tag("status", t.status().name())
          .register(registry)
          .increment();
      timer("obops.task.duration", "name", t.name(), "status", t.status().name())
          .record(t.duration());
    }
  }

  private Counter counter(String name, String subtask) {
    return Counter.builder(name).tag("name", subtask).register(registry);
  }

  private Timer timer(String name, String... tags) {
    return Timer.builder(name).tags(tags).register(registry);
  }
}
