package io.obops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.Permission;
import io.obops.cluster.ObClusterStatus;
import io.obops.core.ClusterId;
import io.obops.core.Refusal;
import io.obops.core.RequestId;
import io.obops.core.TaskId;
import io.obops.operations.ApprovalOperations;
import io.obops.operations.TaskOperations;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import io.obops.task.TaskGate;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import io.obops.testsupport.ApprovalSpringTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** The two-person rule through the operations layer, as every surface reaches it. */
class ApprovalFlowTest extends ApprovalSpringTest {

  private static final long DEMO = 1;
  private static final long PROD = 2;

  private static final Actor OPERATOR = Actor.api("operator");
  private static final Actor OPERATOR2 = Actor.api("operator2");
  private static final Actor APPROVER1 = Actor.api("approver1");
  private static final Actor APPROVER2 = Actor.api("approver2");
  private static final Actor VIEWER = Actor.api("viewer");

  @Autowired ApprovalOperations approvals;
  @Autowired ApprovalRequests requests;
  @Autowired ApprovalExpiry expiry;
  @Autowired TaskOperations tasks;
  @Autowired TaskEngine engine;
  @Autowired TaskClient taskClient;

  private ApprovalOperations.Requested stop(Actor actor, long cluster) {
    return approvals.request(actor, new ClusterId(cluster), "cluster.stop", "replace a disk");
  }

  private ApprovalRequest approve(Actor actor, ApprovalOperations.Requested r) {
    return approvals.approve(actor, new RequestId(r.request().id()));
  }

  private ApprovalRequest now(ApprovalOperations.Requested r) {
    return requests.find(r.request().id()).orElseThrow();
  }

  private TaskInstance task(long id) {
    return taskClient.find(id).orElseThrow();
  }

  private long tasksBefore;

  @org.junit.jupiter.api.BeforeEach
  void rememberTheLastTask() {
    tasksBefore =
        jdbc.sql("select coalesce(max(id), 0) from task_instance").query(Long.class).single();
  }

  /** Tasks this test created on the cluster. */
  private long tasksOn(long cluster) {
    return jdbc.sql("select count(*) from task_instance where cluster_id = ? and id > ?")
        .params(cluster, tasksBefore)
        .query(Long.class)
        .single();
  }

  /** Runs whatever is due, then: nothing of the task ran. */
  private void nothingRuns(long taskId) {
    List<SubtaskStatus> before =
        task(taskId).subtasks().stream().map(SubtaskInstance::status).toList();
    engine.runUntilIdle();
    assertThat(task(taskId).subtasks().stream().map(SubtaskInstance::status).toList())
        .isEqualTo(before);
  }

  private static ClusterRef ref(long id) {
    return id == DEMO
        ? new ClusterRef(1, "demo", List.of("demo"))
        : new ClusterRef(2, "prod1", List.of("prod"));
  }

  @Test
  void aStopRequestCreatesItsTaskGatedAndBoundToTheClustersServers() {
    ApprovalOperations.Requested r = stop(OPERATOR, PROD);

    ApprovalRequest req = r.request();
    assertThat(req.state()).isEqualTo(ApprovalState.PENDING);
    assertThat(req.requester()).isEqualTo("api:operator");
    assertThat(req.approvalsRequired()).isEqualTo(2);
    assertThat(req.approverPermissions()).containsExactly("approval.decide");
    assertThat(req.expireTime().toInstant())
        .isEqualTo(req.createTime().toInstant().plus(Duration.ofMinutes(15)));
    assertThat(req.snapshot().zones()).containsExactly("zone1", "zone2", "zone3");
    assertThat(req.snapshot().servers())
        .extracting(s -> s.id() + "@" + s.ip() + ":" + s.sshPort() + " " + s.sshUser())
        .containsExactly("11@10.1.0.5:22 admin", "12@10.1.0.6:22 admin", "13@10.1.0.7:22 admin");
    assertThat(req.taskId()).isEqualTo(r.task().id());
    TaskInstance t = task(req.taskId());
    assertThat(t.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(t.subtasks()).allMatch(s -> s.status() == SubtaskStatus.PENDING);
    assertThat(taskClient.gate(t.id())).isEqualTo(TaskGate.HELD);
    assertThat(t.creator().name()).isEqualTo("api:operator");
    assertThat(inventory.find(PROD).orElseThrow().operationTaskId()).isEqualTo(t.id());
    nothingRuns(t.id());
  }

  @Test
  void theRequesterCannotApproveTheirOwnRequestEvenFromAnotherSurface() {
    ApprovalOperations.Requested r = stop(Actor.api("dana"), DEMO);
    RequestId id = new RequestId(r.request().id());

    assertThat(refusal(() -> approvals.approve(Actor.api("dana"), id)))
        .isEqualTo(new Refusal.OwnRequest(id, "approve"));
    // discord-user:4242 is dana too (people: in the access file), and holds the approver role.
    assertThat(refusal(() -> approvals.approve(Actor.discord("4242", Set.of("900")), id)))
        .isEqualTo(new Refusal.OwnRequest(id, "approve"));
    assertThat(now(r).state()).isEqualTo(ApprovalState.PENDING);
    assertThat(taskClient.gate(r.task().id())).isEqualTo(TaskGate.HELD);
  }

  @Test
  void aDeciderWhoMayViewButNotDecideIsForbiddenAndOneWhoMayNotViewGetsNotFound() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    RequestId id = new RequestId(r.request().id());

    assertThat(refusal(() -> approvals.approve(VIEWER, id)))
        .isEqualTo(
            new Refusal.NotPermitted(
                "api:viewer",
                Set.of(Permission.APPROVAL_DECIDE),
                ref(DEMO),
                "approval.approve",
                access.config().source()));
    assertThat(refusal(() -> approvals.reject(VIEWER, id, "no")))
        .isInstanceOf(Refusal.NotPermitted.class);
    assertThat(refusal(() -> approvals.approve(Actor.api("nobody"), id)))
        .isEqualTo(new Refusal.RequestNotFound(id));
    assertThat(refusal(() -> approvals.view(Actor.api("staging-only"), id)))
        .isEqualTo(new Refusal.RequestNotFound(id));
    assertThat(now(r).decisions()).isEmpty();
  }

