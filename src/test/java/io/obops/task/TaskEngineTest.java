package io.obops.task;

import static io.obops.task.EngineFixture.node;
import static io.obops.task.EngineFixture.servers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TaskEngineTest {

  private final EngineFixture fx = new EngineFixture();

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void subtasksRunInDependencyOrderAndTheTaskSucceeds() {
    var order = new ArrayList<String>();
    SubtaskHandler record =
        e -> {
          synchronized (order) {
            order.add(e.name() + (e.parallelIdx() >= 0 ? "#" + e.parallelValue("server_ids") : ""));
          }
        };
    TaskEngine engine = fx.engine("a", Map.of("rec", record));
    var template =
        TaskTemplate.builder("T")
            .andThen(node("first", "rec"))
            .andThen(node("each", "rec"), "server_ids")
            .andThenWait()
            .andThen(node("last", "rec"))
            .build();

    long id = engine.client().submit(template, servers(3), EngineFixture.ADMIN, null);
    engine.runUntilIdle();

    TaskInstance task = engine.client().find(id).orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(task.finishTime()).isNotNull();
    assertThat(task.subtasks()).allMatch(s -> s.status() == SubtaskStatus.SUCCESSFUL);
    assertThat(order.get(0)).isEqualTo("first");
    assertThat(order.subList(1, 4)).containsExactlyInAnyOrder("each#1", "each#2", "each#3");
    assertThat(order.get(4)).isEqualTo("last");
  }

  /**
   * A subtask that succeeds wakes the poller: every sibling it made READY starts at once, not only
   * the one its own worker claims next (the poll interval here is an hour, so only the wake-up can
   * start the others, and each sibling waits until all four have started).
   */
  @Test
  void everySubtaskACompletionMadeReadyStartsWithoutWaitingForThePollInterval() throws Exception {
    var allStarted = new CountDownLatch(4);
    SubtaskHandler together =
        e -> {
          allStarted.countDown();
          assertThat(allStarted.await(30, TimeUnit.SECONDS)).isTrue();
        };
    TaskEngine engine =
        fx.engine(
            new TaskEngine.Settings(
                "a",
                8,
                Duration.ofHours(1),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5)),
            Map.of("rec", e -> {}, "together", together));
    var template =
        TaskTemplate.builder("T")
            .andThen(node("first", "rec"))
            .andThen(node("each", "together"), "server_ids")
            .andThenWait()
            .build();
    engine.start();

    long id = engine.client().submit(template, servers(4), EngineFixture.ADMIN, null);
    fx.awaitFinished(id);

    assertThat(engine.client().find(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESSFUL);
  }

  @Test
  void aFailedSubtaskFailsTheTaskOnceNothingElseCanRunAndLeavesItsDownstreamsPending() {
    TaskEngine engine =
        fx.engine(
            "a",
            Map.of(
                "ok", e -> {},
                "boom",
                    e -> {
                      throw new IllegalStateException("observer on 10.0.0.5 did not stop");
                    }));
    var template =
        TaskTemplate.builder("T")
            .andThen(node("fails", "boom"))
            .andThen(node("after", "ok"))
            .build();

    long id = engine.client().submit(template, servers(1), EngineFixture.ADMIN, null);
    engine.runUntilIdle();

    TaskInstance task = engine.client().find(id).orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(task.subtasks().get(0).status()).isEqualTo(SubtaskStatus.FAILED);
    assertThat(task.subtasks().get(0).errorMessage())
        .isEqualTo("observer on 10.0.0.5 did not stop");
    assertThat(task.subtasks().get(1).status()).isEqualTo(SubtaskStatus.PENDING);
    assertThat(engine.client().log(id, task.subtasks().get(0).id()))
        .anyMatch(l -> l.startsWith("############{EXECUTE}"))
        .contains("FAILED: observer on 10.0.0.5 did not stop");
  }

  @Test
  void twoEnginesOnOneDatabaseRunEverySubtaskExactlyOnce() throws Exception {
    TaskEngine a = fx.engine("a", fx.countingHandlers());
    TaskEngine b = fx.engine("b", fx.countingHandlers());

    fx.assertBothRunEverySubtaskOfFourTasksExactlyOnce(a, b, 60);
  }

  @Test
  void aSubtaskWhoseWorkerStopsHeartbeatingIsTakenOverByTheOtherInstance() throws Exception {
    var blockA = new CountDownLatch(1);
    var enteredA = new CountDownLatch(1);
    AtomicInteger runs = new AtomicInteger();
    TaskEngine a =
        fx.engine(
            "a",
            Map.of(
                "stop",
                e -> {
                  runs.incrementAndGet();
                  enteredA.countDown();
                  blockA.await();
                }));
    TaskEngine b = fx.engine("b", Map.of("stop", e -> runs.incrementAndGet()));
    var template = TaskTemplate.builder("T").andThen(node("stop", "stop")).build();
    long id = a.client().submit(template, servers(1), EngineFixture.ADMIN, null);
    Thread crashed = new Thread(a::runUntilIdle);
    crashed.start();
    assertThat(enteredA.await(30, TimeUnit.SECONDS)).isTrue();

    // a keeps the subtask but never heartbeats again: as far as anyone can tell, it died.
    assertThat(b.reapDeadExecutions()).isZero();
    fx.clock.advance(Duration.ofSeconds(31));
    assertThat(b.reapDeadExecutions()).isEqualTo(1);
    b.runUntilIdle();

    TaskInstance task = b.client().find(id).orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(task.subtasks().get(0).executor()).isEqualTo(b.executor());
    assertThat(task.subtasks().get(0).runTime()).isEqualTo(2);

    // When a wakes up, its late result is dropped: the subtask completed exactly once.
    blockA.countDown();
    crashed.join(30_000);
    assertThat(b.client().find(id).orElseThrow().subtasks().get(0).executor())
        .isEqualTo(b.executor());
    assertThat(runs.get()).isEqualTo(2);
    assertThat(fx.events.stream().filter(e -> e instanceof TaskEvent.TaskFinished)).hasSize(1);
  }

  @Test
  void aHeartbeatingWorkerKeepsItsSubtask() throws Exception {
    var block = new CountDownLatch(1);
    var entered = new CountDownLatch(1);
    TaskEngine a =
        fx.engine(
            "a",
            Map.of(
                "stop",
                e -> {
                  entered.countDown();
                  block.await();
                }));
    TaskEngine b = fx.engine("b", Map.of("stop", e -> {}));
    long id =
        a.client()
            .submit(
                TaskTemplate.builder("T").andThen(node("stop", "stop")).build(),
                servers(1),
                EngineFixture.ADMIN,
                null);
    Thread worker = new Thread(a::runUntilIdle);
    worker.start();
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    fx.clock.advance(Duration.ofSeconds(20));
    a.heartbeat();
    fx.clock.advance(Duration.ofSeconds(20));

    assertThat(b.reapDeadExecutions()).isZero();
    block.countDown();
    worker.join(30_000);
    assertThat(a.client().find(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESSFUL);
  }

  @Test
  void retryingAFailedSubtaskRunsItAgainAndCompletesTheTask() {
    AtomicBoolean broken = new AtomicBoolean(true);
    TaskEngine engine =
        fx.engine(
            "a",
            Map.of(
                "flaky",
                e -> {
                  if (broken.get()) {
                    throw new IllegalStateException("host 10.0.0.5 unreachable");
                  }
                },
                "ok",
                e -> {}));
    long id =
        engine
            .client()
            .submit(
                TaskTemplate.builder("T")
                    .andThen(node("flaky", "flaky"))
                    .andThen(node("after", "ok"))
                    .build(),
                servers(1),
                EngineFixture.ADMIN,
                null);
    engine.runUntilIdle();
    long failed = engine.client().find(id).orElseThrow().subtasks().get(0).id();

    broken.set(false);
    SubtaskInstance retried = engine.client().retrySubtask(id, failed, "web:bob");
    assertThat(retried.status()).isEqualTo(SubtaskStatus.READY);
    assertThat(retried.operation()).isEqualTo(SubtaskOperation.RETRY);
    assertThat(engine.client().find(id).orElseThrow().status()).isEqualTo(TaskStatus.RUNNING);
    engine.runUntilIdle();

    TaskInstance task = engine.client().find(id).orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(task.operation()).isEqualTo(TaskOperation.RETRY);
    assertThat(task.subtasks().get(0).runTime()).isEqualTo(2);
    assertThat(engine.client().log(id, failed)).contains("retry requested by web:bob");
  }

  @Test
  void retryingATaskRequeuesAllItsFailedSubtasks() {
    AtomicBoolean broken = new AtomicBoolean(true);
    TaskEngine engine =
        fx.engine(
            "a",
            Map.of(
                "flaky",
                e -> {
                  if (broken.get()) {
                    throw new IllegalStateException("down");
                  }
                }));
    long id =
        engine
            .client()
            .submit(
                TaskTemplate.builder("T").andThen(node("each", "flaky"), "server_ids").build(),
                servers(3),
                EngineFixture.ADMIN,
                null);
    engine.runUntilIdle();
    assertThat(engine.client().find(id).orElseThrow().subtasks())
        .allMatch(s -> s.status() == SubtaskStatus.FAILED);

    broken.set(false);
    engine.client().retryTask(id, "api:ci");
    engine.runUntilIdle();

    assertThat(engine.client().find(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESSFUL);
  }

  @Test
  void skippingAFailedSubtaskMarksItSuccessfulWithoutRunningIt() {
    AtomicInteger runs = new AtomicInteger();
    TaskEngine engine =
        fx.engine(
            "a",
            Map.of(
                "boom",
                e -> {
                  runs.incrementAndGet();
                  throw new IllegalStateException("no");
                },
                "ok",
                e -> {}));
    long id =
        engine
            .client()
            .submit(
                TaskTemplate.builder("T")
                    .andThen(node("boom", "boom"))
                    .andThen(node("after", "ok"))
                    .build(),
                servers(1),
                EngineFixture.ADMIN,
                null);
    engine.runUntilIdle();
    long boom = engine.client().find(id).orElseThrow().subtasks().get(0).id();

    engine.client().skipSubtask(id, boom, "web:bob");
    engine.runUntilIdle();

    TaskInstance task = engine.client().find(id).orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(task.subtasks().get(0).operation()).isEqualTo(SubtaskOperation.SKIP);
    assertThat(runs.get()).isEqualTo(1);
  }

  @Test
  void operationsRefuseSubtasksAndTasksInTheWrongState() {
    TaskEngine engine = fx.engine("a", Map.of("ok", e -> {}));
    long id =
        engine
            .client()
            .submit(
                TaskTemplate.builder("T").andThen(node("a", "ok")).andThen(node("b", "ok")).build(),
                servers(1),
                EngineFixture.ADMIN,
                null);
    TaskInstance task = engine.client().find(id).orElseThrow();
    long ready = task.subtasks().get(0).id();
    long pending = task.subtasks().get(1).id();

    assertThatThrownBy(() -> engine.client().retryTask(id, "x"))
        .isInstanceOf(TaskOperationException.class)
        .hasMessageContaining("is RUNNING: only a FAILED task can be retried")
        .extracting(e -> ((TaskOperationException) e).reason())
        .isEqualTo(TaskOperationException.Reason.CONFLICT);
    assertThatThrownBy(() -> engine.client().retrySubtask(id, ready, "x"))
        .hasMessageContaining("is READY: only a FAILED subtask can be retried");
    assertThatThrownBy(() -> engine.client().skipSubtask(id, pending, "x"))
        .hasMessageContaining("is PENDING: only a FAILED subtask can be skipped");
    assertThatThrownBy(() -> engine.client().cancelSubtask(id, pending, "x"))
        .hasMessageContaining("is PENDING: only a RUNNING subtask can be cancelled");
    assertThatThrownBy(() -> engine.client().retryTask(id + 999, "x"))
        .extracting(e -> ((TaskOperationException) e).reason())
        .isEqualTo(TaskOperationException.Reason.NOT_FOUND);
    assertThatThrownBy(() -> engine.client().cancelSubtask(id, ready + 999, "x"))
        .hasMessage("subtask " + (ready + 999) + " of task " + id + " does not exist");

    engine.runUntilIdle();
    assertThatThrownBy(() -> engine.client().retrySubtask(id, ready, "x"))
        .hasMessageContaining("is SUCCESSFUL: only a FAILED subtask can be retried");
    assertThatThrownBy(() -> engine.client().retryTask(id, "x"))
        .hasMessageContaining("is SUCCESSFUL: only a FAILED task can be retried");
  }

  @Test
  void cancellingARunningSubtaskInterruptsItAndItEndsFailed() throws Exception {
    var entered = new CountDownLatch(1);
    TaskEngine engine =
        fx.engine(
            "a",
            Map.of(
                "wait",
                e -> {
                  entered.countDown();
                  new CountDownLatch(1).await(); // until interrupted
                }));
    long id =
        engine
            .client()
            .submit(
                TaskTemplate.builder("T").andThen(node("long", "wait")).build(),
                servers(1),
                EngineFixture.ADMIN,
                null);
    Thread worker = new Thread(engine::runUntilIdle);
    worker.start();
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();
    long sid = engine.client().find(id).orElseThrow().subtasks().get(0).id();

    SubtaskInstance canceling = engine.client().cancelSubtask(id, sid, "web:bob");
    assertThat(canceling.status()).isEqualTo(SubtaskStatus.CANCELING);
    worker.join(30_000);

    TaskInstance task = engine.client().find(id).orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(task.subtasks().get(0).status()).isEqualTo(SubtaskStatus.FAILED);
    assertThat(task.subtasks().get(0).operation()).isEqualTo(SubtaskOperation.CANCEL);
    assertThat(task.subtasks().get(0).errorMessage()).isEqualTo("cancelled by web:bob");
  }

  @Test
  void aSubtaskRunningPastItsTimeoutIsInterruptedAndFails() throws Exception {
    var entered = new CountDownLatch(1);
    TaskEngine engine =
        fx.engine(
            "a",
            Map.of(
                "hang",
                e -> {
                  entered.countDown();
                  new CountDownLatch(1).await();
                }));
    long id =
        engine
            .client()
            .submit(
                TaskTemplate.builder("T")
                    .andThen(new TaskTemplate.Node("hang", "hang", "hang", 10))
                    .build(),
                servers(1),
                EngineFixture.ADMIN,
                null);
    Thread worker = new Thread(engine::runUntilIdle);
    worker.start();
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    fx.clock.advance(Duration.ofSeconds(5));
    engine.runHousekeeping();
    assertThat(worker.isAlive()).isTrue();
    fx.clock.advance(Duration.ofSeconds(6));
    engine.runHousekeeping();
    worker.join(30_000);

    SubtaskInstance s = engine.client().find(id).orElseThrow().subtasks().get(0);
    assertThat(s.status()).isEqualTo(SubtaskStatus.FAILED);
    assertThat(s.errorMessage()).startsWith("timed out after 10 s");
  }

  @Test
  void aTaskSurvivesItsEngineAndIsFinishedByANewOne() {
    TaskEngine first = fx.engine("a", Map.of("ok", e -> {}));
    long id =
        first
            .client()
            .submit(
                TaskTemplate.builder("T").andThen(node("a", "ok")).build(),
                servers(1),
                EngineFixture.ADMIN,
                null);
    first.shutdown(Duration.ZERO);

    TaskEngine second = fx.engine("a", Map.of("ok", e -> {}));
    second.runUntilIdle();

    assertThat(second.client().find(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESSFUL);
  }

  @Test
  void aSubtaskInterruptedByShutdownIsNotFailedButRunsAgainAfterARestart() throws Exception {
    var entered = new CountDownLatch(1);
    TaskEngine first =
        fx.engine(
            EngineFixture.settings("a", 2),
            Map.of(
                "stop",
                e -> {
                  entered.countDown();
                  new CountDownLatch(1).await();
                }));
    long id =
        first
            .client()
            .submit(
                TaskTemplate.builder("T").andThen(node("stop", "stop")).build(),
                servers(1),
                EngineFixture.ADMIN,
                null);
    first.start();
    assertThat(entered.await(30, TimeUnit.SECONDS)).isTrue();

    first.shutdown(Duration.ZERO);
    SubtaskInstance held = first.client().find(id).orElseThrow().subtasks().get(0);
    assertThat(held.status()).isEqualTo(SubtaskStatus.RUNNING);

    TaskEngine second = fx.engine("a", Map.of("stop", e -> {}));
    fx.clock.advance(Duration.ofSeconds(31));
    assertThat(second.reapDeadExecutions()).isEqualTo(1);
    second.runUntilIdle();
    assertThat(second.client().find(id).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESSFUL);
  }

  @Test
  void aHandlerCanRecordValuesInTheTaskContext() {
    TaskEngine engine =
        fx.engine("a", Map.of("put", e -> e.putContextString("former_cluster_status", "RUNNING")));
    long id =
        engine
            .client()
            .submit(
                TaskTemplate.builder("T").andThen(node("a", "put")).build(),
                servers(2),
                EngineFixture.ADMIN,
                null);
    engine.runUntilIdle();

    assertThat(engine.client().find(id).orElseThrow().context().render(-1))
        .isEqualTo(
            "Context(parallelIdx=-1, stringMap={cluster_name=c1, former_cluster_status=RUNNING},"
                + " listMap={server_ids=[1, 2]})");
  }

  @Test
  void linesAppendedTogetherAreStoredInOrderAfterEarlierOnesAndEachIsAnnounced() {
    TaskEngine engine =
        fx.engine(
            "a",
            Map.of(
                "log",
                e -> {
                  e.log().append("first");
                  e.log().appendAll(List.of("second", "third"));
                  e.log().append("fourth");
                }));
    long id =
        engine
            .client()
            .submit(
                TaskTemplate.builder("T").andThen(node("a", "log")).build(),
                servers(1),
                EngineFixture.ADMIN,
                null);
    engine.runUntilIdle();

    long subtask = engine.client().find(id).orElseThrow().subtasks().get(0).id();
    assertThat(engine.client().log(id, subtask)) // after OCP's execution header
        .endsWith("first", "second", "third", "fourth");
    assertThat(
            fx.events.stream()
                .filter(e -> e instanceof TaskEvent.SubtaskLogLine)
                .map(e -> ((TaskEvent.SubtaskLogLine) e).line()))
        .containsExactly("first", "second", "third", "fourth");
  }

  @Test
  void submittingATemplateWithAnUnknownHandlerIsRefusedBeforeAnythingIsStored() {
    TaskEngine engine = fx.engine("a", Map.of());
    assertThatThrownBy(
            () ->
                engine
                    .client()
                    .submit(
                        TaskTemplate.builder("T").andThen(node("x", "missing")).build(),
                        servers(1),
                        EngineFixture.ADMIN,
                        null))
        .hasMessage("no handler 'missing' for node 'x'");
    assertThat(List.copyOf(fx.events)).isEmpty();
  }

  /**
   * A subtask taken back and run again may finish twice in one batch of completions: the entry
   * whose update matched counts, once, and its downstream becomes READY.
   */
  @Test
  void aSubtaskFinishingTwiceInOneBatchCountsOnceAndStillReleasesItsDownstream() {
    TaskEngine engine = fx.engine("a", Map.of("rec", e -> {}));
    long id =
        engine
            .client()
            .submit(
                TaskTemplate.builder("T")
                    .andThen(node("first", "rec"))
                    .andThen(node("second", "rec"))
                    .build(),
                servers(1),
                EngineFixture.ADMIN,
                null);
    SubtaskInstance first =
        engine.client().find(id).orElseThrow().subtasks().stream()
            .filter(s -> s.name().equals("first"))
            .findFirst()
            .orElseThrow();
    var jdbc = new Jdbc(fx.dataSource);
    jdbc.update(
        "update subtask_instance set status = 'RUNNING', executor = 'x' where id = ?",
        Jdbc.params(first.id()));
    var executions = new ExecutionRepository(jdbc, new TaskRepository(jdbc));
    var done =
        new ExecutionRepository.Finished(first.id(), ExecutionRepository.Outcome.succeeded());

    var result =
        executions.completeAll(
            id, "x", List.of(done, done), java.time.OffsetDateTime.now(fx.clock));

    assertThat(result.completions())
        .extracting(ExecutionRepository.Completion::counted)
        .containsExactly(true, false);
    assertThat(engine.client().find(id).orElseThrow().subtasks())
        .filteredOn(s -> s.name().equals("second"))
        .singleElement()
        .extracting(SubtaskInstance::status)
        .isEqualTo(SubtaskStatus.READY);
  }
}
