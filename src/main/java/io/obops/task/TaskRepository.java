package io.obops.task;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;

/**
 * The engine's store, in plain JDBC on PostgreSQL (production, tests) or H2 (embedded default).
 *
 * <p>Concurrency rules, which every method below follows:
 *
 * <ul>
 *   <li>Claims take READY rows with {@code FOR UPDATE SKIP LOCKED}, so two engines never claim the
 *       same subtask and never wait for each other.
 *   <li>Anything that can change a task's status (completion, operations, reaping a cancel) first
 *       locks the task row. Completions of sibling subtasks are therefore serialized per task, and
 *       the one that completes last always sees the others' results when it promotes a downstream
 *       subtask or decides the task's status.
 *   <li>A completion only counts if its executor still holds the subtask ({@code executor = ? AND
 *       status IN (RUNNING, CANCELING)}): an execution that was reaped and handed to someone else
 *       loses its write.
 * </ul>
 */
final class TaskRepository {

  private static final String SUBTASK_COLUMNS =
      "id, task_id, series_id, name, description, handler, status, operation, parallel_idx,"
          + " run_time, timeout_seconds, executor, start_time, finish_time, error_message";

  private final Transactions tx;
  private final boolean h2;

  TaskRepository(DataSource dataSource) {
    this.tx = new Transactions(dataSource);
    this.h2 =
        tx.withConnection(
            c -> c.getMetaData().getDatabaseProductName().toLowerCase().contains("h2"));
  }

  Transactions transactions() {
    return tx;
  }

  // ---------------------------------------------------------------- create

  long insert(
      String name,
      TaskPlan plan,
      TaskContext context,
      Creator creator,
      TaskTarget target,
      OffsetDateTime now) {
    return insert(name, plan, context, creator, target, now, false);
  }