  @Test
  void onePersonApprovingTwiceCountsOnce() {
    ApprovalOperations.Requested r = stop(OPERATOR, PROD);
    approve(APPROVER1, r);

    assertThat(refusal(() -> approve(APPROVER1, r))).isInstanceOf(Refusal.AlreadyDecided.class);
    assertThat(now(r).approvals()).isEqualTo(1);
    assertThat(now(r).state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void aTwoApprovalPolicyOpensTheGateOnlyAtTheSecondDistinctApprover() {
    ApprovalOperations.Requested r = stop(OPERATOR, PROD);

    assertThat(approve(APPROVER1, r).state()).isEqualTo(ApprovalState.PENDING);
    assertThat(taskClient.gate(r.task().id())).isEqualTo(TaskGate.HELD);

    ApprovalRequest after = approve(APPROVER2, r);
    assertThat(after.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(after.closeReason()).isEqualTo(CloseReason.APPROVED);
    assertThat(after.decisions())
        .extracting(ApprovalRequest.Decision::principal)
        .containsExactly("api:approver1", "api:approver2");
    assertThat(taskClient.gate(r.task().id())).isEqualTo(TaskGate.OPEN);
    assertThat(task(r.task().id()).subtasks().get(0).status()).isEqualTo(SubtaskStatus.READY);
    assertThat(tasksOn(PROD)).isEqualTo(1);
  }

  @Test
  void aDecidedRequestNeverChangesAgain() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    RequestId id = new RequestId(r.request().id());
    approvals.reject(APPROVER1, id, "not during business hours");

    Refusal again = refusal(() -> approvals.approve(APPROVER2, id));
    assertThat(again).isInstanceOf(Refusal.RequestClosed.class);
    assertThat(((Refusal.RequestClosed) again).state()).isEqualTo("REJECTED");
    assertThat(((Refusal.RequestClosed) again).detail())
        .isEqualTo("rejected by api:approver1: not during business hours");
    assertThat(refusal(() -> approvals.cancel(OPERATOR, id)))
        .isInstanceOf(Refusal.RequestClosed.class);
    assertThat(now(r).state()).isEqualTo(ApprovalState.REJECTED);
  }

  @Test
  void aRejectedRequestEndsItsTaskFailedWithTheReasonAndReleasesTheCluster() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    approvals.reject(APPROVER1, new RequestId(r.request().id()), "not now");

    TaskInstance t = task(r.task().id());
    assertThat(t.status()).isEqualTo(TaskStatus.FAILED);
    SubtaskInstance first = t.subtasks().get(0);
    assertThat(first.status()).isEqualTo(SubtaskStatus.FAILED);
    assertThat(taskClient.log(t.id(), first.id()))
        .containsExactly(
            "request #"
                + r.request().id()
                + " rejected by api:approver1: not now; this task"
                + " never runs");
    assertThat(inventory.find(DEMO).orElseThrow().operationTaskId()).isNull();
    assertThat(inventory.find(DEMO).orElseThrow().status()).isEqualTo(ObClusterStatus.RUNNING);
    nothingRuns(t.id());
    assertThat(stop(OPERATOR2, DEMO).request().state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void aTaskRefusedAtItsApprovalCanNeverBeRetriedNorItsSubtasksRetriedOrSkipped() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    approvals.cancel(OPERATOR, new RequestId(r.request().id()));
    TaskId t = new TaskId(r.task().id());
    var first = new io.obops.core.SubtaskId(task(t.value()).subtasks().get(0).id());

    Refusal.NeverRuns never =
        new Refusal.NeverRuns(t, new RequestId(r.request().id()), "CANCELLED");
    assertThat(refusal(() -> tasks.retry(OPERATOR, t))).isEqualTo(never);
    assertThat(refusal(() -> tasks.retrySubtask(OPERATOR, t, first))).isEqualTo(never);
    assertThat(refusal(() -> tasks.skipSubtask(OPERATOR, t, first))).isEqualTo(never);
    assertThat(task(t.value()).status()).isEqualTo(TaskStatus.FAILED);
    nothingRuns(t.value());
  }

  @Test
  void aTaskWaitingForItsApprovalCannotBeRetried() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    TaskId t = new TaskId(r.task().id());

    assertThat(refusal(() -> tasks.retry(OPERATOR, t)))
        .isEqualTo(new Refusal.AwaitingApproval(t, new RequestId(r.request().id())));
  }

  @Test
  void fiftyConcurrentApproveAndRejectCallsEndInExactlyOneFinalStateAndOneGateMove()
      throws Exception {
    ApprovalOperations.Requested r = stop(OPERATOR, PROD);
    RequestId id = new RequestId(r.request().id());
    ExecutorService pool = Executors.newFixedThreadPool(50);
    CountDownLatch go = new CountDownLatch(1);
    var calls = new ArrayList<Callable<ApprovalRequest>>();
    for (int i = 0; i < 50; i++) {
      // 50 distinct Discord users holding the approver role; every fifth one rejects.
      Actor decider = Actor.discord(String.valueOf(5000 + i), Set.of("900"));
      boolean reject = i % 5 == 4;
      calls.add(
          () -> {
            go.await();
            return reject ? approvals.reject(decider, id, "no") : approvals.approve(decider, id);
          });
    }
    List<Future<ApprovalRequest>> futures = new ArrayList<>();
    calls.forEach(c -> futures.add(pool.submit(c)));
    go.countDown();
    int refused = 0;
    for (Future<ApprovalRequest> f : futures) {
      try {
        f.get(60, TimeUnit.SECONDS);
      } catch (java.util.concurrent.ExecutionException e) {
        assertThat(((io.obops.core.Refused) e.getCause()).refusal())
            .isInstanceOf(Refusal.RequestClosed.class);
        refused++;
      }
    }
    pool.shutdown();

    ApprovalRequest after = now(r);
    assertThat(after.state()).isIn(ApprovalState.APPROVED, ApprovalState.REJECTED);
    TaskGate gate = taskClient.gate(r.task().id());
    if (after.state() == ApprovalState.APPROVED) {
      assertThat(after.approvals()).isEqualTo(2);
      assertThat(gate).isEqualTo(TaskGate.OPEN);
    } else {
      assertThat(after.approvals()).isLessThan(2);
      assertThat(gate).isEqualTo(TaskGate.REFUSED);
    }
    assertThat(tasksOn(PROD)).isEqualTo(1);
    assertThat(refused).isEqualTo(50 - after.decisions().size());
  }

  @Test
  void anExpiredRequestCannotBeApprovedAndItsTaskNeverRuns() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    clock.advance(Duration.ofMinutes(15));

    Refusal expired = refusal(() -> approve(APPROVER1, r));
    assertThat(expired).isInstanceOf(Refusal.RequestClosed.class);
    assertThat(((Refusal.RequestClosed) expired).state()).isEqualTo("EXPIRED");
    assertThat(now(r).state()).isEqualTo(ApprovalState.EXPIRED);
    assertThat(task(r.task().id()).status()).isEqualTo(TaskStatus.FAILED);
    assertThat(taskClient.gate(r.task().id())).isEqualTo(TaskGate.REFUSED);
  }

