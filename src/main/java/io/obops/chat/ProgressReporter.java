package io.obops.chat;

import io.obops.task.SubtaskInstance;
import io.obops.task.TaskClient;
import io.obops.task.TaskEvent;
import io.obops.task.TaskEventListener;
import io.obops.task.TaskInstance;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a task's progress into its conversation's thread: one board message edited in place (at
 * most once per {@code boardInterval}), a batched milestone message per tick for servers stopped, a
 * failed subtask's error and log tail at once with Retry / Skip, and at the end a summary that
 * mentions the requester plus the final JSON envelope and the graph picture.
 *
 * <p>Threading: {@link #onEvent} runs on engine threads and only records what happened; all
 * platform calls happen in {@link #tick}, which one scheduler thread calls (tests call it directly
 * with a settable clock). After a restart {@link #resume} picks up every conversation whose end was
 * not posted, edits the same board (or posts a fresh one when the old one is past the platform's
 * edit window) and posts the end once.
 */
public final class ProgressReporter implements TaskEventListener {

  private static final Logger log = LoggerFactory.getLogger(ProgressReporter.class);
  private static final String MILESTONE_PREFIX = "observer on ";
  private static final int LOG_TAIL = 12;

  private final Platforms platforms;
  private final ConversationStore store;
  private final Rendering rendering;
  private final TaskClient tasks;
  private final ServerNames names;
  private final CardEditor cards;
  private final TaskDocuments documents;
  private final Clock clock;
  private final Duration boardInterval;
  private final Map<Long, Tracked> byTask = new ConcurrentHashMap<>();
  private final Map<Long, Boolean> untracked = new ConcurrentHashMap<>();

  /** What happened to one task since the last tick. */
  private static final class Tracked {
    final long requestId;
    final Queue<String> milestones = new ConcurrentLinkedQueue<>();
    final Queue<Long> failures = new ConcurrentLinkedQueue<>();

    /** Milestones taken from the queue but not yet posted (kept when a post fails). */
    final List<String> unposted = new ArrayList<>();

    volatile boolean dirty = true;
    Instant lastEdit;

    Tracked(long requestId) {
      this.requestId = requestId;
    }
  }

  ProgressReporter(
      Platforms platforms,
      ConversationStore store,
      Rendering rendering,
      TaskClient tasks,
      ServerNames names,
      CardEditor cards,
      TaskDocuments documents,
      Clock clock,
      Duration boardInterval) {
    this.platforms = platforms;
    this.store = store;
    this.rendering = rendering;
    this.tasks = tasks;
    this.names = names;
    this.cards = cards;
    this.documents = documents;
    this.clock = clock;
    this.boardInterval = boardInterval;
  }

  /** Starts reporting a conversation's task (its board is posted at the next tick). */
  void track(long requestId, long taskId) {
    untracked.remove(taskId);
    byTask.computeIfAbsent(taskId, id -> new Tracked(requestId)).dirty = true;
  }

  /** Tracks every conversation whose task's end has not been posted yet (after a restart). */
  public void resume() {
    store.unfinished().forEach(c -> track(c.requestId(), c.taskId()));
  }

  @Override
  public void onEvent(TaskEvent event) {
    Tracked t = tracked(event.taskId());
    if (t == null) {
      return;
    }
    if (event instanceof TaskEvent.SubtaskLogLine) {
      String line = ((TaskEvent.SubtaskLogLine) event).line();
      if (line.startsWith(MILESTONE_PREFIX)) {
        t.milestones.add(line);
      }
    } else if (event instanceof TaskEvent.SubtaskFailed) {
      t.failures.add(((TaskEvent.SubtaskFailed) event).subtaskId());
    }
    t.dirty = true;
  }

  private Tracked tracked(long taskId) {
    Tracked t = byTask.get(taskId);
    if (t != null || untracked.containsKey(taskId)) {
      return t;
    }
    Optional<ConversationStore.Conversation> c = store.byTask(taskId);
    if (c.isEmpty()) {
      untracked.put(taskId, Boolean.TRUE);
      return null;
    }
    return byTask.computeIfAbsent(taskId, id -> new Tracked(c.get().requestId()));
  }

  /** Posts what is due now; returns how many platform calls it made. */
  public synchronized int tick() {
    int calls = 0;
    for (Map.Entry<Long, Tracked> e : byTask.entrySet()) {
      try {
        calls += report(e.getKey(), e.getValue());
      } catch (RuntimeException ex) {
        log.warn("task {}: progress not reported this time: {}", e.getKey(), ex.toString());
      }
    }
    return calls;
  }

  private int report(long taskId, Tracked t) {
    if (!t.dirty && t.milestones.isEmpty() && t.failures.isEmpty() && t.unposted.isEmpty()) {
      return 0;
    }
    ConversationStore.Conversation c = store.find(t.requestId).orElse(null);
    if (c == null) {
      byTask.remove(taskId);
      return 0;
    }
    ChatPlatform p = platforms.get(c.surface()).orElse(null);
    TaskInstance task = tasks.find(taskId).orElse(null);
    if (p == null || task == null) {
      return 0; // the adapter is not connected (yet): keep everything for a later tick
    }
    Map<Long, String> servers = names.of(task);
    int calls = 0;
    // A failure or milestone leaves its queue only once it is posted: a platform call that
    // throws keeps the rest for the next tick, so nothing is lost.
    Long failed;
    while ((failed = t.failures.peek()) != null) {
      long id = failed;
      Optional<SubtaskInstance> s = task.subtasks().stream().filter(x -> x.id() == id).findFirst();
      if (s.isPresent()) {
        List<String> logLines = tasks.log(taskId, id);
        List<String> tail =
            logLines.subList(Math.max(0, logLines.size() - LOG_TAIL), logLines.size());
        Platforms.post(
            p,
            c.thread(),
            rendering.failure(
                task,
                s.get(),
                Rendering.target(task, s.get(), servers),
                s.get().errorMessage(),
                tail));
        calls++;
      }
      t.failures.poll();
    }
    String m;
    while ((m = t.milestones.poll()) != null) {
      t.unposted.add(m);
    }
    // One message per batch, split at the platform's length limit so no server's line is cut off.
    while (!t.unposted.isEmpty()) {
      StringBuilder batch = new StringBuilder();
      int lines = 0;
      for (String line : t.unposted) {
        if (batch.length() > 0 && batch.length() + 1 + line.length() > p.maxMessageLength()) {
          break;
        }
        batch.append(batch.length() > 0 ? "\n" : "").append(line);
        lines++;
      }
      Platforms.post(p, c.thread(), ChatMessage.text(batch.toString()));
      calls++;
      t.unposted.subList(0, lines).clear();
    }
    Instant now = clock.instant();
    boolean due =
        task.finished() || t.lastEdit == null || !now.isBefore(t.lastEdit.plus(boardInterval));
    if (t.dirty && due) {
      t.dirty = false;
      board(p, c, task, servers);
      t.lastEdit = now;
      calls++;
      calls += cards.show(p, c, task, true) ? 1 : 0;
    }
    if (task.finished() && !t.dirty) {
      byTask.remove(taskId);
      if (store.finish(c.requestId())) {
        calls += end(p, c, task);
      }
    }
    return calls;
  }

  private void board(
      ChatPlatform p, ConversationStore.Conversation c, TaskInstance task, Map<Long, String> s) {
    OffsetDateTime now = OffsetDateTime.now(clock);
    ChatMessage board =
        rendering.board(task, s, names.zones(task), now, Math.min(p.maxMessageLength(), 4096));
    if (c.board() != null
        && c.boardPostedAt() != null
        && p.canEditMessagesOlderThan(Duration.between(c.boardPostedAt(), now))) {
      try {
        Platforms.edit(p, c.board(), board);
        return;
      } catch (ChatPlatformException e) {
        if (!e.gone()) {
          throw e;
        }
        log.info("request {}: board {} is gone; posting a fresh one", c.requestId(), c.board());
      }
    }
    MessageRef ref = Platforms.post(p, c.thread(), board);
    store.setBoard(c.requestId(), ref, now);
  }

  private int end(ChatPlatform p, ConversationStore.Conversation c, TaskInstance task) {
    TaskProgress progress =
        TaskProgress.of(task, names.of(task), names.zones(task), OffsetDateTime.now(clock));
    Platforms.post(
        p, c.thread(), ChatMessage.text(rendering.summary(progress, c.requesterMention())));
    p.postFile(
        c.thread(),
        "Final OCP envelope (same as GET /api/v2/tasks/instances/" + task.id() + ")",
        "task-" + task.id() + ".json",
        "application/json",
        documents.envelope(task));
    p.postFile(
        c.thread(), "Task graph", "task-" + task.id() + ".png", "image/png", documents.graph(task));
    return 3;
  }

  /** Marks a task's board for a redraw and its end for posting again (after a retry). */
  void reopen(long requestId, long taskId) {
    store.reopen(requestId);
    track(requestId, taskId);
  }
}
