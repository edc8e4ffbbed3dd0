package io.obops.task;

import java.util.ArrayList;
import java.util.List;

/**
 * A template expanded against a context (OCP's {@code generateSubtasks}): the subtasks in series
 * order, each with what it works on, and the edges between them, by index into {@link #subtasks()}.
 * Pure; persisted by {@link TaskRepository}.
 */
record TaskPlan(List<Planned> subtasks, List<Edge> edges) {

  /** One subtask to create; {@code target} is null for an unsplit node. */
  record Planned(TaskTemplate.Node node, int seriesId, int parallelIdx, SubtaskTarget target) {}

  /** {@code downstream} runs after {@code upstream} succeeded (indexes into the subtasks). */
  record Edge(int upstream, int downstream) {}

  static TaskPlan expand(TaskTemplate template, TaskContext context) {
    var subtasks = new ArrayList<Planned>();
    var edges = new ArrayList<Edge>();
    List<Integer> previous = List.of();
    for (TaskTemplate.Stage stage : template.stages()) {
      List<Integer> current = new ArrayList<>();
      if (stage.splitKey() == null) {
        current.add(add(subtasks, stage.node(), -1, null));
      } else {
        List<String> values = context.list(stage.splitKey());
        if (values.isEmpty()) {
          throw new IllegalArgumentException(
              "template "
                  + template.name()
                  + " splits node '"
                  + stage.node().name()
                  + "' by '"
                  + stage.splitKey()
                  + "', but the context has no such list or it is empty");
        }
        for (int i = 0; i < values.size(); i++) {
          current.add(
              add(subtasks, stage.node(), i, new SubtaskTarget(stage.splitKey(), values.get(i))));
        }
      }
      boolean serial = stage.splitMethod() == TaskTemplate.SplitMethod.SERIAL;
      for (int i = 0; i < current.size(); i++) {
        int to = current.get(i);
        if (serial && i > 0) {
          edges.add(new Edge(current.get(i - 1), to));
        } else {
          for (int from : previous) {
            edges.add(new Edge(from, to));
          }
        }
      }
      previous = serial ? List.of(current.get(current.size() - 1)) : current;
    }
    return new TaskPlan(subtasks, edges);
  }

  private static int add(
      List<Planned> subtasks, TaskTemplate.Node node, int parallelIdx, SubtaskTarget target) {
    subtasks.add(new Planned(node, subtasks.size(), parallelIdx, target));
    return subtasks.size() - 1;
  }

  /** How many upstreams each subtask waits for, by index. */
  int[] upstreamCounts() {
    int[] counts = new int[subtasks.size()];
    edges.forEach(e -> counts[e.downstream()]++);
    return counts;
  }
}
