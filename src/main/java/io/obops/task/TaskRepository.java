package io.obops.task;

import static io.obops.task.Jdbc.params;
import static io.obops.task.Jdbc.placeholders;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The store of tasks as their callers see them, in plain JDBC on PostgreSQL (production, tests) or
 * H2 (the embedded default): creating a task from its plan; reading tasks, logs, milestones and
 * versions; recording logs, milestones and context. OCP's operations are {@link TaskOperations}';
 * claims and completions {@link ExecutionRepository}'s.
 *
 * <p>Concurrency: anything that changes a task first locks its row, by {@link #bumpVersion} (or
 * {@code select … for update} when it must read it first), so changes of one task are serialized
 * and each one moves the task's version in its own transaction.
 */
final class TaskRepository {

  static final String SUBTASK_COLUMNS =
      "id, task_id, series_id, name, description, handler, status, operation, parallel_idx,"
          + " target_key, target_value, run_time, timeout_seconds, executor, start_time,"
          + " finish_time, error_message";

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Jdbc jdbc;

  TaskRepository(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  // ---------------------------------------------------------------- create

  /**
   * Inserts a task; a {@code gated} one is {@link TaskGate#HELD}: each root subtask gets one extra
   * pending upstream (the gate) and stays PENDING until {@link TaskOperations#openGate}.
   */
  long insert(
      String name,
      TaskPlan plan,
      TaskContext context,
      Creator creator,
      TaskTarget target,
      OffsetDateTime now,
      boolean gated) {
    return jdbc.inTransaction(
        () -> {
          long taskId = ids("task_instance_seq", 1).get(0);
          jdbc.update(
              "insert into task_instance (id, name, status, operation, creator_id, creator_name,"
                  + " cluster_id, cluster_name, ob_cluster_id, context, start_time, gate) values"
                  + " (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
              params(
                  taskId,
                  name,
                  TaskStatus.RUNNING,
                  TaskOperation.EXECUTE,
                  creator.id(),
                  creator.name(),
                  target == null ? null : target.id(),
                  target == null ? null : target.name(),
                  target == null ? null : target.obClusterId(),
                  context.toJson(),
                  now,
                  gated ? TaskGate.HELD : null));
          List<Long> ids = ids("subtask_instance_seq", plan.subtasks().size());
          int[] upstreams = plan.upstreamCounts();
          var rows = new ArrayList<Integer>();
          for (int i = 0; i < plan.subtasks().size(); i++) {
            rows.add(i);
          }
          jdbc.batch(
              "insert into subtask_instance (id, task_id, series_id, name, description, handler,"
                  + " status, operation, parallel_idx, target_key, target_value, run_time,"
                  + " timeout_seconds, pending_upstreams) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                  + " 0, ?, ?)",
              rows,
              (ps, i) -> {
                TaskPlan.Planned p = plan.subtasks().get(i);
                int pending = upstreams[i] + (gated && upstreams[i] == 0 ? 1 : 0);
                SubtaskStatus status = pending > 0 ? SubtaskStatus.PENDING : SubtaskStatus.READY;
                params(
                        ids.get(i),
                        taskId,
                        p.seriesId(),
                        p.node().name(),
                        p.node().description(),
                        p.node().handler(),
                        status,
                        SubtaskOperation.EXECUTE,
                        p.parallelIdx(),
                        p.target() == null ? null : p.target().key(),
                        p.target() == null ? null : p.target().value(),
                        p.node().timeoutSeconds(),
                        pending)
                    .set(ps);
              });
          jdbc.batch(
              "insert into subtask_edge (task_id, upstream_id, downstream_id) values (?, ?, ?)",
              plan.edges(),
              (ps, e) -> params(taskId, ids.get(e.upstream()), ids.get(e.downstream())).set(ps));
          return taskId;
        });
  }

  private List<Long> ids(String sequence, int count) {
    String sql =
        jdbc.postgres()
            ? "select nextval('" + sequence + "') from generate_series(1, ?)"
            : "select next value for " + sequence + " from system_range(1, ?)";
    var ids = new ArrayList<>(jdbc.query(sql, params(count), rs -> rs.getLong(1)));
    ids.sort(null);
    return ids;
  }

  // ---------------------------------------------------------------- read

  Optional<TaskInstance> find(long taskId) {
    return jdbc.onOneConnection(
        () ->
            jdbc.queryOne(
                    "select id, name, status, operation, creator_id, creator_name, cluster_id,"
                        + " cluster_name, ob_cluster_id, context, start_time, finish_time,"
                        + " version from task_instance where id = ?",
                    params(taskId),
                    rs -> task(rs, List.of()))
                .map(t -> task(t, subtasks(taskId))));
  }

  private static TaskInstance task(ResultSet rs, List<SubtaskInstance> subtasks)
      throws SQLException {
    long clusterId = rs.getLong("cluster_id");
    TaskTarget target =
        rs.wasNull()
            ? null
            : new TaskTarget(clusterId, rs.getString("cluster_name"), rs.getLong("ob_cluster_id"));
    return new TaskInstance(
        rs.getLong("id"),
        rs.getString("name"),
        TaskStatus.valueOf(rs.getString("status")),
        TaskOperation.valueOf(rs.getString("operation")),
        new Creator(rs.getLong("creator_id"), rs.getString("creator_name")),
        target,
        TaskContext.fromJson(rs.getString("context")),
        rs.getObject("start_time", OffsetDateTime.class),
        rs.getObject("finish_time", OffsetDateTime.class),
        rs.getLong("version"),
        subtasks);
  }

