package io.obops.chat;

import io.obops.task.Creator;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskOperation;
import io.obops.task.SubtaskStatus;
import io.obops.task.SubtaskTarget;
import io.obops.task.TaskContext;
import io.obops.task.TaskInstance;
import io.obops.task.TaskOperation;
import io.obops.task.TaskStatus;
import io.obops.task.TaskTarget;
import io.obops.task.TaskTemplate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.IntFunction;

/**
 * Snapshots of a "Stop OB cluster" task shaped like the real graph (split per zone and per server,
 * Wait nodes between split stages), for rendering tests at any size without running it.
 */
final class StopTaskSnapshots {

  static final OffsetDateTime T0 = OffsetDateTime.of(2026, 11, 29, 3, 0, 0, 0, ZoneOffset.UTC);

  /** Where the run stands: stop steps done for servers below {@code stopped}, failed for some. */
  record Shape(int zones, int perZone, int stopped, Set<Integer> failed, boolean finished) {}

  final Map<Long, String> names = new LinkedHashMap<>();
  final Map<Long, String> zones = new LinkedHashMap<>();
  final TaskInstance task;

  StopTaskSnapshots(Shape shape) {
    int n = shape.zones() * shape.perZone();
    List<String> zoneNames = new ArrayList<>();
    List<Long> serverIds = new ArrayList<>();
    for (int z = 1; z <= shape.zones(); z++) {
      zoneNames.add("zone" + z);
      for (int s = 0; s < shape.perZone(); s++) {
        long id = 100 + serverIds.size();
        serverIds.add(id);
        int i = serverIds.size();
        names.put(id, "10.0." + z + "." + (s + 1) + ":2882");
        zones.put(id, "zone" + z);
      }
    }
    List<SubtaskInstance> subtasks = new ArrayList<>();
    Map<Long, List<Long>> down = new HashMap<>();
    long[] next = {1};
    boolean anyFailed = !shape.failed().isEmpty();
    // stage 0..: before the stop stage everything succeeded; the stop stage per server; later
    // stages succeed only once finished without failures
    IntFunction<SubtaskStatus> after =
        i -> shape.finished() && !anyFailed ? SubtaskStatus.SUCCESSFUL : SubtaskStatus.PENDING;
    List<Long> prev =
        stage(
            subtasks,
            next,
            List.of(),
            "Prepare stop cluster",
            "stop.prepare-cluster",
            null,
            List.of(""),
            i -> SubtaskStatus.SUCCESSFUL);
    prev =
        stage(
            subtasks,
            next,
            prev,
            "Prepare stop OB zone",
            "stop.prepare-zone",
            "zone_names",
            zoneNames,
            i -> SubtaskStatus.SUCCESSFUL);
    prev = waitNode(subtasks, next, prev, SubtaskStatus.SUCCESSFUL);
    prev =
        stage(
            subtasks,
            next,
            prev,
            "Prepare stop observer",
            "stop.prepare-observer",
            "server_ids",
            serverIds,
            i -> SubtaskStatus.SUCCESSFUL);
    prev = waitNode(subtasks, next, prev, SubtaskStatus.SUCCESSFUL);
    prev =
        stage(
            subtasks,
            next,
            prev,
            "Stop observer process",
            "stop.observer-process",
            "server_ids",
            serverIds,
            i ->
                shape.failed().contains(i)
                    ? SubtaskStatus.FAILED
                    : i < shape.stopped() || shape.finished()
                        ? SubtaskStatus.SUCCESSFUL
                        : SubtaskStatus.RUNNING);
    prev = waitNode(subtasks, next, prev, after.apply(0));
    prev =
        stage(
            subtasks,
            next,
            prev,
            "Update observer status",
            "stop.update-observer",
            "server_ids",
            serverIds,
            after);
    prev = waitNode(subtasks, next, prev, after.apply(0));
    prev =
        stage(
            subtasks,
            next,
            prev,
            "Update zone status",
            "stop.update-zone",
            "zone_names",
            zoneNames,
            after);
    stage(
        subtasks,
        next,
        prev,
        "Update OB cluster status",
        "stop.update-cluster",
        null,
        List.of(""),
        after);
    TaskStatus status =
        anyFailed
            ? TaskStatus.FAILED
            : shape.finished() ? TaskStatus.SUCCESSFUL : TaskStatus.RUNNING;
    task =
        new TaskInstance(
            7,
            "Stop OB cluster",
            status,
            TaskOperation.EXECUTE,
            new Creator(1, "web:alice"),
            new TaskTarget(1, "demo", 1),
            TaskContext.builder()
                .putList("zone_names", zoneNames)
                .putList("server_ids", serverIds)
                .build(),
            T0,
            status == TaskStatus.RUNNING ? null : T0.plusSeconds(4),
            1,
            subtasks);
  }

  private static List<Long> stage(
      List<SubtaskInstance> out,
      long[] next,
      List<Long> upstreams,
      String name,
      String handler,
      String key,
      List<?> values,
      IntFunction<SubtaskStatus> status) {
    List<Long> ids = new ArrayList<>();
    for (int i = 0; i < values.size(); i++) {
      long id = next[0]++;
      SubtaskStatus s = status.apply(i);
      boolean started = s != SubtaskStatus.PENDING;
      boolean done = s == SubtaskStatus.SUCCESSFUL || s == SubtaskStatus.FAILED;
      out.add(
          new SubtaskInstance(
              id,
              7,
              (int) id,
              name,
              name,
              handler,
              s,
              SubtaskOperation.EXECUTE,
              i,
              key == null ? null : new SubtaskTarget(key, String.valueOf(values.get(i))),
              0,
              60,
              null,
              started ? T0.plusSeconds(1) : null,
              done ? T0.plusSeconds(1).plusNanos((300 + 10L * i) * 1_000_000) : null,
              s == SubtaskStatus.FAILED ? "port 2881 not released" : null,
              upstreams,
              List.of()));
      ids.add(id);
    }
    return ids;
  }

  private static List<Long> waitNode(
      List<SubtaskInstance> out, long[] next, List<Long> upstreams, SubtaskStatus status) {
    return stage(
        out,
        next,
        upstreams,
        TaskTemplate.WAIT.name(),
        TaskTemplate.WAIT.handler(),
        null,
        List.of(""),
        i -> status);
  }
}
