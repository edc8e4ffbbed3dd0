package io.obops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.access.Actor;
import io.obops.core.ClusterId;
import io.obops.core.Refusal;
import io.obops.core.RequestId;
import io.obops.operations.ApprovalOperations;
import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import io.obops.task.TaskGate;
import io.obops.task.TaskStatus;
import io.obops.testsupport.ApprovalSpringTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * Who counts is decided when each decision is made: people are resolved from the access file in
 * force now, for the requester and for every earlier approver, and the requester must still be
 * allowed to ask for the action.
 */
class DecisionTimeTest extends ApprovalSpringTest {

  private static final long DEMO = 1;
  private static final long PROD = 2;

  @Autowired ApprovalOperations approvals;
  @Autowired ApprovalRequests requests;
  @Autowired TaskEngine engine;
  @Autowired TaskClient tasks;

  private RequestId stop(String requester, long cluster) {
    return new RequestId(
        approvals
            .request(Actor.api(requester), new ClusterId(cluster), "cluster.stop", "maintenance")
            .request()
            .id());
  }

  private ApprovalRequest now(RequestId id) {
    return requests.find(id.value()).orElseThrow();
  }

  @Test
  void aPrincipalMappedToTheRequesterAfterTheRequestCannotApproveIt() throws Exception {
    RequestId id = stop("operator2", DEMO);
    editAccess("people:\n", "people:\n  olga: [api:operator2, api:approver1]\n");

    assertThat(refusal(() -> approvals.approve(Actor.api("approver1"), id)))
        .isEqualTo(new Refusal.OwnRequest(id, "approve"));
    assertThat(now(id).state()).isEqualTo(ApprovalState.PENDING);
    assertThat(tasks.gate(now(id).taskId())).isEqualTo(TaskGate.HELD);
  }

  @Test
  void aSecondPrincipalMappedToAnEarlierApproverDoesNotCountTwice() throws Exception {
    RequestId id = stop("operator", PROD); // two approvals needed
    approvals.approve(Actor.api("approver1"), id);
    editAccess("people:\n", "people:\n  pat: [api:approver1, api:approver2]\n");

    assertThat(refusal(() -> approvals.approve(Actor.api("approver2"), id)))
        .isInstanceOf(Refusal.AlreadyDecided.class);
    assertThat(now(id).approvals()).isEqualTo(1);
    assertThat(approvals.approve(Actor.api("approver3"), id).state())
        .isEqualTo(ApprovalState.APPROVED);
  }

  @Test
  void anEarlierApprovalByAPrincipalNowMappedToTheRequesterNoLongerCounts() throws Exception {
    RequestId id = stop("operator", PROD);
    approvals.approve(Actor.api("approver1"), id);
    editAccess("people:\n", "people:\n  oscar: [api:operator, api:approver1]\n");

    ApprovalRequest after = approvals.approve(Actor.api("approver2"), id);

    assertThat(after.approvals()).isEqualTo(1);
    assertThat(after.state()).isEqualTo(ApprovalState.PENDING);
    assertThat(tasks.gate(after.taskId())).isEqualTo(TaskGate.HELD);
  }

  @Test
  void theRequestersOwnPermissionIsCheckedAgainWhenTheRequestIsDecided() throws Exception {
    RequestId id = stop("operator2", DEMO);
    editAccess(
        "  - principal: api:operator2\n    roles: [operator]",
        "  - principal: api:operator2\n    roles: [viewer]");

    Refusal refused = refusal(() -> approvals.approve(Actor.api("approver1"), id));

    assertThat(refused).isInstanceOf(Refusal.RequestClosed.class);
    assertThat(((Refusal.RequestClosed) refused).closeReason())
        .isEqualTo("REQUESTER_NOT_PERMITTED");
    assertThat(((Refusal.RequestClosed) refused).detail())
        .contains("its requester api:operator2 no longer holds cluster.stop");
    ApprovalRequest closed = now(id);
    assertThat(closed.state()).isEqualTo(ApprovalState.CANCELLED);
    assertThat(tasks.find(closed.taskId()).orElseThrow().status()).isEqualTo(TaskStatus.FAILED);
    assertThat(inventory.find(DEMO).orElseThrow().operationTaskId()).isNull();
  }
}