  private static TaskInstance task(TaskInstance t, List<SubtaskInstance> subtasks) {
    return new TaskInstance(
        t.id(),
        t.name(),
        t.status(),
        t.operation(),
        t.creator(),
        t.target(),
        t.context(),
        t.startTime(),
        t.finishTime(),
        t.version(),
        subtasks);
  }

  private record Link(long upstream, long downstream) {}

  private List<SubtaskInstance> subtasks(long taskId) {
    Map<Long, List<Long>> up = new HashMap<>();
    Map<Long, List<Long>> down = new HashMap<>();
    for (Link link :
        jdbc.query(
            "select upstream_id, downstream_id from subtask_edge where task_id = ? order by"
                + " upstream_id, downstream_id",
            params(taskId),
            rs -> new Link(rs.getLong(1), rs.getLong(2)))) {
      down.computeIfAbsent(link.upstream(), k -> new ArrayList<>()).add(link.downstream());
      up.computeIfAbsent(link.downstream(), k -> new ArrayList<>()).add(link.upstream());
    }
    up.values().forEach(l -> l.sort(null));
    return jdbc.query(
        "select " + SUBTASK_COLUMNS + " from subtask_instance where task_id = ? order by id",
        params(taskId),
        rs -> {
          long id = rs.getLong("id");
          return subtask(rs, up.getOrDefault(id, List.of()), down.getOrDefault(id, List.of()));
        });
  }

  /** Maps a row of {@link #SUBTASK_COLUMNS}, without its upstreams and downstreams. */
  static SubtaskInstance subtask(ResultSet rs) throws SQLException {
    return subtask(rs, List.of(), List.of());
  }

  private static SubtaskInstance subtask(ResultSet rs, List<Long> up, List<Long> down)
      throws SQLException {
    String targetKey = rs.getString("target_key");
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
        targetKey == null ? null : new SubtaskTarget(targetKey, rs.getString("target_value")),
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
    return jdbc.queryOne(
        "select " + SUBTASK_COLUMNS + " from subtask_instance where id = ? and task_id = ?",
        params(subtaskId, taskId),
        TaskRepository::subtask);
  }

  /** The task's version, for the tasks of these ids that exist. */
  Map<Long, Long> versions(Collection<Long> taskIds) {
    if (taskIds.isEmpty()) {
      return Map.of();
    }
    var versions = new LinkedHashMap<Long, Long>();
    jdbc.query(
            "select id, version from task_instance where id in ("
                + placeholders(taskIds.size())
                + ") order by id",
            params(taskIds.toArray()),
            rs -> Map.entry(rs.getLong(1), rs.getLong(2)))
        .forEach(e -> versions.put(e.getKey(), e.getValue()));
    return versions;
  }

  // ---------------------------------------------------------------- logs and milestones

  /** One line of a subtask's log. */
  record LogLine(long subtaskId, String line) {}

  /** The one way lines get into {@code subtask_log}. */
  void appendLogs(List<LogLine> lines, OffsetDateTime now) {
    jdbc.batch(
        "insert into subtask_log (subtask_id, logged_at, line) values (?, ?, ?)",
        lines,
        (ps, l) -> params(l.subtaskId(), now, truncate(l.line(), 8000)).set(ps));
  }

  List<String> log(long subtaskId) {
    return jdbc.query(
        "select line from subtask_log where subtask_id = ? order by id",
        params(subtaskId),
        rs -> rs.getString(1));
  }

  /** Stores a milestone and moves the task's version, in one transaction. */
  Milestone addMilestone(
      long taskId, long subtaskId, String kind, Map<String, String> data, OffsetDateTime now) {
    String json = JSON.writeValueAsString(new LinkedHashMap<>(data));
    return jdbc.inTransaction(
        () -> {
          bumpVersion(taskId);
          long id =
              jdbc.insert(
                  "insert into subtask_milestone (task_id, subtask_id, kind, data, recorded_at)"
                      + " values (?, ?, ?, ?, ?)",
                  params(taskId, subtaskId, kind, json, now));
          return new Milestone(id, taskId, subtaskId, kind, data, now);
        });
  }

  List<Milestone> milestones(long taskId, long afterId) {
    return jdbc.query(
        "select id, subtask_id, kind, data, recorded_at from subtask_milestone where task_id = ?"
            + " and id > ? order by id",
        params(taskId, afterId),
        rs ->
            new Milestone(
                rs.getLong("id"),
                taskId,
                rs.getLong("subtask_id"),
                rs.getString("kind"),
                JSON.readValue(
                    rs.getString("data"), new TypeReference<LinkedHashMap<String, String>>() {}),
                rs.getObject("recorded_at", OffsetDateTime.class)));
  }

  // ---------------------------------------------------------------- writes

  /** Locks the task's row and moves its version; false if there is no such task. */
  boolean bumpVersion(long taskId) {
    return jdbc.update(
            "update task_instance set version = version + 1 where id = ?", params(taskId))
        == 1;
  }

  void putContextString(long taskId, String key, String value) {
    jdbc.inTransaction(
        () -> {
          bumpVersion(taskId);
          TaskContext context =
              jdbc.queryOne(
                      "select context from task_instance where id = ?",
                      params(taskId),
                      rs -> TaskContext.fromJson(rs.getString(1)))
                  .orElseThrow(() -> notFound("task " + taskId));
          return jdbc.update(
              "update task_instance set context = ? where id = ?",
              params(context.withString(key, value).toJson(), taskId));
        });
  }

  static TaskOperationException notFound(String what) {
    return new TaskOperationException(
        TaskOperationException.Reason.NOT_FOUND, what + " does not exist");
  }

  static String truncate(String s, int max) {
    if (s == null) {
      return null;
    }
    return s.length() <= max ? s : s.substring(0, max) + "…";
  }
}
