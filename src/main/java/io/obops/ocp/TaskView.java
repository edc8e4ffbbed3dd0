package io.obops.ocp;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.obops.task.SubtaskInstance;
import io.obops.task.TaskInstance;
import java.time.ZoneId;
import java.util.List;

/**
 * A task exactly in the shape of OCP's "Stop OB cluster" sample: {@code cluster, context, creator,
 * [finishTime,] id, name, startTime, status, tasks[]}, keys alphabetical, subtasks by id.
 */
@JsonPropertyOrder(alphabetic = true)
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TaskView(
    ClusterRef cluster,
    String context,
    CreatorRef creator,
    String finishTime,
    long id,
    String name,
    String startTime,
    String status,
    List<SubtaskView> tasks) {

  @JsonPropertyOrder(alphabetic = true)
  public record ClusterRef(long id, String name, long obClusterId) {}

  @JsonPropertyOrder(alphabetic = true)
  public record CreatorRef(long id, String name) {}

  @JsonPropertyOrder(alphabetic = true)
  public record SubtaskView(
      String description,
      List<Long> downstreams,
      long id,
      String name,
      String operation,
      String status,
      List<Long> upstreams) {

    public static SubtaskView of(SubtaskInstance s) {
      return new SubtaskView(
          s.description(),
          s.downstreams(),
          s.id(),
          s.name(),
          s.operation().name(),
          s.status().name(),
          s.upstreams());
    }
  }

  public static TaskView of(TaskInstance t, ZoneId zone) {
    return new TaskView(
        t.target() == null
            ? null
            : new ClusterRef(t.target().id(), t.target().name(), t.target().obClusterId()),
        t.context().render(-1),
        new CreatorRef(t.creator().id(), t.creator().name()),
        OcpTime.format(t.finishTime(), zone),
        t.id(),
        t.name(),
        OcpTime.format(t.startTime(), zone),
        t.status().name(),
        t.subtasks().stream().map(SubtaskView::of).toList());
  }
}
