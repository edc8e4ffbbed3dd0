package io.obops.chat;

import io.obops.task.Milestone;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskClient;
import io.obops.task.TaskInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Reports a task's progress into its conversation's thread, from stored state only, so any replica
 * reports any task whoever ran its subtasks: each {@link #tick} reads the version of every task
 * whose end is not recorded yet, and re-reads only the tasks whose version moved since the
 * conversation's cursor. What it finds becomes outbox rows ({@link ChatOutbox}), recorded in the
 * transaction that moves the cursor, under the conversation's row lock:
 *
 * <ul>
 *   <li>a failed subtask's error and log tail with Retry / Skip (once per failure: per subtask and
 *       run),
 *   <li>the milestones recorded since the cursor, batched in one message (one line per observer; a
 *       milestone recorded again by a re-run after a crash is not reported twice),
 *   <li>the board, edited in place at most once per {@code boardInterval} (it renders the task's
 *       state at delivery),
 *   <li>at the end, the summary that mentions the requester, the final JSON envelope and the graph
 *       picture; the end counts as posted when the last of them is delivered.
 * </ul>
 *
 * <p>Threading: {@link #tick} may run on several replicas at once; the row lock and the cursor make
 * each fact recorded once.
 */
final class ProgressReporter {

  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);
  private static final int LOG_TAIL = 12;

  /** Milestone lines per message stay under every platform's limit (Discord: 2000). */
  static final int BATCH_CHARS = 1900;

  private final ConversationStore store;
  private final ChatOutbox outbox;
  private final Rendering rendering;
  private final TaskClient tasks;
  private final ServerNames names;
  private final TaskDocuments documents;
  private final TransactionTemplate tx;
  private final Clock clock;
  private final Duration boardInterval;

  ProgressReporter(
      ConversationStore store,
      ChatOutbox outbox,
      Rendering rendering,
      TaskClient tasks,
      ServerNames names,
      TaskDocuments documents,
      TransactionTemplate tx,
      Clock clock,
      Duration boardInterval) {
    this.store = store;
    this.outbox = outbox;
    this.rendering = rendering;
    this.tasks = tasks;
    this.names = names;
    this.documents = documents;
    this.tx = tx;
    this.clock = clock;
    this.boardInterval = boardInterval;
  }

  /** Records what moved since the last tick; returns how many tasks it re-read. */
  public int tick() {
    List<ConversationStore.Conversation> open = store.unfinished();
    if (open.isEmpty()) {
      return 0;
    }
    Map<Long, Long> versions = tasks.versions(open.stream().map(c -> c.taskId()).toList());
    int read = 0;
    for (ConversationStore.Conversation c : open) {
      Long version = versions.get(c.taskId());
      if (version == null || version == c.reportedVersion()) {
        continue;
      }
      try {
        read += Boolean.TRUE.equals(tx.execute(s -> report(c.requestId(), version))) ? 1 : 0;
      } catch (RuntimeException e) {
        log.warn("request {}: progress not recorded this time: {}", c.requestId(), e.toString());
      }
    }
    return read;
  }

  private boolean report(long requestId, long version) {
    ConversationStore.Conversation c = store.lock(requestId).orElse(null);
    if (c == null || c.finished() || c.taskId() == null || c.reportedVersion() == version) {
      return false; // another replica got here first
    }
    TaskInstance task = tasks.find(c.taskId()).orElse(null);
    if (task == null) {
      return false;
    }
    Map<Long, String> servers = names.of(task);
    for (SubtaskInstance s : task.subtasks()) {
      if (s.status() == SubtaskStatus.FAILED) {
        failure(c, task, s, servers);
      }
    }
    long lastMilestone = milestones(c, task.id());
    board(c, task, version);
    if (task.finished() && store.finish(requestId)) {
      end(c, task);
    }
    store.reported(requestId, version, lastMilestone);
    return true;
  }

  private void failure(
      ConversationStore.Conversation c,
      TaskInstance task,
      SubtaskInstance s,
      Map<Long, String> servers) {
    String key = "fail:" + s.id() + ":" + s.runTime();
    List<String> lines = tasks.log(task.id(), s.id());
    List<String> tail = lines.subList(Math.max(0, lines.size() - LOG_TAIL), lines.size());
    outbox.post(
        c.requestId(),
        key,
        rendering.failure(task, s, Rendering.target(task, s, servers), s.errorMessage(), tail));
  }

  /** Records the new milestones' lines; returns the last milestone id read. */
  private long milestones(ConversationStore.Conversation c, long taskId) {
    List<Milestone> all = tasks.milestones(taskId);
    Set<String> seen = new HashSet<>();
    List<String> lines = new ArrayList<>();
    long last = c.reportedMilestone();
    long first = 0;
    for (Milestone m : all) {
      boolean fresh = seen.add(m.subtaskId() + "/" + m.kind());
      if (m.id() <= c.reportedMilestone()) {
        continue;
      }
      last = Math.max(last, m.id());
      Optional<String> line = MilestoneLines.line(m);
      if (fresh && line.isPresent()) {
        first = first == 0 ? m.id() : first;
        lines.add(line.get());
      }
    }
    // One message per batch, split so that no server's line is cut off.
    int part = 0;
    StringBuilder batch = new StringBuilder();
    for (String line : lines) {
      if (batch.length() > 0 && batch.length() + 1 + line.length() > BATCH_CHARS) {
        outbox.post(
            c.requestId(), milestoneKey(c, first, part++), ChatMessage.text(batch.toString()));
        batch.setLength(0);
      }
      batch.append(batch.length() > 0 ? "\n" : "").append(line);
    }
    if (batch.length() > 0) {
      outbox.post(c.requestId(), milestoneKey(c, first, part), ChatMessage.text(batch.toString()));
    }
    return last;
  }

  private static String milestoneKey(ConversationStore.Conversation c, long first, int part) {
    return "ms:" + c.requestId() + ":" + first + ":" + part;
  }

  /** One pending board row per conversation; due at once at the end, else after the interval. */
  private void board(ConversationStore.Conversation c, TaskInstance task, long version) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    Optional<Long> pending = outbox.pendingBoard(c.requestId());
    if (pending.isPresent()) {
      if (task.finished()) {
        outbox.dueAt(pending.get(), now);
      }
      return;
    }
    OffsetDateTime last = outbox.lastBoardDelivery(c.requestId());
    OffsetDateTime due =
        task.finished() || last == null || !now.isBefore(last.plus(boardInterval))
            ? now
            : last.plus(boardInterval);
    outbox.record(
        c.requestId(),
        "board:" + c.requestId() + ":" + c.endRound() + ":" + version,
        ChatOutbox.Kind.BOARD,
        due);
    // The card follows (RUNNING k/n) as often as the board: it renders at delivery, so it is due
    // now (a card edit due later would hold the conversation's later rows back).
    outbox.record(
        c.requestId(),
        "card-progress:" + c.requestId() + ":" + c.endRound() + ":" + version,
        ChatOutbox.Kind.CARD_EDIT,
        now);
  }

  private void end(ConversationStore.Conversation c, TaskInstance task) {
    TaskProgress progress =
        TaskProgress.of(task, names.of(task), names.zones(task), OffsetDateTime.now(clock));
    String key = "end:" + c.requestId() + ":" + c.endRound() + ":";
    outbox.record(
        c.requestId(),
        "card-end:" + c.requestId() + ":" + c.endRound(),
        ChatOutbox.Kind.CARD_EDIT,
        OffsetDateTime.now(clock));
    outbox.post(
        c.requestId(), key + "summary", rendering.summaryMessage(progress, c.requesterMention()));
    outbox.file(
        c.requestId(),
        key + "json",
        "Final OCP envelope (same as GET /api/v2/tasks/instances/" + task.id() + ")",
        "task-" + task.id() + ".json",
        "application/json",
        documents.envelope(task),
        null);
    outbox.file(
        c.requestId(),
        key + "png",
        "Task graph",
        "task-" + task.id() + ".png",
        "image/png",
        documents.graph(task),
        c.endRound());
  }

  /** The task runs again (a retry or skip): its end is to be posted again, as a new round. */
  void reopen(long requestId) {
    store.reopen(requestId);
  }
}
