package io.obops.task;

import static io.obops.task.Jdbc.params;
import static io.obops.task.Jdbc.placeholders;
import static io.obops.task.TaskRepository.SUBTASK_COLUMNS;
import static io.obops.task.TaskRepository.truncate;

import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * The store of executions: claiming READY subtasks and recording how they ended (heartbeats and
 * taking subtasks back are {@link LivenessRepository}'s, under the same rules).
 *
 * <p>Concurrency rules, which every method below follows:
 *
 * <ul>
 *   <li>Claims take READY rows with {@code FOR UPDATE SKIP LOCKED}, so two engines never claim the
 *       same subtask and never wait for each other for a subtask.
 *   <li>A claim never waits for a task row: a row that stopped being READY while the claim looked
 *       at it stays locked by the claim until it ends (PostgreSQL keeps the lock of a row that
 *       fails the {@code FOR UPDATE} recheck), so a claim waiting for a task row could deadlock
 *       with a completion holding it. After its commit, a claim moves the versions of its tasks
 *       whose rows are free ({@code SKIP LOCKED}); a task row held by someone else is held by a
 *       transaction that moves the version itself when it commits, after the claim's change is
 *       visible, so a reader who saw the old version still sees the version move.
 *   <li>Anything else that changes a task's subtasks locks the task row first (by moving its
 *       version).
 *   <li>Completions of sibling subtasks are therefore serialized per task, and the one that
 *       completes last always sees the others' results when it promotes a downstream subtask or
 *       decides the task's status.
 *   <li>A completion only counts if its executor still holds the subtask ({@code executor = ? AND
 *       status IN (RUNNING, CANCELING)}): an execution that was reaped and handed to someone else
 *       loses its write.
 * </ul>
 */
final class ExecutionRepository {

  private final Jdbc jdbc;
  private final TaskRepository tasks;

  ExecutionRepository(Jdbc jdbc, TaskRepository tasks) {
    this.jdbc = jdbc;
    this.tasks = tasks;
  }

  // ---------------------------------------------------------------- claim

  /** A subtask this executor now holds, with its task's context as of the claim. */
  record Claimed(SubtaskInstance subtask, TaskContext context) {}

  /**
   * Takes up to {@code limit} READY subtasks for {@code executor} and opens each one's log with
   * OCP's execution header (on PostgreSQL in one statement), then moves their tasks' versions.
   */
  List<Claimed> claim(String executor, int limit, OffsetDateTime now) {
    if (limit <= 0) {
      return List.of();
    }
    List<Claimed> claimed =
        jdbc.postgres()
            ? claimInOneStatement(executor, limit, now)
            : claimInSteps(executor, limit, now);
    List<Long> taskIds = claimed.stream().map(c -> c.subtask().taskId()).distinct().toList();
    if (!taskIds.isEmpty()) {
      jdbc.update(
          "update task_instance set version = version + 1 where id in (select id from"
              + " task_instance where id in ("
              + placeholders(taskIds.size())
              + ") order by id for update skip locked)",
          params(taskIds.toArray()));
    }
    return claimed;
  }

  private static final String CLAIMED_COLUMNS =
      Stream.of(SUBTASK_COLUMNS.split(", "))
          .map(c -> "c." + c)
          .reduce((a, b) -> a + ", " + b)
          .orElseThrow();

  private List<Claimed> claimInOneStatement(String executor, int limit, OffsetDateTime now) {
    return jdbc.query(
        "with picked as (select id from subtask_instance where status = ? order by id limit ?"
            + " for update skip locked),"
            + " claimed as (update subtask_instance s set status = ?, executor = ?,"
            + " last_heartbeat = ?, start_time = ?, finish_time = null, error_message = null,"
            + " cancel_requested_by = null, run_time = run_time + 1 from picked where s.id ="
            + " picked.id returning s.*),"
            + " logged as (insert into subtask_log (subtask_id, logged_at, line) select id, ?,"
            + " '############{' || operation || '}{' || ? || '}############ ' || ? from claimed)"
            + " select "
            + CLAIMED_COLUMNS
            + ", t.context from claimed c join task_instance t on t.id = c.task_id order by c.id",
        params(
            SubtaskStatus.READY,
            limit,
            SubtaskStatus.RUNNING,
            executor,
            now,
            now,
            now,
            now.toString(),
            executor),
        rs ->
            new Claimed(TaskRepository.subtask(rs), TaskContext.fromJson(rs.getString("context"))));
  }

