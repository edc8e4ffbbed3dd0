package io.obops.task;

import static io.obops.task.Jdbc.params;
import static io.obops.task.Jdbc.placeholders;

import io.obops.task.ExecutionRepository.TaskEnd;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The store's side of liveness: heartbeats of the subtasks an executor holds, the cancels asked of
 * them, and taking subtasks back from executors that died (the reaper, after {@code deadAfter}) or
 * that are known dead (earlier incarnations of a restarted instance, at once). Taking back locks
 * the task row first, as every change of a task does.
 */
final class LivenessRepository {

  private final Jdbc jdbc;
  private final TaskRepository tasks;
  private final ExecutionRepository executions;

  LivenessRepository(Jdbc jdbc, TaskRepository tasks, ExecutionRepository executions) {
    this.jdbc = jdbc;
    this.tasks = tasks;
    this.executions = executions;
  }

  void heartbeat(String executor, Collection<Long> subtaskIds, OffsetDateTime now) {
    if (subtaskIds.isEmpty()) {
      return;
    }
    var args = new ArrayList<Object>(List.of(now, executor));
    args.addAll(subtaskIds);
    jdbc.update(
        "update subtask_instance set last_heartbeat = ? where executor = ? and id in ("
            + placeholders(subtaskIds.size())
            + ")",
        params(args.toArray()));
  }

  /** Of these subtasks held by {@code executor}, the ones someone asked to cancel. */
  List<Long> cancelRequested(String executor, Collection<Long> subtaskIds) {
    if (subtaskIds.isEmpty()) {
      return List.of();
    }
    return jdbc
        .query(
            "select id from subtask_instance where executor = ? and status = ?",
            params(executor, SubtaskStatus.CANCELING),
            rs -> rs.getLong(1))
        .stream()
        .filter(subtaskIds::contains)
        .toList();
  }

  /** A subtask taken from an executor that died. */
  record Reaped(
      long taskId,
      long subtaskId,
      String name,
      String deadExecutor,
      boolean requeued,
      TaskEnd taskEnd) {}

  /** A subtask held by an executor, as the reaper or a restarted instance saw it. */
  private record Held(long taskId, long subtaskId, String executor) {}

  /**
   * Takes back subtasks whose executor's last heartbeat is older than {@code deadline}: a RUNNING
   * one goes back to READY (its handler will run again, so handlers are idempotent); a CANCELING
   * one ends FAILED, since someone asked to cancel it. Never those of {@code self}: an instance
   * knows its own executions are alive (its timeouts end the stuck ones), however late its
   * heartbeat reached the database; taking them back would run them twice at once.
   */
  List<Reaped> reap(OffsetDateTime deadline, OffsetDateTime now, String self) {
    return takeBack(
        jdbc.query(
            "select task_id, id, executor from subtask_instance where status in (?, ?) and"
                + " last_heartbeat < ? and executor <> ? order by id",
            params(SubtaskStatus.RUNNING, SubtaskStatus.CANCELING, deadline, self),
            rs -> new Held(rs.getLong(1), rs.getLong(2), rs.getString(3))),
        deadline,
        now);
  }

  /**
   * Takes back at once, as {@link #reap} would, the subtasks held by earlier incarnations of the
   * instance called {@code name} (executors {@code name#n} other than {@code self}). Only for an
   * instance that knows those incarnations are dead.
   */
  List<Reaped> takeOver(String name, String self, OffsetDateTime now) {
    String pattern = name.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "#%";
    return takeBack(
        jdbc.query(
            "select task_id, id, executor from subtask_instance where status in (?, ?) and"
                + " executor like ? escape '!' and executor <> ? order by id",
            params(SubtaskStatus.RUNNING, SubtaskStatus.CANCELING, pattern, self),
            rs -> new Held(rs.getLong(1), rs.getLong(2), rs.getString(3))),
        null,
        now);
  }

  private List<Reaped> takeBack(List<Held> held, OffsetDateTime deadline, OffsetDateTime now) {
    var result = new ArrayList<Reaped>();
    for (Held h : held) {
      Reaped r = jdbc.inTransaction(() -> takeBack(h, deadline, now));
      if (r != null) {
        result.add(r);
      }
    }
    return result;
  }

  private record HeldRow(SubtaskStatus status, String name, String cancelledBy) {}

  private Reaped takeBack(Held h, OffsetDateTime deadline, OffsetDateTime now) {
    tasks.bumpVersion(h.taskId());
    HeldRow row =
        jdbc.queryOne(
                "select status, name, cancel_requested_by from subtask_instance where id = ? and"
                    + " executor = ? and status in (?, ?)"
                    + (deadline == null ? "" : " and last_heartbeat < ?"),
                deadline == null
                    ? params(
                        h.subtaskId(), h.executor(), SubtaskStatus.RUNNING, SubtaskStatus.CANCELING)
                    : params(
                        h.subtaskId(),
                        h.executor(),
                        SubtaskStatus.RUNNING,
                        SubtaskStatus.CANCELING,
                        deadline),
                rs ->
                    new HeldRow(
                        SubtaskStatus.valueOf(rs.getString(1)), rs.getString(2), rs.getString(3)))
            .orElse(null);
    if (row == null) {
      return null;
    }
    if (row.status() == SubtaskStatus.RUNNING) {
      jdbc.update(
          "update subtask_instance set status = ?, executor = null, last_heartbeat = null where"
              + " id = ?",
          params(SubtaskStatus.READY, h.subtaskId()));
      return new Reaped(h.taskId(), h.subtaskId(), row.name(), h.executor(), true, null);
    }
    jdbc.update(
        "update subtask_instance set status = ?, finish_time = ?, error_message = ? where id = ?",
        params(
            SubtaskStatus.FAILED,
            now,
            "cancelled by " + row.cancelledBy() + " (executor " + h.executor() + " had stopped)",
            h.subtaskId()));
    return new Reaped(
        h.taskId(),
        h.subtaskId(),
        row.name(),
        h.executor(),
        false,
        executions.settleTask(h.taskId(), now));
  }
}