  /**
   * Inserts a task; a {@code gated} one is HELD: each root subtask gets one extra pending upstream
   * (the gate) and stays PENDING until {@link #openGate}.
   */
  long insert(
      String name,
      TaskPlan plan,
      TaskContext context,
      Creator creator,
      TaskTarget target,
      OffsetDateTime now,
      boolean gated) {
    return tx.inTransaction(
        c -> {
          long taskId = ids(c, "task_instance_seq", 1).get(0);
          try (var ps =
              c.prepareStatement(
                  "insert into task_instance (id, name, status, operation, creator_id,"
                      + " creator_name, cluster_id, cluster_name, ob_cluster_id, context,"
                      + " start_time, gate) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")) {
            ps.setLong(1, taskId);
            ps.setString(2, name);
            ps.setString(3, TaskStatus.RUNNING.name());
            ps.setString(4, TaskOperation.EXECUTE.name());
            ps.setLong(5, creator.id());
            ps.setString(6, creator.name());
            if (target == null) {
              ps.setNull(7, Types.BIGINT);
              ps.setNull(8, Types.VARCHAR);
              ps.setNull(9, Types.BIGINT);
            } else {
              ps.setLong(7, target.id());
              ps.setString(8, target.name());
              ps.setLong(9, target.obClusterId());
            }
            ps.setString(10, context.toJson());
            ps.setObject(11, now);
            ps.setString(12, gated ? TaskGate.HELD.name() : null);
            ps.executeUpdate();
          }
          List<Long> subtaskIds = ids(c, "subtask_instance_seq", plan.subtasks().size());
          int[] upstreams = new int[plan.subtasks().size()];
          plan.edges().forEach(e -> upstreams[e[1]]++);
          try (var ps =
              c.prepareStatement(
                  "insert into subtask_instance (id, task_id, series_id, name, description,"
                      + " handler, status, operation, parallel_idx, run_time, timeout_seconds,"
                      + " pending_upstreams) values (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?)")) {
            for (int i = 0; i < plan.subtasks().size(); i++) {
              TaskPlan.Planned p = plan.subtasks().get(i);
              ps.setLong(1, subtaskIds.get(i));
              ps.setLong(2, taskId);
              ps.setInt(3, p.seriesId());
              ps.setString(4, p.node().name());
              ps.setString(5, p.node().description());
              ps.setString(6, p.node().handler());
              int pending = upstreams[i] + (gated && upstreams[i] == 0 ? 1 : 0);
              ps.setString(7, (pending > 0 ? SubtaskStatus.PENDING : SubtaskStatus.READY).name());
              ps.setString(8, SubtaskOperation.EXECUTE.name());
              ps.setInt(9, p.parallelIdx());
              ps.setInt(10, p.node().timeoutSeconds());
              ps.setInt(11, pending);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          try (var ps =
              c.prepareStatement(
                  "insert into subtask_edge (task_id, upstream_id, downstream_id) values (?, ?,"
                      + " ?)")) {
            for (int[] edge : plan.edges()) {
              ps.setLong(1, taskId);
              ps.setLong(2, subtaskIds.get(edge[0]));
              ps.setLong(3, subtaskIds.get(edge[1]));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return taskId;
        });
  }

  private List<Long> ids(Connection c, String sequence, int count) throws SQLException {
    String sql =
        h2
            ? "select next value for " + sequence + " from system_range(1, ?)"
            : "select nextval('" + sequence + "') from generate_series(1, ?)";
    var ids = new ArrayList<Long>(count);
    try (var ps = c.prepareStatement(sql)) {
      ps.setInt(1, count);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          ids.add(rs.getLong(1));
        }
      }
    }
    ids.sort(null);
    return ids;
  }

  // ---------------------------------------------------------------- read

  Optional<TaskInstance> find(long taskId) {
    return tx.withConnection(c -> findTask(c, taskId));
  }

  private Optional<TaskInstance> findTask(Connection c, long taskId) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "select id, name, status, operation, creator_id, creator_name, cluster_id,"
                + " cluster_name, ob_cluster_id, context, start_time, finish_time from"
                + " task_instance where id = ?")) {
      ps.setLong(1, taskId);
      try (var rs = ps.executeQuery()) {
        if (!rs.next()) {
          return Optional.empty();
        }
        long clusterId = rs.getLong("cluster_id");
        TaskTarget target =
            rs.wasNull()
                ? null
                : new TaskTarget(
                    clusterId, rs.getString("cluster_name"), rs.getLong("ob_cluster_id"));
        return Optional.of(
            new TaskInstance(
                rs.getLong("id"),
                rs.getString("name"),
                TaskStatus.valueOf(rs.getString("status")),
                TaskOperation.valueOf(rs.getString("operation")),
                new Creator(rs.getLong("creator_id"), rs.getString("creator_name")),
                target,
                TaskContext.fromJson(rs.getString("context")),
                rs.getObject("start_time", OffsetDateTime.class),
                rs.getObject("finish_time", OffsetDateTime.class),
                subtasks(c, taskId)));
      }
    }
  }

  private List<SubtaskInstance> subtasks(Connection c, long taskId) throws SQLException {
    Map<Long, List<Long>> up = new HashMap<>();
    Map<Long, List<Long>> down = new HashMap<>();
    try (var ps =
        c.prepareStatement(
            "select upstream_id, downstream_id from subtask_edge where task_id = ? order by"
                + " upstream_id, downstream_id")) {
      ps.setLong(1, taskId);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          long from = rs.getLong(1);
          long to = rs.getLong(2);
          down.computeIfAbsent(from, k -> new ArrayList<>()).add(to);
          up.computeIfAbsent(to, k -> new ArrayList<>()).add(from);
        }
      }
    }
    up.values().forEach(l -> l.sort(null));
    var result = new ArrayList<SubtaskInstance>();
    try (var ps =
        c.prepareStatement(
            "select " + SUBTASK_COLUMNS + " from subtask_instance where task_id = ? order by id")) {
      ps.setLong(1, taskId);
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          long id = rs.getLong("id");
          result.add(subtask(rs, up.getOrDefault(id, List.of()), down.getOrDefault(id, List.of())));
        }
      }
    }
    return result;
  }

  private static SubtaskInstance subtask(ResultSet rs, List<Long> up, List<Long> down)
      throws SQLException {
    return new SubtaskInstance(
        rs.getLong("id"),
        rs.getLong("task_id"),
        rs.getInt("series_id"),
        rs.getString("name"),
        rs.getString("description"),
        rs.getString("handler"),
        SubtaskStatus.valueOf(rs.getString("status")),
        SubtaskOperation.valueOf(rs.getString("operation")),
        rs.getInt("parallel_idx"),
        rs.getInt("run_time"),
        rs.getInt("timeout_seconds"),
        rs.getString("executor"),
        rs.getObject("start_time", OffsetDateTime.class),
        rs.getObject("finish_time", OffsetDateTime.class),
        rs.getString("error_message"),
        List.copyOf(up),
        List.copyOf(down));
  }

  Optional<SubtaskInstance> findSubtask(long taskId, long subtaskId) {
    return tx.withConnection(c -> findSubtask(c, taskId, subtaskId));
  }

  private Optional<SubtaskInstance> findSubtask(Connection c, long taskId, long subtaskId)
      throws SQLException {
    try (var ps =
        c.prepareStatement(
            "select " + SUBTASK_COLUMNS + " from subtask_instance where id = ? and task_id = ?")) {
      ps.setLong(1, subtaskId);
      ps.setLong(2, taskId);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? Optional.of(subtask(rs, List.of(), List.of())) : Optional.empty();
      }
    }
  }

  // ---------------------------------------------------------------- claim and complete

  /** A subtask this executor now holds, with its task's context as of the claim. */
  record Claimed(SubtaskInstance subtask, TaskContext context, OffsetDateTime taskStart) {}

  List<Claimed> claim(String executor, int limit, OffsetDateTime now) {
    if (limit <= 0) {
      return List.of();
    }
    return tx.inTransaction(
        c -> {
          var ids = new ArrayList<Long>();
          try (var ps =
              c.prepareStatement(
                  "select id from subtask_instance where status = 'READY' order by id limit ?"
                      + " for update skip locked")) {
            ps.setInt(1, limit);
            try (var rs = ps.executeQuery()) {
              while (rs.next()) {
                ids.add(rs.getLong(1));
              }
            }
          }
          if (ids.isEmpty()) {
            return List.<Claimed>of();
          }
          try (var ps =
              c.prepareStatement(
                  "update subtask_instance set status = 'RUNNING', executor = ?, last_heartbeat ="
                      + " ?, start_time = ?, finish_time = null, error_message = null,"
                      + " cancel_requested_by = null, run_time = run_time + 1 where id = ? and"
                      + " status = 'READY'")) {
            for (long id : ids) {
              ps.setString(1, executor);
              ps.setObject(2, now);
              ps.setObject(3, now);
              ps.setLong(4, id);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          var claimed = new ArrayList<Claimed>();
          var contexts = new HashMap<Long, Object[]>();
          try (var ps =
              c.prepareStatement(
                  "select "
                      + SUBTASK_COLUMNS
                      + " from subtask_instance where executor = ? and status = 'RUNNING' and id"
                      + " in ("
                      + placeholders(ids.size())
                      + ") order by id")) {
            ps.setString(1, executor);
            for (int i = 0; i < ids.size(); i++) {
              ps.setLong(i + 2, ids.get(i));
            }
            try (var rs = ps.executeQuery()) {
              while (rs.next()) {
                SubtaskInstance s = subtask(rs, List.of(), List.of());
                Object[] task = contexts.computeIfAbsent(s.taskId(), t -> taskContext(c, t));
                claimed.add(new Claimed(s, (TaskContext) task[0], (OffsetDateTime) task[1]));
              }
            }
          }
          // OCP's execution header opens each execution's log, in the claim's transaction.
          try (var ps =
              c.prepareStatement(
                  "insert into subtask_log (subtask_id, logged_at, line) values (?, ?, ?)")) {
            for (Claimed cl : claimed) {
              ps.setLong(1, cl.subtask().id());
              ps.setObject(2, now);
              ps.setString(3, executionHeader(cl.subtask(), executor, now));
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return claimed;
        });
  }

  /** OCP's log header: {@code ############{EXECUTE}{time}############}, plus the executor. */
  static String executionHeader(SubtaskInstance s, String executor, OffsetDateTime now) {
    return "############{" + s.operation() + "}{" + now + "}############ " + executor;
  }

  private static Object[] taskContext(Connection c, long taskId) {
    try (var ps =
        c.prepareStatement("select context, start_time from task_instance where id = ?")) {
      ps.setLong(1, taskId);
      try (var rs = ps.executeQuery()) {
        rs.next();
        return new Object[] {
          TaskContext.fromJson(rs.getString(1)), rs.getObject(2, OffsetDateTime.class)
        };
      }
    } catch (SQLException e) {
      throw new TaskStoreException(e);
    }
  }

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

  /**
   * What a completion changed: whether it counted (the executor still held the subtask), the
   * subtask's final status and error.
   */
  record Completion(boolean counted, SubtaskStatus subtaskStatus, String error) {}

  /** One finished execution to record. */
  record Finished(long subtaskId, Outcome outcome) {}

  /** The completions of one batch, in order, and the task's status if the batch finished it. */
  record Completed(List<Completion> completions, TaskStatus finishedTask) {}

  /**
   * Records finished executions of one task in one transaction under the task row lock: statuses,
   * failure log lines, downstream promotion, the task's status. Batching is what lets hundreds of
   * sibling subtasks complete without queueing one by one for the task row.
   */
  Completed completeAll(long taskId, String executor, List<Finished> finished, OffsetDateTime now) {
    return tx.inTransaction(
        c -> {
          lockTask(c, taskId);
          Map<Long, String[]> held = new HashMap<>();
          try (var ps =
              c.prepareStatement(
                  "select id, status, cancel_requested_by from subtask_instance where executor ="
                      + " ? and id in ("
                      + placeholders(finished.size())
                      + ")")) {
            ps.setString(1, executor);
            for (int i = 0; i < finished.size(); i++) {
              ps.setLong(i + 2, finished.get(i).subtaskId());
            }
            try (var rs = ps.executeQuery()) {
              while (rs.next()) {
                held.put(rs.getLong(1), new String[] {rs.getString(2), rs.getString(3)});
              }
            }
          }
          var completions = new ArrayList<Completion>();
          var succeeded = new ArrayList<Long>();
          boolean anyFailed = false;
          try (var update =
                  c.prepareStatement(
                      "update subtask_instance set status = ?, finish_time = ?, error_message = ?"
                          + " where id = ?");
              var logLine =
                  c.prepareStatement(
                      "insert into subtask_log (subtask_id, logged_at, line) values (?, ?, ?)")) {
            for (Finished f : finished) {
              String[] row = held.get(f.subtaskId());
              if (row == null || !(row[0].equals("RUNNING") || row[0].equals("CANCELING"))) {
                completions.add(new Completion(false, null, null));
                continue;
              }
              boolean cancelled = row[0].equals("CANCELING");
              boolean success = f.outcome().success() && !cancelled;
              String error =
                  cancelled
                      ? "cancelled by " + row[1]
                      : success ? null : truncate(f.outcome().error(), 4000);
              SubtaskStatus next = success ? SubtaskStatus.SUCCESSFUL : SubtaskStatus.FAILED;
              update.setString(1, next.name());
              update.setObject(2, now);
              update.setString(3, error);
              update.setLong(4, f.subtaskId());
              update.addBatch();
              if (success) {
                succeeded.add(f.subtaskId());
              } else {
                anyFailed = true;
                logLine.setLong(1, f.subtaskId());
                logLine.setObject(2, now);
                logLine.setString(3, truncate("FAILED: " + error, 8000));
                logLine.addBatch();
              }
              completions.add(new Completion(true, next, error));
            }
            update.executeBatch();
            if (anyFailed) {
              logLine.executeBatch();
            }
          }
          boolean anySink = promoteDownstreams(c, succeeded);
          return new Completed(completions, settleTask(c, taskId, now, anySink || anyFailed));
        });
  }

  private static String placeholders(int n) {
    return String.join(", ", java.util.Collections.nCopies(n, "?"));
  }

  /**
   * Counts these successes against their downstreams' pending upstreams and makes the downstreams
   * with none left READY; returns whether any of them is a sink (has no downstream). The caller
   * holds the task row lock, so sibling completions never interleave here.
   */
  private static boolean promoteDownstreams(Connection c, List<Long> succeeded)
      throws SQLException {
    if (succeeded.isEmpty()) {
      return false;
    }
    Map<Long, Integer> decrements = new HashMap<>();
    var withDownstreams = new java.util.HashSet<Long>();
    try (var ps =
        c.prepareStatement(
            "select upstream_id, downstream_id from subtask_edge where upstream_id in ("
                + placeholders(succeeded.size())
                + ")")) {
      for (int i = 0; i < succeeded.size(); i++) {
        ps.setLong(i + 1, succeeded.get(i));
      }
      try (var rs = ps.executeQuery()) {
        while (rs.next()) {
          withDownstreams.add(rs.getLong(1));
          decrements.merge(rs.getLong(2), 1, Integer::sum);
        }
      }
    }
    if (!decrements.isEmpty()) {
      try (var ps =
          c.prepareStatement(
              "update subtask_instance set pending_upstreams = pending_upstreams - ? where id ="
                  + " ?")) {
        for (var e : decrements.entrySet()) {
          ps.setInt(1, e.getValue());
          ps.setLong(2, e.getKey());
          ps.addBatch();
        }
        ps.executeBatch();
      }
      var ids = List.copyOf(decrements.keySet());
      try (var ps =
          c.prepareStatement(
              "update subtask_instance set status = 'READY' where status = 'PENDING' and"
                  + " pending_upstreams <= 0 and id in ("
                  + placeholders(ids.size())
                  + ")")) {
        for (int i = 0; i < ids.size(); i++) {
          ps.setLong(i + 1, ids.get(i));
        }
        ps.executeUpdate();
      }
    }
    return withDownstreams.size() < succeeded.size();
  }

  /**
   * Decides the task's status from its subtasks: SUCCESSFUL when all are; FAILED when one failed
   * and nothing can run any more. Returns the new final status, or null if the task goes on. The
   * caller holds the task row lock. {@code full} asks for the check that all subtasks succeeded,
   * which only a sink's success or a failure can make true; otherwise only the cheap checks run.
   */
  private static TaskStatus settleTask(Connection c, long taskId, OffsetDateTime now, boolean full)
      throws SQLException {
    TaskStatus result = null;
    if (full && !exists(c, taskId, "status <> 'SUCCESSFUL'")) {
      result = TaskStatus.SUCCESSFUL;
    } else if (exists(c, taskId, "status = 'FAILED'")
        && !exists(c, taskId, "status in ('READY', 'RUNNING', 'CANCELING')")) {
      result = TaskStatus.FAILED;
    }
    if (result == null) {
      return null;
    }
    try (var ps =
        c.prepareStatement(
            "update task_instance set status = ?, finish_time = ? where id = ? and status ="
                + " 'RUNNING'")) {
      ps.setString(1, result.name());
      ps.setObject(2, now);
      ps.setLong(3, taskId);
      return ps.executeUpdate() == 1 ? result : null;
    }
  }

  private static boolean exists(Connection c, long taskId, String condition) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "select 1 from subtask_instance where task_id = ? and " + condition + " limit 1")) {
      ps.setLong(1, taskId);
      try (var rs = ps.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static String lockTask(Connection c, long taskId) throws SQLException {
    try (var ps = c.prepareStatement("select status from task_instance where id = ? for update")) {
      ps.setLong(1, taskId);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  // ---------------------------------------------------------------- liveness

  void heartbeat(String executor, Collection<Long> subtaskIds, OffsetDateTime now) {
    if (subtaskIds.isEmpty()) {
      return;
    }
    tx.inTransaction(
        c -> {
          try (var ps =
              c.prepareStatement(
                  "update subtask_instance set last_heartbeat = ? where id = ? and executor = ?")) {
            for (long id : subtaskIds) {
              ps.setObject(1, now);
              ps.setLong(2, id);
              ps.setString(3, executor);
              ps.addBatch();
            }
            ps.executeBatch();
          }
          return null;
        });
  }

  /** Of these subtasks held by {@code executor}, the ones someone asked to cancel. */
  List<Long> cancelRequested(String executor, Collection<Long> subtaskIds) {
    if (subtaskIds.isEmpty()) {
      return List.of();
    }
    return tx.withConnection(
        c -> {
          var result = new ArrayList<Long>();
          try (var ps =
              c.prepareStatement(
                  "select id from subtask_instance where executor = ? and status = 'CANCELING'")) {
            ps.setString(1, executor);
            try (var rs = ps.executeQuery()) {
              while (rs.next()) {
                if (subtaskIds.contains(rs.getLong(1))) {
                  result.add(rs.getLong(1));
                }
              }
            }
          }
          return result;
        });
  }

  /** A subtask taken from an executor that stopped heartbeating. */
  record Reaped(
      long taskId,
      long subtaskId,
      String name,
      String deadExecutor,
      boolean requeued,
      TaskStatus finishedTask) {}

  /**
   * Takes back subtasks whose executor's last heartbeat is older than {@code deadline}: a RUNNING
   * one goes back to READY (its handler will run again, so handlers are idempotent); a CANCELING
   * one ends FAILED, since someone asked to cancel it.
   */
  List<Reaped> reap(OffsetDateTime deadline, OffsetDateTime now) {
    List<long[]> dead =
        tx.withConnection(
            c -> {
              var rows = new ArrayList<long[]>();
              try (var ps =
                  c.prepareStatement(
                      "select task_id, id from subtask_instance where status in ('RUNNING',"
                          + " 'CANCELING') and last_heartbeat < ? order by id")) {
                ps.setObject(1, deadline);
                try (var rs = ps.executeQuery()) {
                  while (rs.next()) {
                    rows.add(new long[] {rs.getLong(1), rs.getLong(2)});
                  }
                }
              }
              return rows;
            });
    var result = new ArrayList<Reaped>();
    for (long[] row : dead) {
      Reaped r = reapOne(row[0], row[1], deadline, now);
      if (r != null) {
        result.add(r);
      }
    }
    return result;
  }

  private Reaped reapOne(long taskId, long subtaskId, OffsetDateTime deadline, OffsetDateTime now) {
    return tx.inTransaction(
        c -> {
          lockTask(c, taskId);
          String status;
          String executor;
          String name;
          String cancelledBy;
          try (var ps =
              c.prepareStatement(
                  "select status, executor, name, cancel_requested_by from subtask_instance where"
                      + " id = ? and status in ('RUNNING', 'CANCELING') and last_heartbeat < ?")) {
            ps.setLong(1, subtaskId);
            ps.setObject(2, deadline);
            try (var rs = ps.executeQuery()) {
              if (!rs.next()) {
                return null;
              }
              status = rs.getString(1);
              executor = rs.getString(2);
              name = rs.getString(3);
              cancelledBy = rs.getString(4);
            }
          }
          boolean requeue = "RUNNING".equals(status);
          try (var ps =
              c.prepareStatement(
                  requeue
                      ? "update subtask_instance set status = 'READY', executor = null,"
                          + " last_heartbeat = null where id = ?"
                      : "update subtask_instance set status = 'FAILED', finish_time = ?,"
                          + " error_message = ? where id = ?")) {
            if (requeue) {
              ps.setLong(1, subtaskId);
            } else {
              ps.setObject(1, now);
              ps.setString(
                  2, "cancelled by " + cancelledBy + " (executor " + executor + " had stopped)");
              ps.setLong(3, subtaskId);
            }
            ps.executeUpdate();
          }
          TaskStatus finished = requeue ? null : settleTask(c, taskId, now, true);
          return new Reaped(taskId, subtaskId, name, executor, requeue, finished);
        });
  }

  // ---------------------------------------------------------------- operations

  /** OCP's task retry: FAILED (not rolling back) → RUNNING, every FAILED subtask → READY/RETRY. */
  int retryTask(long taskId) {
    return tx.inTransaction(
        c -> {
          String status = lockTask(c, taskId);
          if (status == null) {
            throw notFound("task " + taskId);
          }
          refuseWhileGated(c, taskId);
          String operation = taskOperation(c, taskId);
          if (!TaskStatus.FAILED.name().equals(status)
              || TaskOperation.ROLLBACK.name().equals(operation)) {
            throw new TaskOperationException(
                TaskOperationException.Reason.CONFLICT,
                "task "
                    + taskId
                    + " is "
                    + status
                    + ": only a FAILED task can be retried"
                    + (TaskStatus.RUNNING.name().equals(status)
                        ? "; wait for it to finish or cancel its running subtask"
                        : ""));
          }
          int n;
          try (var ps =
              c.prepareStatement(
                  "update subtask_instance set status = 'READY', operation = 'RETRY', executor ="
                      + " null where task_id = ? and status = 'FAILED'")) {
            ps.setLong(1, taskId);
            n = ps.executeUpdate();
          }
          reopenTask(c, taskId);
          return n;
        });
  }

  private static String taskOperation(Connection c, long taskId) throws SQLException {
    try (var ps = c.prepareStatement("select operation from task_instance where id = ?")) {
      ps.setLong(1, taskId);
      try (var rs = ps.executeQuery()) {
        return rs.next() ? rs.getString(1) : null;
      }
    }
  }

  private static void reopenTask(Connection c, long taskId) throws SQLException {
    try (var ps =
        c.prepareStatement(
            "update task_instance set status = 'RUNNING', operation = 'RETRY', finish_time = null"
                + " where id = ?")) {
      ps.setLong(1, taskId);
      ps.executeUpdate();
    }
  }

  /**
   * OCP's subtask retry (FAILED, not a rollback → READY/RETRY) and skip (FAILED → READY/SKIP, the
   * engine then marks it successful without running it). Reopens the task.
   */
  SubtaskInstance reschedule(long taskId, long subtaskId, SubtaskOperation operation) {
    return tx.inTransaction(
        c -> {
          SubtaskInstance s = lockedSubtask(c, taskId, subtaskId);
          refuseWhileGated(c, taskId);
          if (s.status() != SubtaskStatus.FAILED
              || (operation == SubtaskOperation.RETRY
                  && s.operation() == SubtaskOperation.ROLLBACK)) {
            throw wrongState(
                s,
                "only a FAILED subtask can be "
                    + (operation == SubtaskOperation.SKIP ? "skipped" : "retried"));
          }
          try (var ps =
              c.prepareStatement(
                  "update subtask_instance set status = 'READY', operation = ?, executor = null"
                      + " where id = ? and status = 'FAILED'")) {
            ps.setString(1, operation.name());
            ps.setLong(2, subtaskId);
            ps.executeUpdate();
          }
          reopenTask(c, taskId);
          return findSubtask(c, taskId, subtaskId).orElseThrow();
        });
  }

  /** OCP's cancel: RUNNING → CANCELING; its executor interrupts it and it ends FAILED. */
  SubtaskInstance requestCancel(long taskId, long subtaskId, String by) {
    return tx.inTransaction(
        c -> {
          SubtaskInstance s = lockedSubtask(c, taskId, subtaskId);
          if (s.status() != SubtaskStatus.RUNNING) {
            throw wrongState(s, "only a RUNNING subtask can be cancelled");
          }
          try (var ps =
              c.prepareStatement(
                  "update subtask_instance set status = 'CANCELING', operation = 'CANCEL',"
                      + " cancel_requested_by = ? where id = ? and status = 'RUNNING'")) {
            ps.setString(1, by);
            ps.setLong(2, subtaskId);
            ps.executeUpdate();
          }
          return findSubtask(c, taskId, subtaskId).orElseThrow();
        });
  }

  /** Locks the task row and reads the subtask, or says which of the two does not exist. */
  private SubtaskInstance lockedSubtask(Connection c, long taskId, long subtaskId)
      throws SQLException {
    if (lockTask(c, taskId) == null) {
      throw notFound("task " + taskId);
    }
    return findSubtask(c, taskId, subtaskId)
        .orElseThrow(() -> notFound("subtask " + subtaskId + " of task " + taskId));
  }

  private static TaskOperationException wrongState(SubtaskInstance s, String rule) {
    return new TaskOperationException(
        TaskOperationException.Reason.CONFLICT,
        "subtask " + s.id() + " (" + s.name() + ") is " + s.status() + ": " + rule);
  }

  private static TaskOperationException notFound(String what) {
    return new TaskOperationException(
        TaskOperationException.Reason.NOT_FOUND, what + " does not exist");
  }

  // ---------------------------------------------------------------- gate

  TaskGate gate(long taskId) {
    return tx.withConnection(c -> gate(c, taskId));
  }

  private static TaskGate gate(Connection c, long taskId) throws SQLException {
    try (var ps = c.prepareStatement("select gate from task_instance where id = ?")) {
      ps.setLong(1, taskId);
      try (var rs = ps.executeQuery()) {
        if (!rs.next()) {
          throw notFound("task " + taskId);
        }
        String gate = rs.getString(1);
        return gate == null ? TaskGate.NONE : TaskGate.valueOf(gate);
      }
    }
  }

  /** A HELD task can't be retried (nothing ran), a REFUSED one never runs. */
  private static void refuseWhileGated(Connection c, long taskId) throws SQLException {
    TaskGate gate = gate(c, taskId);
    if (gate == TaskGate.HELD) {
      throw new TaskOperationException(
          TaskOperationException.Reason.CONFLICT,
          "task " + taskId + " waits for its approval; nothing of it has run yet");
    }
    if (gate == TaskGate.REFUSED) {
      throw new TaskOperationException(
          TaskOperationException.Reason.CONFLICT,
          "task " + taskId + " was refused before it ran and can never run; ask for it again");
    }
  }

  /** Lets a HELD task's root subtasks run: takes the gate off their pending upstreams. */
  void openGate(long taskId) {
    tx.inTransaction(
        c -> {
          lockHeld(c, taskId);
          try (var ps =
              c.prepareStatement(
                  "update subtask_instance set pending_upstreams = pending_upstreams - 1 where"
                      + " task_id = ? and status = 'PENDING' and not exists (select 1 from"
                      + " subtask_edge e where e.downstream_id = subtask_instance.id)")) {
            ps.setLong(1, taskId);
            ps.executeUpdate();
          }
          try (var ps =
              c.prepareStatement(
                  "update subtask_instance set status = 'READY' where task_id = ? and status ="
                      + " 'PENDING' and pending_upstreams <= 0")) {
            ps.setLong(1, taskId);
            ps.executeUpdate();
          }
          setGate(c, taskId, TaskGate.OPEN);
          return null;
        });
  }

  /** What refusing a gate changed: the root subtask whose log got the reason. */
  record Refused(long firstSubtaskId) {}

  /**
   * Ends a HELD task FAILED without running anything: its root subtasks FAILED with {@code reason},
   * the reason in the first one's log, the gate REFUSED.
   */
  Refused refuseGate(long taskId, String reason, OffsetDateTime now) {
    return tx.inTransaction(
        c -> {
          lockHeld(c, taskId);
          long first;
          try (var ps =
              c.prepareStatement(
                  "select min(id) from subtask_instance where task_id = ? and not exists (select 1"
                      + " from subtask_edge e where e.downstream_id = subtask_instance.id)")) {
            ps.setLong(1, taskId);
            try (var rs = ps.executeQuery()) {
              rs.next();
              first = rs.getLong(1);
            }
          }
          try (var ps =
              c.prepareStatement(
                  "update subtask_instance set status = 'FAILED', finish_time = ?, error_message ="
                      + " ? where task_id = ? and status = 'PENDING' and not exists (select 1 from"
                      + " subtask_edge e where e.downstream_id = subtask_instance.id)")) {
            ps.setObject(1, now);
            ps.setString(2, truncate(reason, 4000));
            ps.setLong(3, taskId);
            ps.executeUpdate();
          }
          insertLog(c, first, reason, now);
          try (var ps =
              c.prepareStatement(
                  "update task_instance set status = 'FAILED', finish_time = ? where id = ?")) {
            ps.setObject(1, now);
            ps.setLong(2, taskId);
            ps.executeUpdate();
          }
          setGate(c, taskId, TaskGate.REFUSED);
          return new Refused(first);
        });
  }

  private static void lockHeld(Connection c, long taskId) throws SQLException {
    if (lockTask(c, taskId) == null) {
      throw notFound("task " + taskId);
    }
    TaskGate gate = gate(c, taskId);
    if (gate != TaskGate.HELD) {
      throw new TaskOperationException(
          TaskOperationException.Reason.CONFLICT,
          "task " + taskId + " is not waiting at its gate (gate " + gate + ")");
    }
  }

  private static void setGate(Connection c, long taskId, TaskGate gate) throws SQLException {
    try (var ps = c.prepareStatement("update task_instance set gate = ? where id = ?")) {
      ps.setString(1, gate.name());
      ps.setLong(2, taskId);
      ps.executeUpdate();
    }
  }

  // ---------------------------------------------------------------- context and logs

  void putContextString(long taskId, String key, String value) {
    tx.inTransaction(
        c -> {
          lockTask(c, taskId);
          TaskContext context = (TaskContext) taskContext(c, taskId)[0];
          try (var ps = c.prepareStatement("update task_instance set context = ? where id = ?")) {
            ps.setString(1, context.withString(key, value).toJson());
            ps.setLong(2, taskId);
            ps.executeUpdate();
          }
          return null;
        });
  }

  void appendLog(long subtaskId, String line, OffsetDateTime now) {
    tx.withConnection(
        c -> {
          insertLog(c, subtaskId, line, now);
          return null;
        });
  }

  private static void insertLog(Connection c, long subtaskId, String line, OffsetDateTime now)
      throws SQLException {
    try (PreparedStatement ps =
        c.prepareStatement(
            "insert into subtask_log (subtask_id, logged_at, line) values (?, ?, ?)")) {
      ps.setLong(1, subtaskId);
      ps.setObject(2, now);
      ps.setString(3, truncate(line, 8000));
      ps.executeUpdate();
    }
  }

  List<String> log(long subtaskId) {
    return tx.withConnection(
        c -> {
          var lines = new ArrayList<String>();
          try (var ps =
              c.prepareStatement("select line from subtask_log where subtask_id = ? order by id")) {
            ps.setLong(1, subtaskId);
            try (var rs = ps.executeQuery()) {
              while (rs.next()) {
                lines.add(rs.getString(1));
              }
            }
          }
          return lines;
        });
  }

  private static String truncate(String s, int max) {
    if (s == null) {
      return null;
    }
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
