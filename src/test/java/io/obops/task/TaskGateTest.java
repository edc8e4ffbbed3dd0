package io.obops.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskGateTest {

  private final EngineFixture fx = new EngineFixture();
  private final TaskEngine engine = fx.engine("gate", Map.of("ok", e -> {}));
  private final TaskClient tasks = engine.client();
  private static final TaskTemplate TEMPLATE =
      TaskTemplate.builder("Gated")
          .andThen(new TaskTemplate.Node("first", "first", "ok", 30))
          .andThen(new TaskTemplate.Node("each", "each", "ok", 30), "server_ids")
          .andThenWait()
          .andThen(new TaskTemplate.Node("last", "last", "ok", 30))
          .build();
  private static final TaskContext CONTEXT =
      TaskContext.builder()
          .putList("server_ids", IntStream.rangeClosed(1, 3).boxed().toList())
          .build();

  @AfterEach
  void close() {
    fx.close();
  }

  private long gated() {
    return tasks.submitGated(TEMPLATE, CONTEXT, EngineFixture.ADMIN, null);
  }

  private static List<SubtaskStatus> statuses(TaskInstance t) {
    return t.subtasks().stream().map(SubtaskInstance::status).toList();
  }

  @Test
  void aGatedTaskShowsRunningWithEverySubtaskPendingAndNothingRunsUntilTheGateOpens() {
    long id = gated();

    assertThat(engine.runUntilIdle()).isZero();
    TaskInstance held = tasks.find(id).orElseThrow();
    assertThat(held.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(statuses(held)).hasSize(6).containsOnly(SubtaskStatus.PENDING);
    assertThat(tasks.gate(id)).isEqualTo(TaskGate.HELD);

    tasks.openGate(id);
    engine.runUntilIdle();

    assertThat(tasks.find(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(tasks.gate(id)).isEqualTo(TaskGate.OPEN);
  }

  @Test
  void refusingTheGateEndsTheTaskFailedWithTheReasonInTheFirstSubtasksLog() {
    long id = gated();

    tasks.refuseGate(id, "request #7 rejected by api:approver1: not now");

    TaskInstance t = tasks.find(id).orElseThrow();
    assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(t.finishTime()).isNotNull();
    SubtaskInstance first = t.subtasks().get(0);
    assertThat(first.status()).isEqualTo(SubtaskStatus.FAILED);
    assertThat(first.errorMessage()).contains("rejected by api:approver1");
    assertThat(tasks.log(id, first.id()))
        .containsExactly("request #7 rejected by api:approver1: not now");
    assertThat(statuses(t).subList(1, 6)).containsOnly(SubtaskStatus.PENDING);
    assertThat(tasks.gate(id)).isEqualTo(TaskGate.REFUSED);
    assertThat(fx.events)
        .anyMatch(
            e ->
                e instanceof TaskEvent.TaskFinished f
                    && f.taskId() == id
                    && f.status() == TaskStatus.FAILED);
    assertThat(engine.runUntilIdle()).isZero();
  }

  @Test
  void aRefusedTaskCanNeverBeRetriedNorItsSubtasksRetriedOrSkippedIntoRunning() {
    long id = gated();
    tasks.refuseGate(id, "request #8 expired");
    long first = tasks.find(id).orElseThrow().subtasks().get(0).id();

    assertThatThrownBy(() -> tasks.retryTask(id, "api:operator"))
        .isInstanceOf(TaskOperationException.class)
        .hasMessageContaining("can never run");
    assertThatThrownBy(() -> tasks.retrySubtask(id, first, "api:operator"))
        .hasMessageContaining("can never run");
    assertThatThrownBy(() -> tasks.skipSubtask(id, first, "api:operator"))
        .hasMessageContaining("can never run");
    assertThatThrownBy(() -> tasks.openGate(id)).hasMessageContaining("not waiting at its gate");
    assertThat(engine.runUntilIdle()).isZero();
    assertThat(tasks.find(id).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
  }

  @Test
  void aHeldTaskCannotBeRetriedAndItsGateOpensOrIsRefusedOnlyOnce() {
    long id = gated();
    assertThatThrownBy(() -> tasks.retryTask(id, "api:operator"))
        .hasMessageContaining("waits for its approval");

    tasks.openGate(id);

    assertThatThrownBy(() -> tasks.openGate(id)).isInstanceOf(TaskOperationException.class);
    assertThatThrownBy(() -> tasks.refuseGate(id, "too late"))
        .isInstanceOf(TaskOperationException.class);
    assertThat(tasks.gate(tasks.submit(TEMPLATE, CONTEXT, EngineFixture.ADMIN, null)))
        .isEqualTo(TaskGate.NONE);
  }
}