  @Test
  void theExpirySweepExpiresEachOverdueRequestOnceAndReleasesTheCluster() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    clock.advance(Duration.ofMinutes(14));
    assertThat(expiry.expireDue()).isZero();

    clock.advance(Duration.ofMinutes(2));
    assertThat(expiry.expireDue()).isEqualTo(1);
    assertThat(expiry.expireDue()).isZero();

    assertThat(now(r).state()).isEqualTo(ApprovalState.EXPIRED);
    assertThat(inventory.find(DEMO).orElseThrow().operationTaskId()).isNull();
    assertThat(stop(OPERATOR, DEMO).request().state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void anExpiredButUnsweptRequestIsClosedByTheNextRequestForItsCluster() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    clock.advance(Duration.ofMinutes(16));

    ApprovalOperations.Requested next = stop(OPERATOR2, DEMO);

    assertThat(now(r).state()).isEqualTo(ApprovalState.EXPIRED);
    assertThat(next.request().state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void aDiscordRoleRemovedBetweenRequestAndApprovalIsRefused() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    // At request time user 77 held the approver role 900; the click's payload no longer lists it.
    Actor withoutRole = Actor.discord("77", Set.of());

    assertThat(refusal(() -> approve(withoutRole, r)))
        .isEqualTo(new Refusal.RequestNotFound(new RequestId(r.request().id())));
    assertThat(approve(Actor.discord("77", Set.of("900")), r).state())
        .isEqualTo(ApprovalState.APPROVED);
  }

  @Test
  void concurrentStopRequestsForOneClusterYieldOneRequestAndOneTask() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ApprovalOperations.Requested>> futures = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Actor who = i % 2 == 0 ? OPERATOR : OPERATOR2;
      futures.add(
          pool.submit(
              () -> {
                go.await();
                return stop(who, DEMO);
              }));
    }
    go.countDown();
    var created = new ArrayList<ApprovalOperations.Requested>();
    var refusals = new ArrayList<Refusal>();
    for (Future<ApprovalOperations.Requested> f : futures) {
      try {
        created.add(f.get(60, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        refusals.add(((io.obops.core.Refused) e.getCause()).refusal());
      }
    }
    pool.shutdown();

    assertThat(created).hasSize(1);
    long id = created.get(0).request().id();
    assertThat(refusals)
        .hasSize(15)
        .allSatisfy(
            e -> {
              assertThat(e).isInstanceOf(Refusal.AlreadyPending.class);
              assertThat(((Refusal.AlreadyPending) e).request()).isEqualTo(new RequestId(id));
            });
    assertThat(tasksOn(DEMO)).isEqualTo(1);
  }

  @Test
  void aStopRequestForAClusterWithARunningOperationPointsAtItsTask() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    approve(APPROVER1, r);

    assertThat(refusal(() -> stop(OPERATOR2, DEMO)))
        .isEqualTo(new Refusal.ClusterBusy(ref(DEMO), new TaskId(r.task().id())));
  }

