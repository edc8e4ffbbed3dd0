package io.obops.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.access.Actor;
import io.obops.cluster.InventoryLoader;
import io.obops.task.TaskEngine;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import io.obops.testsupport.ApprovalSpringTest;
import java.io.StringReader;
import java.nio.file.Files;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

class ApprovalServiceTest extends ApprovalSpringTest {

  private static final long DEMO = 1;
  private static final long PROD = 2;

  private static final Actor OPERATOR = Actor.api("operator");
  private static final Actor OPERATOR2 = Actor.api("operator2");
  private static final Actor APPROVER1 = Actor.api("approver1");
  private static final Actor APPROVER2 = Actor.api("approver2");
  private static final Actor VIEWER = Actor.api("viewer");

  @Autowired ApprovalService approvals;
  @Autowired TaskEngine engine;

  private ApprovalRequest requestStop(long cluster) {
    return approvals.request(OPERATOR, cluster, "replace a disk on zone1");
  }

  private static ApprovalException.Reason reasonOf(Throwable t) {
    return ((ApprovalException) t).reason();
  }

  private long tasksBefore;

  @BeforeEach
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

  @Test
  void aStopRequestIsPendingAndBoundToTheClustersZonesAndServers() {
    ApprovalRequest r = requestStop(PROD);

    assertThat(r.state()).isEqualTo(ApprovalState.PENDING);
    assertThat(r.requester()).isEqualTo("api:operator");
    assertThat(r.reason()).isEqualTo("replace a disk on zone1");
    assertThat(r.approvalsRequired()).isEqualTo(2);
    assertThat(r.approverPermissions()).containsExactly("approval.decide");
    assertThat(r.expireTime().toInstant())
        .isEqualTo(r.createTime().toInstant().plus(Duration.ofMinutes(15)));
    assertThat(r.parameters().zones()).containsExactly("zone1", "zone2", "zone3");
    assertThat(r.parameters().servers())
        .extracting(StopParameters.Server::id)
        .containsExactly(11L, 12L, 13L);
    assertThat(r.paramsHash()).hasSize(64);
    assertThat(r.taskId()).isNull();
  }

