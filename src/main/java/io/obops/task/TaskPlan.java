package io.obops.task;

import java.util.ArrayList;
import java.util.List;

/**
 * A template expanded against a context (OCP's {@code generateSubtasks}): the subtasks in series
 * order and the edges between them, by index into {@link #subtasks()}. Pure; persisted by {@link
 * TaskRepository}.
 */
record TaskPlan(List<Planned> subtasks, List<int[]> edges) {

  record Planned(TaskTemplate.Node node, int seriesId, int parallelIdx) {}

  static TaskPlan expand(TaskTemplate template, TaskContext context) {
    var subtasks = new ArrayList<Planned>();
    var edges = new ArrayList<int[]>();
    List<Integer> previous = List.of();
    for (TaskTemplate.Stage stage : template.stages()) {
      List<Integer> current = new ArrayList<>();
      if (stage.splitKey() == null) {
        current.add(add(subtasks, stage.node(), -1));
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
          current.add(add(subtasks, stage.node(), i));
        }
      }
      boolean serial = stage.splitMethod() == TaskTemplate.SplitMethod.SERIAL;
      for (int i = 0; i < current.size(); i++) {
        int to = current.get(i);
        if (serial && i > 0) {
          edges.add(new int[] {current.get(i - 1), to});
        } else {
          for (int from : previous) {
            edges.add(new int[] {from, to});
          }
        }
      }
      previous = serial ? List.of(current.get(current.size() - 1)) : current;
    }
    return new TaskPlan(subtasks, edges);
  }

  private static int add(List<Planned> subtasks, TaskTemplate.Node node, int parallelIdx) {
    subtasks.add(new Planned(node, subtasks.size(), parallelIdx));
    return subtasks.size() - 1;
  }
}
