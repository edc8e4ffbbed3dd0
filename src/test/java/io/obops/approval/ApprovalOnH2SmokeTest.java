package io.obops.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.access.Actor;
import io.obops.core.ClusterId;
import io.obops.core.RequestId;
import io.obops.operations.ApprovalOperations;
import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import io.obops.task.TaskGate;
import io.obops.testsupport.H2Files;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The embedded default's approval flow on H2 with the demo access file: the row lock, the cluster
 * held by the gated task from the request on, and the gate opened in the approving transaction work
 * there as on PostgreSQL.
 */
@SpringBootTest
@DirtiesContext
class ApprovalOnH2SmokeTest {

  @DynamicPropertySource
  static void h2InATemporaryFolder(DynamicPropertyRegistry registry) {
    String url = H2Files.inTemporaryFolder("obops-h2-approval");
    registry.add("spring.datasource.url", () -> url);
    registry.add("obops.engine.start", () -> "false");
  }

  @Autowired ApprovalOperations approvals;
  @Autowired TaskEngine engine;
  @Autowired TaskClient tasks;

  @Test
  void aliceRequestsBobApprovesAndTheStopTaskStarts() {
    ApprovalRequest r =
        approvals
            .request(Actor.web("alice"), new ClusterId(1), "cluster.stop", "trial run")
            .request();
    RequestId id = new RequestId(r.id());

    assertThatThrownBy(
            () -> approvals.request(Actor.web("alice"), new ClusterId(1), "cluster.stop", "again"))
        .hasMessageContaining("already has a pending request #" + r.id());
    assertThatThrownBy(() -> approvals.approve(Actor.web("carol"), id))
        .hasMessageContaining("web:carol lacks approval.decide");
    assertThat(tasks.gate(r.taskId())).isEqualTo(TaskGate.HELD);
    ApprovalRequest approved = approvals.approve(Actor.web("bob"), id);

    assertThat(approved.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(tasks.gate(approved.taskId())).isEqualTo(TaskGate.OPEN);
  }
}