  @Test
  void theRequesterCannotApproveTheirOwnRequestEvenFromAnotherSurface() {
    ApprovalRequest r = approvals.request(Actor.api("dana"), DEMO, "maintenance");

    assertThatThrownBy(() -> approvals.approve(Actor.api("dana"), r.id()))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.FORBIDDEN))
        .hasMessageContaining("you requested #" + r.id() + ", so you can't approve it");
    // discord-user:4242 is dana too (people: in the access file), and holds the approver role.
    Actor danaOnDiscord = Actor.discord("4242", Set.of("900"));
    assertThatThrownBy(() -> approvals.approve(danaOnDiscord, r.id()))
        .hasMessageContaining("so you can't approve it");
    assertThat(approvals.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.PENDING);
    assertThat(tasksOn(DEMO)).isZero();
  }

  @Test
  void aDeciderWithoutTheApproverPermissionIsRefused() {
    ApprovalRequest r = requestStop(DEMO);

    assertThatThrownBy(() -> approvals.approve(VIEWER, r.id()))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.FORBIDDEN))
        .hasMessageContaining("api:viewer lacks approval.decide on cluster 1 (demo)");
    assertThatThrownBy(() -> approvals.reject(VIEWER, r.id(), "no"))
        .hasMessageContaining("lacks approval.decide");
    assertThat(approvals.find(r.id()).orElseThrow().decisions()).isEmpty();
  }

  @Test
  void onePersonApprovingTwiceCountsOnce() {
    ApprovalRequest r = requestStop(PROD);
    approvals.approve(APPROVER1, r.id());

    assertThatThrownBy(() -> approvals.approve(APPROVER1, r.id()))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.CONFLICT))
        .hasMessageContaining("a person counts once");
    ApprovalRequest after = approvals.find(r.id()).orElseThrow();
    assertThat(after.approvals()).isEqualTo(1);
    assertThat(after.state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void aTwoApprovalPolicyStartsTheStopTaskOnlyAtTheSecondDistinctApprover() {
    ApprovalRequest r = requestStop(PROD);

    ApprovalRequest afterFirst = approvals.approve(APPROVER1, r.id());
    assertThat(afterFirst.state()).isEqualTo(ApprovalState.PENDING);
    assertThat(afterFirst.taskId()).isNull();
    assertThat(tasksOn(PROD)).isZero();

    ApprovalRequest afterSecond = approvals.approve(APPROVER2, r.id());
    assertThat(afterSecond.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(afterSecond.closeReason()).isEqualTo(CloseReason.APPROVED);
    assertThat(afterSecond.decisions())
        .extracting(ApprovalRequest.Decision::principal)
        .containsExactly("api:approver1", "api:approver2");
    TaskInstance task = engine.client().find(afterSecond.taskId()).orElseThrow();
    assertThat(task.name()).isEqualTo("Stop OB cluster");
    assertThat(task.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(task.creator().name()).isEqualTo("api:operator");
    assertThat(task.creator().id()).isEqualTo(Creators.of("api:operator").id());
    assertThat(inventory.find(PROD).orElseThrow().operationTaskId()).isEqualTo(task.id());
  }

  @Test
  void aDecidedRequestNeverChangesAgain() {
    ApprovalRequest r = requestStop(DEMO);
    approvals.reject(APPROVER1, r.id(), "not during business hours");

    assertThatThrownBy(() -> approvals.approve(APPROVER2, r.id()))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.CONFLICT))
        .hasMessageContaining("is already REJECTED (rejected by api:approver1: not during");
    assertThatThrownBy(() -> approvals.cancel(OPERATOR, r.id())).hasMessageContaining("REJECTED");
    assertThat(approvals.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.REJECTED);
    assertThat(tasksOn(DEMO)).isZero();
  }

  @Test
  void fiftyConcurrentApproveAndRejectCallsEndInExactlyOneFinalStateAndAtMostOneTask()
      throws Exception {
    ApprovalRequest r = requestStop(PROD);
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
            return reject
                ? approvals.reject(decider, r.id(), "no")
                : approvals.approve(decider, r.id());
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
        assertThat(e.getCause()).isInstanceOf(ApprovalException.class);
        assertThat(reasonOf(e.getCause())).isEqualTo(ApprovalException.Reason.CONFLICT);
        refused++;
      }
    }
    pool.shutdown();

    ApprovalRequest after = approvals.find(r.id()).orElseThrow();
    assertThat(after.state()).isIn(ApprovalState.APPROVED, ApprovalState.REJECTED);
    long rejections =
        after.decisions().stream()
            .filter(d -> d.verdict() == ApprovalRequest.Verdict.REJECT)
            .count();
    if (after.state() == ApprovalState.APPROVED) {
      assertThat(after.approvals()).isEqualTo(2);
      assertThat(rejections).isZero();
      assertThat(after.taskId()).isNotNull();
      assertThat(tasksOn(PROD)).isEqualTo(1);
    } else {
      assertThat(rejections).isEqualTo(1);
      assertThat(after.approvals()).isLessThan(2);
      assertThat(after.taskId()).isNull();
      assertThat(tasksOn(PROD)).isZero();
    }
    assertThat(refused).isEqualTo(50 - after.decisions().size());
  }

  @Test
  void anExpiredRequestCannotBeApproved() {
    ApprovalRequest r = requestStop(DEMO);
    clock.advance(Duration.ofMinutes(15));

    assertThatThrownBy(() -> approvals.approve(APPROVER1, r.id()))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.CONFLICT))
        .hasMessageContaining("expired at")
        .hasMessageContaining("request the stop again");
    ApprovalRequest after = approvals.find(r.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(ApprovalState.EXPIRED);
    assertThat(tasksOn(DEMO)).isZero();
  }

  @Test
  void theExpirySweepExpiresEachOverdueRequestOnceAndFreesTheCluster() {
    ApprovalRequest r = requestStop(DEMO);
    clock.advance(Duration.ofMinutes(14));
    assertThat(approvals.expireDue()).isZero();

    clock.advance(Duration.ofMinutes(2));
    assertThat(approvals.expireDue()).isEqualTo(1);
    assertThat(approvals.expireDue()).isZero();

    assertThat(approvals.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.EXPIRED);
    assertThat(requestStop(DEMO).state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void aDiscordRoleRemovedBetweenRequestAndApprovalIsRefused() {
    ApprovalRequest r = requestStop(DEMO);
    // At request time user 77 held the approver role 900; the click's payload no longer lists it.
    Actor withRole = Actor.discord("77", Set.of("900"));
    Actor withoutRole = Actor.discord("77", Set.of());

    assertThatThrownBy(() -> approvals.approve(withoutRole, r.id()))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.FORBIDDEN))
        .hasMessageContaining("discord-user:77 lacks approval.decide");
    assertThat(approvals.approve(withRole, r.id()).state()).isEqualTo(ApprovalState.APPROVED);
  }

  @Test
  void anInventoryChangeInvalidatesThePendingRequestAndItMustBeMadeAgain() throws Exception {
    ApprovalRequest r = requestStop(PROD);
    approvals.approve(APPROVER1, r.id());
    String changed =
        Files.readString(INVENTORY)
            .replace(
                "- { id: 13, ip: 10.1.0.7 }",
                "- { id: 13, ip: 10.1.0.7 }\n          - { id: 14, ip: 10.1.0.8 }");
    inventory.sync(InventoryLoader.parse("changed.yml", new StringReader(changed)));

    assertThatThrownBy(() -> approvals.approve(APPROVER2, r.id()))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.CONFLICT))
        .hasMessageContaining("inventory of cluster prod1 changed")
        .hasMessageContaining("request the stop again");
    ApprovalRequest after = approvals.find(r.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(ApprovalState.CANCELLED);
    assertThat(after.closeReason()).isEqualTo(CloseReason.INVENTORY_CHANGED);
    assertThat(tasksOn(PROD)).isZero();

    ApprovalRequest again = requestStop(PROD);
    assertThat(again.parameters().servers()).hasSize(4);
    assertThat(again.paramsHash()).isNotEqualTo(r.paramsHash());
  }

  @Test
  void concurrentStopRequestsForOneClusterYieldOneRequest() throws Exception {
    ExecutorService pool = Executors.newFixedThreadPool(16);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<ApprovalRequest>> futures = new ArrayList<>();
    for (int i = 0; i < 16; i++) {
      Actor who = i % 2 == 0 ? OPERATOR : OPERATOR2;
      futures.add(
          pool.submit(
              () -> {
                go.await();
                return approvals.request(who, DEMO, "race");
              }));
    }
    go.countDown();
    var created = new ArrayList<ApprovalRequest>();
    var refusals = new ArrayList<ApprovalException>();
    for (Future<ApprovalRequest> f : futures) {
      try {
        created.add(f.get(60, TimeUnit.SECONDS));
      } catch (java.util.concurrent.ExecutionException e) {
        refusals.add((ApprovalException) e.getCause());
      }
    }
    pool.shutdown();

    assertThat(created).hasSize(1);
    assertThat(refusals).hasSize(15);
    long id = created.get(0).id();
    assertThat(refusals)
        .allSatisfy(
            e -> {
              assertThat(e.reason()).isEqualTo(ApprovalException.Reason.CONFLICT);
              assertThat(e.existingRequestId()).isEqualTo(id);
              assertThat(e.getMessage()).contains("pending stop request #" + id);
            });
    assertThat(approvals.list(ApprovalState.PENDING, 100)).hasSize(1);
  }

  @Test
  void aStopRequestForAClusterWithAnOperationInFlightPointsAtItsTask() {
    ApprovalRequest r = requestStop(DEMO);
    long taskId = approvals.approve(APPROVER1, r.id()).taskId();

    assertThatThrownBy(() -> approvals.request(OPERATOR2, DEMO, "again"))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.CONFLICT))
        .hasMessageContaining("already has an operation in flight: task " + taskId)
        .hasMessageContaining("/api/v2/tasks/instances/" + taskId);
  }

  @Test
  void aReasonIsRequiredByDefault() {
    assertThatThrownBy(() -> approvals.request(OPERATOR, DEMO, "  "))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.INVALID))
        .hasMessageContaining("a reason is required to stop cluster 1 (demo)");
  }

  @Test
  void anOperatorBoundOnlyToOtherClustersCannotRequestAStop() {
    assertThatThrownBy(() -> approvals.request(Actor.api("staging-only"), PROD, "x"))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.FORBIDDEN))
        .hasMessageContaining("api:staging-only lacks cluster.stop on cluster 2 (prod1)");
    assertThatThrownBy(() -> approvals.request(Actor.api("nobody"), PROD, "x"))
        .hasMessageContaining("api:nobody lacks cluster.stop");
  }

  @Test
  void onlyTheRequesterCanCancelAPendingRequest() {
    ApprovalRequest r = requestStop(DEMO);

    assertThatThrownBy(() -> approvals.cancel(OPERATOR2, r.id()))
        .satisfies(e -> assertThat(reasonOf(e)).isEqualTo(ApprovalException.Reason.FORBIDDEN))
        .hasMessageContaining("only the requester (api:operator) can cancel");
    ApprovalRequest cancelled = approvals.cancel(OPERATOR, r.id());

    assertThat(cancelled.state()).isEqualTo(ApprovalState.CANCELLED);
    assertThat(cancelled.closeReason()).isEqualTo(CloseReason.CANCELLED_BY_REQUESTER);
    assertThat(requestStop(DEMO).state()).isEqualTo(ApprovalState.PENDING);
  }

  @Test
  void chatReferencesAreKeptOnTheRequestForTheChatLayer() {
    ApprovalRequest r = requestStop(DEMO);
    approvals.setChatRefs(r.id(), "{\"discord\":{\"message\":\"123\"}}");

    assertThat(approvals.find(r.id()).orElseThrow().chatRefs()).contains("\"message\":\"123\"");
  }
}