  @Test
  void aReasonIsRequiredByDefault() {
    assertThat(refusal(() -> approvals.request(OPERATOR, new ClusterId(DEMO), "cluster.stop", " ")))
        .isEqualTo(new Refusal.ReasonRequired(ref(DEMO), "cluster.stop"));
    assertThat(tasksOn(DEMO)).isZero();
  }

  @Test
  void aClusterTheRequesterMayNotViewIsNotFoundAndOneTheyMayViewButNotStopIsForbidden() {
    assertThat(refusal(() -> stop(Actor.api("staging-only"), PROD)))
        .isEqualTo(new Refusal.ClusterNotFound("2"));
    assertThat(refusal(() -> stop(Actor.api("nobody"), PROD)))
        .isEqualTo(new Refusal.ClusterNotFound("2"));
    assertThat(refusal(() -> stop(VIEWER, PROD)))
        .isEqualTo(
            new Refusal.NotPermitted(
                "api:viewer",
                Set.of(Permission.CLUSTER_STOP),
                ref(PROD),
                "approval.request",
                access.config().source()));
    assertThat(tasksOn(PROD)).isZero();
  }

  @Test
  void onlyTheRequesterCanCancelAPendingRequest() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    RequestId id = new RequestId(r.request().id());

    assertThat(refusal(() -> approvals.cancel(OPERATOR2, id)))
        .isEqualTo(new Refusal.NotRequester(id, "api:operator"));
    ApprovalRequest cancelled = approvals.cancel(OPERATOR, id);

    assertThat(cancelled.state()).isEqualTo(ApprovalState.CANCELLED);
    assertThat(cancelled.closeReason()).isEqualTo(CloseReason.CANCELLED_BY_REQUESTER);
    assertThat(stop(OPERATOR, DEMO).request().state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void chatReferencesAreKeptOnTheRequestForTheChatLayer() {
    ApprovalOperations.Requested r = stop(OPERATOR, DEMO);
    requests.setChatRefs(r.request().id(), "{\"discord\":{\"message\":\"123\"}}");

    assertThat(now(r).chatRefs()).contains("\"message\":\"123\"");
  }
}
