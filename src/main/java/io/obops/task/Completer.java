package io.obops.task;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * Records finished executions in batches (group commit). A worker hands its result over and waits
 * for it to be durable; whichever waiting worker finds no batch in progress writes everything
 * queued so far, one transaction per task. Idle, a completion is written at once by its own worker;
 * busy, sibling completions share a transaction instead of queueing one by one for the task row.
 */
final class Completer {

  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(Completer.class);

  private static final int MAX_BATCH = 256;

  /**
   * A finished execution waiting to be recorded: when it started (clock millis) and whether it was
   * a skip, for the events announced after the commit.
   */
  record Pending(
      SubtaskInstance subtask,
      ExecutionRepository.Outcome outcome,
      long startedMillis,
      boolean skip) {}

  /** Told about each recorded batch, after its commit, on the thread that wrote it. */
  interface Listener {
    void completed(List<Pending> batch, ExecutionRepository.Completed result);
  }

  private final ExecutionRepository repository;
  private final String executor;
  private final Supplier<OffsetDateTime> now;
  private final Listener listener;
  private final ConcurrentLinkedQueue<Entry> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean writing = new AtomicBoolean();

  private record Entry(Pending pending, CompletableFuture<Void> done) {}

  Completer(
      ExecutionRepository repository,
      String executor,
      Supplier<OffsetDateTime> now,
      Listener listener) {
    this.repository = repository;
    this.executor = executor;
    this.now = now;
    this.listener = listener;
  }

  /** Records the result; returns once it is committed. Throws if the store failed. */
  void complete(Pending pending) {
    var done = new CompletableFuture<Void>();
    queue.add(new Entry(pending, done));
    // Whoever wins the flag writes. A writer re-checks the queue after releasing the flag, even
    // once its own entry is written: an entry queued while it wrote, by a thread that lost the
    // race for the flag, would otherwise be left behind with its thread waiting for it.
    while (!queue.isEmpty() && writing.compareAndSet(false, true)) {
      try {
        writeQueued();
      } finally {
        writing.set(false);
      }
    }
    done.join();
  }

  private void writeQueued() {
    var batch = new ArrayList<Entry>();
    Entry e;
    while (batch.size() < MAX_BATCH && (e = queue.poll()) != null) {
      batch.add(e);
    }
    Map<Long, List<Entry>> byTask = new LinkedHashMap<>();
    batch.forEach(
        x -> byTask.computeIfAbsent(x.pending().subtask().taskId(), k -> new ArrayList<>()).add(x));
    for (var group : byTask.entrySet()) {
      List<Entry> entries = group.getValue();
      try {
        ExecutionRepository.Completed result =
            repository.completeAll(
                group.getKey(),
                executor,
                entries.stream()
                    .map(
                        x ->
                            new ExecutionRepository.Finished(
                                x.pending().subtask().id(), x.pending().outcome()))
                    .toList(),
                now.get());
        entries.forEach(x -> x.done().complete(null));
        try {
          listener.completed(entries.stream().map(Entry::pending).toList(), result);
        } catch (RuntimeException ex) {
          log.warn("task {}: announcing completions failed: {}", group.getKey(), ex.toString());
        }
      } catch (RuntimeException | Error ex) {
        // Whatever happens, no worker is left waiting for an entry this batch took.
        entries.forEach(x -> x.done().completeExceptionally(ex));
        if (ex instanceof Error) {
          batch.forEach(x -> x.done().completeExceptionally(ex));
          throw ex;
        }
      }
    }
  }
}
