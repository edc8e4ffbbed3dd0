package io.obops.task;

import static io.obops.task.EngineFixture.node;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Progress from stored state: targets, milestones and the task version, read by any instance. */
class TaskProgressTest {

  private final EngineFixture fx = new EngineFixture();

  @AfterEach
  void close() {
    fx.close();
  }

  private static final TaskContext CONTEXT =
      TaskContext.builder()
          .put("cluster_name", "c1")
          .putList("zone_names", List.of("zone1", "zone2"))
          .putList("server_ids", List.of(5, 7, 9))
          .build();

  @Test
  void eachCopyOfASplitNodeStoresWhatItWorksOnAndItsHandlerSeesIt() {
    var seen = new ArrayList<String>();
    TaskEngine engine =
        fx.engine(
            "a",
            Map.of(
                "see",
                e -> {
                  synchronized (seen) {
                    seen.add(e.name() + ":" + e.target());
                  }
                }));
    long id =
        engine
            .client()
            .submit(
                TaskTemplate.builder("T")
                    .andThen(node("cluster", "see"))
                    .andThen(node("zone", "see"), "zone_names")
                    .andThenWait()
                    .andThen(node("server", "see"), "server_ids")
                    .build(),
                CONTEXT,
                EngineFixture.ADMIN,
                null);

    List<SubtaskInstance> subtasks = engine.client().find(id).orElseThrow().subtasks();
    assertThat(subtasks)
        .extracting(SubtaskInstance::target)
        .containsExactly(
            null,
            new SubtaskTarget("zone_names", "zone1"),
            new SubtaskTarget("zone_names", "zone2"),
            null,
            new SubtaskTarget("server_ids", "5"),
            new SubtaskTarget("server_ids", "7"),
            new SubtaskTarget("server_ids", "9"));
    engine.runUntilIdle();
    assertThat(seen)
        .containsExactlyInAnyOrder(
            "cluster:null",
            "zone:SubtaskTarget[key=zone_names, value=zone1]",
            "zone:SubtaskTarget[key=zone_names, value=zone2]",
            "server:SubtaskTarget[key=server_ids, value=5]",
            "server:SubtaskTarget[key=server_ids, value=7]",
            "server:SubtaskTarget[key=server_ids, value=9]");
  }

  @Test
  void milestonesAreStoredInOrderAndAnotherInstanceReadsThem() {
    TaskEngine runner =
        fx.engine(
            "runner",
            Map.of(
                "stop",
                e -> {
                  e.milestone("observer-stopped", Map.of("server_id", e.target().value()));
                  e.milestone("note", Map.of());
                }));
    TaskEngine reader = fx.engine("reader", Map.of("stop", e -> {}));
    long id =
        runner
            .client()
            .submit(
                TaskTemplate.builder("T")
                    .andThen(node("stop", "stop"), "server_ids", TaskTemplate.SplitMethod.SERIAL)
                    .build(),
                CONTEXT,
                EngineFixture.ADMIN,
                null);

    runner.runUntilIdle();

    List<Milestone> all = reader.client().milestones(id);
    assertThat(all)
        .extracting(Milestone::kind)
        .containsExactly(
            "observer-stopped", "note", "observer-stopped", "note", "observer-stopped", "note");
    assertThat(all)
        .filteredOn(m -> m.kind().equals("observer-stopped"))
        .extracting(m -> m.data().get("server_id"))
        .containsExactly("5", "7", "9");
    List<Long> subtaskIds =
        reader.client().find(id).orElseThrow().subtasks().stream()
            .map(SubtaskInstance::id)
            .toList();
    assertThat(all).extracting(Milestone::subtaskId).allMatch(subtaskIds::contains);
    assertThat(reader.client().milestones(id, all.get(3).id())).isEqualTo(all.subList(4, 6));
    assertThat(fx.events)
        .filteredOn(e -> e instanceof TaskEvent.MilestoneRecorded)
        .extracting(e -> ((TaskEvent.MilestoneRecorded) e).milestone().id())
        .isEqualTo(all.stream().map(Milestone::id).toList());
  }

  @Test
  void theVersionMovesWithEveryChangeAReaderCaresAbout() throws Exception {
    var claimed = new CountDownLatch(1);
    var finish = new CountDownLatch(1);
    AtomicBoolean fail = new AtomicBoolean(true);
    TaskEngine engine =
        fx.engine(
            "a",
            Map.of(
                "step",
                e -> {
                  claimed.countDown();
                  finish.await();
                  e.milestone("done", Map.of());
                  if (fail.get()) {
                    throw new IllegalStateException("host down");
                  }
                }));
    TaskClient tasks = fx.engine("reader", Map.of()).client();
    long id = submitOne(engine, "step");
    long created = version(tasks, id);

    Thread worker = new Thread(engine::runUntilIdle);
    worker.start();
    assertThat(claimed.await(30, TimeUnit.SECONDS)).isTrue();
    long running = version(tasks, id);
    assertThat(running).as("claimed: READY -> RUNNING").isGreaterThan(created);
    finish.countDown();
    worker.join(30_000);
    long failed = version(tasks, id);
    assertThat(tasks.find(id).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
    assertThat(failed).as("a milestone, then FAILED").isGreaterThan(running + 1);

    fail.set(false);
    long subtask = tasks.find(id).orElseThrow().subtasks().get(0).id();
    tasks.retrySubtask(id, subtask, "web:bob");
    long retried = version(tasks, id);
    assertThat(retried).as("retried: FAILED -> READY").isGreaterThan(failed);
    engine.runUntilIdle();
    assertThat(tasks.find(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(version(tasks, id)).as("ran again and SUCCESSFUL").isGreaterThan(retried + 1);
    assertThat(tasks.find(id).orElseThrow().version()).isEqualTo(version(tasks, id));
  }

  private static long submitOne(TaskEngine engine, String handler) {
    return engine
        .client()
        .submit(
            TaskTemplate.builder("T").andThen(node("one", handler)).build(),
            CONTEXT,
            EngineFixture.ADMIN,
            null);
  }

  private static long version(TaskClient tasks, long id) {
    return tasks.versions(List.of(id)).get(id);
  }

  @Test
  void versionsLeaveOutTasksThatDoNotExist() {
    TaskEngine engine = fx.engine("a", Map.of("ok", e -> {}));
    long id = submitOne(engine, "ok");

    assertThat(engine.client().versions(List.of(id, id + 1000))).containsOnlyKeys(id);
    assertThat(engine.client().versions(List.of())).isEmpty();
  }
}