  /** The same claim in portable steps (H2). */
  private List<Claimed> claimInSteps(String executor, int limit, OffsetDateTime now) {
    return jdbc.inTransaction(
        () -> {
          List<Long> ids =
              jdbc.query(
                  "select id from subtask_instance where status = ? order by id limit ? for"
                      + " update skip locked",
                  params(SubtaskStatus.READY, limit),
                  rs -> rs.getLong(1));
          if (ids.isEmpty()) {
            return List.<Claimed>of();
          }
          String in = placeholders(ids.size());
          jdbc.batch(
              "update subtask_instance set status = ?, executor = ?, last_heartbeat = ?,"
                  + " start_time = ?, finish_time = null, error_message = null,"
                  + " cancel_requested_by = null, run_time = run_time + 1 where id = ?",
              ids,
              (ps, id) -> params(SubtaskStatus.RUNNING, executor, now, now, id).set(ps));
          List<Claimed> claimed =
              jdbc.query(
                  "select "
                      + CLAIMED_COLUMNS
                      + ", t.context from subtask_instance c join task_instance t on t.id ="
                      + " c.task_id where c.id in ("
                      + in
                      + ") order by c.id",
                  params(ids.toArray()),
                  rs ->
                      new Claimed(
                          TaskRepository.subtask(rs),
                          TaskContext.fromJson(rs.getString("context"))));
          tasks.appendLogs(
              claimed.stream()
                  .map(
                      c ->
                          new TaskRepository.LogLine(
                              c.subtask().id(), executionHeader(c.subtask(), executor, now)))
                  .toList(),
              now);
          return claimed;
        });
  }

  /** OCP's log header: {@code ############{EXECUTE}{time}############}, plus the executor. */
  static String executionHeader(SubtaskInstance s, String executor, OffsetDateTime now) {
    return "############{" + s.operation() + "}{" + now + "}############ " + executor;
  }

  // ---------------------------------------------------------------- complete

  /** How an execution ended. {@code error} is null on success. */
  record Outcome(boolean success, String error) {

    static Outcome succeeded() {
      return new Outcome(true, null);
    }

    /** A failure; its error is logged as {@code "FAILED: " + error} with the completion. */
    static Outcome failed(String error) {
      return new Outcome(false, error);
    }
  }

  /** One finished execution to record. */
  record Finished(long subtaskId, Outcome outcome) {}

  /**
   * What a completion changed: whether it counted (the executor still held the subtask), the
   * subtask's final status and error.
   */
  record Completion(boolean counted, SubtaskStatus subtaskStatus, String error) {}

  /** A task that reached a final status, for the event that announces it. */
  record TaskEnd(
      long taskId, String name, TaskStatus status, OffsetDateTime start, OffsetDateTime finish) {}

  /** The completions of one batch, in order, and the task's end if the batch finished it. */
  record Completed(List<Completion> completions, TaskEnd taskEnd) {}

  private record Cancelled(long subtaskId, String by) {}

  /**
   * Records finished executions of one task in one transaction under the task row lock: statuses,
   * failure log lines, downstream promotion, the task's status. Batching is what lets hundreds of
   * sibling subtasks complete without queueing one by one for the task row.
   */
  Completed completeAll(long taskId, String executor, List<Finished> finished, OffsetDateTime now) {
    return jdbc.inTransaction(
        () -> {
          tasks.bumpVersion(taskId);
          int[] counts =
              jdbc.batch(
                  "update subtask_instance set status = ?, finish_time = ?, error_message = ?"
                      + " where id = ? and executor = ? and status = ?",
                  finished,
                  (ps, f) ->
                      params(
                              f.outcome().success()
                                  ? SubtaskStatus.SUCCESSFUL
                                  : SubtaskStatus.FAILED,
                              now,
                              truncate(f.outcome().error(), 4000),
                              f.subtaskId(),
                              executor,
                              SubtaskStatus.RUNNING)
                          .set(ps));
          // By position, not by id: one subtask may finish twice in a batch (a run taken back and
          // run again), and only the entry whose update matched counts.
          var notRunning = new HashSet<Long>();
          for (int i = 0; i < counts.length; i++) {
            if (counts[i] == 0) {
              notRunning.add(finished.get(i).subtaskId());
            }
          }
          Map<Long, String> cancelledBy = new HashMap<>(cancel(executor, notRunning, now));
          var completions = new ArrayList<Completion>();
          var succeeded = new ArrayList<Long>();
          var failures = new ArrayList<TaskRepository.LogLine>();
          for (int i = 0; i < finished.size(); i++) {
            Finished f = finished.get(i);
            String error;
            String by = counts[i] == 0 ? cancelledBy.remove(f.subtaskId()) : null;
            if (by != null) {
              error = "cancelled by " + by;
            } else if (counts[i] == 0) {
              completions.add(new Completion(false, null, null));
              continue;
            } else if (f.outcome().success()) {
              succeeded.add(f.subtaskId());
              completions.add(new Completion(true, SubtaskStatus.SUCCESSFUL, null));
              continue;
            } else {
              error = truncate(f.outcome().error(), 4000);
            }
            failures.add(new TaskRepository.LogLine(f.subtaskId(), "FAILED: " + error));
            completions.add(new Completion(true, SubtaskStatus.FAILED, error));
          }
          tasks.appendLogs(failures, now);
          promoteDownstreams(succeeded);
          return new Completed(completions, settleTask(taskId, now));
        });
  }

