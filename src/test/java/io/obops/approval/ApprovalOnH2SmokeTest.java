package io.obops.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.access.Actor;
import io.obops.testsupport.H2Files;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The embedded default's approval flow on H2 with the demo access file: the row lock, the
 * one-pending-request-per-cluster constraint and the task started in the approving transaction work
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

  @Autowired ApprovalService approvals;

  @Test
  void aliceRequestsBobApprovesAndTheStopTaskStarts() {
    ApprovalRequest r = approvals.request(Actor.web("alice"), 1, "trial run");

    assertThatThrownBy(() -> approvals.request(Actor.web("alice"), 1, "again"))
        .hasMessageContaining("already has a pending stop request #" + r.id());
    assertThatThrownBy(() -> approvals.approve(Actor.web("carol"), r.id()))
        .hasMessageContaining("web:carol lacks approval.decide");
    ApprovalRequest approved = approvals.approve(Actor.web("bob"), r.id());

    assertThat(approved.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(approved.taskId()).isNotNull();
  }
}