  /** Ends FAILED those of these subtasks someone asked to cancel; returns who asked, by id. */
  private Map<Long, String> cancel(String executor, Set<Long> subtaskIds, OffsetDateTime now) {
    if (subtaskIds.isEmpty()) {
      return Map.of();
    }
    var args = new ArrayList<Object>(List.of(executor, SubtaskStatus.CANCELING));
    args.addAll(subtaskIds);
    List<Cancelled> cancelled =
        jdbc.query(
            "select id, cancel_requested_by from subtask_instance where executor = ? and status ="
                + " ? and id in ("
                + placeholders(subtaskIds.size())
                + ")",
            params(args.toArray()),
            rs -> new Cancelled(rs.getLong(1), rs.getString(2)));
    jdbc.batch(
        "update subtask_instance set status = ?, finish_time = ?, error_message = ? where id = ?",
        cancelled,
        (ps, c) ->
            params(SubtaskStatus.FAILED, now, "cancelled by " + c.by(), c.subtaskId()).set(ps));
    var by = new HashMap<Long, String>();
    cancelled.forEach(c -> by.put(c.subtaskId(), c.by()));
    return by;
  }

  /**
   * Counts these successes against their downstreams' pending upstreams and makes the downstreams
   * with none left READY, in one statement (SET reads the row as it was, so both expressions see
   * the old count). The caller holds the task row lock, so sibling completions never interleave.
   */
  private void promoteDownstreams(List<Long> succeeded) {
    if (succeeded.isEmpty()) {
      return;
    }
    String in = placeholders(succeeded.size());
    String done =
        "(select count(*) from subtask_edge e where e.downstream_id = subtask_instance.id and"
            + " e.upstream_id in ("
            + in
            + "))";
    var args = new ArrayList<Object>(succeeded);
    args.addAll(succeeded);
    args.add(SubtaskStatus.READY);
    args.add(SubtaskStatus.PENDING);
    args.addAll(succeeded);
    jdbc.update(
        "update subtask_instance set pending_upstreams = pending_upstreams - "
            + done
            + ", status = case when pending_upstreams - "
            + done
            + " <= 0 then ? else status end where status = ? and id in (select downstream_id"
            + " from subtask_edge where upstream_id in ("
            + in
            + "))",
        params(args.toArray()));
  }

  private record Progress(boolean anyUnfinished, boolean anyFailed, boolean anyActive) {}

  /**
   * Decides the task's status from its subtasks: SUCCESSFUL when all are; FAILED when one failed
   * and nothing can run any more. Returns the task's end, or null if it goes on. The caller holds
   * the task row lock.
   */
  TaskEnd settleTask(long taskId, OffsetDateTime now) {
    String exists = "exists(select 1 from subtask_instance where task_id = ? and status ";
    Progress p =
        jdbc.queryOne(
                "select " + exists + "<> ?), " + exists + "= ?), " + exists + "in (?, ?, ?))",
                params(
                    taskId,
                    SubtaskStatus.SUCCESSFUL,
                    taskId,
                    SubtaskStatus.FAILED,
                    taskId,
                    SubtaskStatus.READY,
                    SubtaskStatus.RUNNING,
                    SubtaskStatus.CANCELING),
                rs -> new Progress(rs.getBoolean(1), rs.getBoolean(2), rs.getBoolean(3)))
            .orElseThrow();
    TaskStatus result =
        !p.anyUnfinished()
            ? TaskStatus.SUCCESSFUL
            : p.anyFailed() && !p.anyActive() ? TaskStatus.FAILED : null;
    if (result == null
        || jdbc.update(
                "update task_instance set status = ?, finish_time = ? where id = ? and status ="
                    + " ?",
                params(result, now, taskId, TaskStatus.RUNNING))
            == 0) {
      return null;
    }
    return jdbc.queryOne(
            "select name, start_time from task_instance where id = ?",
            params(taskId),
            rs ->
                new TaskEnd(
                    taskId, rs.getString(1), result, rs.getObject(2, OffsetDateTime.class), now))
        .orElseThrow();
  }
}
