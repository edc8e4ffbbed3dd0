package io.obops.approval;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.access.Actor;
import io.obops.access.Surface;
import io.obops.cluster.ObServer;
import io.obops.core.ClusterId;
import io.obops.core.Refusal;
import io.obops.core.RequestId;
import io.obops.obcluster.ObserverProcessControl;
import io.obops.operations.ApprovalOperations;
import io.obops.task.SubtaskLog;
import io.obops.testsupport.ApprovalSpringTest;
import io.obops.testsupport.Http;
import io.obops.testsupport.TestTokens;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * Approvals bound to the pre-flight plan on a cluster that needs two (prod1), with hosts whose
 * survey a test sets (a port double; the sandbox tests cover real SSH): an approval given for a
 * plan that has since changed no longer counts, and its approver may approve the new plan; REST
 * refreshes a plan and approves with its {@code planHash}.
 */
@Import(PlanBoundApprovalTest.Hosts.class)
@DirtiesContext // its own context (the port double)
class PlanBoundApprovalTest extends ApprovalSpringTest {

  static final Actor OPERATOR = new Actor("api:operator2", Set.of(), Surface.API);
  static final Actor APPROVER1 = new Actor("api:approver1", Set.of(), Surface.API);
  static final Actor APPROVER2 = new Actor("api:approver2", Set.of(), Surface.API);
  static final ClusterId PROD = new ClusterId(2);

  /** Every observer runs, except on the ips listed as unreachable. */
  @TestConfiguration
  static class Hosts {
    static final Set<String> unreachable = ConcurrentHashMap.newKeySet();

    @Bean
    ObserverProcessControl surveyedHosts() {
      return new ObserverProcessControl() {
        @Override
        public Survey survey(ObServer s) {
          if (unreachable.contains(s.ip())) {
            return Survey.failed(Reach.UNREACHABLE, "cannot connect to " + s.ip());
          }
          return new Survey(
              Reach.REACHABLE,
              null,
              PidFile.RUNNING,
              1000 + s.id(),
              60,
              Map.of(s.mysqlPort(), true, s.rpcPort(), true),
              null);
        }

        @Override
        public ObserverState inspect(ObServer server, SubtaskLog log) {
          return new ObserverState(true, 1000 + server.id(), "running");
        }

        @Override
        public StopReport stop(ObServer server, SubtaskLog log) {
          return new StopReport(false, 1000 + server.id(), "SIGKILL", 10);
        }
      };
    }
  }

  @Autowired ApprovalOperations approvals;
  @LocalServerPort int port;

  @BeforeEach
  void everyHostAnswers() {
    Hosts.unreachable.clear();
  }

  @Test
  void anApprovalOfAPlanThatChangedNoLongerCountsAndItsApproverMayApproveTheNewOne() {
    ApprovalRequest r = approvals.request(OPERATOR, PROD, "cluster.stop", "drill").request();
    RequestId id = new RequestId(r.id());
    assertThat(r.plan().summary()).isEqualTo("3/3 reachable · 3 observers running · 0 warnings");
    assertThat(approvals.approve(APPROVER1, id, r.plan().shortHash()).approvals()).isEqualTo(1);

    Hosts.unreachable.add("10.1.0.6");
    ApprovalRequest refreshed = approvals.refreshPlan(APPROVER2, id);

    assertThat(refreshed.plan().version()).isEqualTo(2);
    assertThat(refreshed.plan().summary())
        .isEqualTo("2/3 reachable · 2 observers running · 1 warning");
    assertThat(refreshed.approvals()).isZero(); // approver1 approved another plan
    Refusal stale = refusal(() -> approvals.approve(APPROVER2, id, r.plan().shortHash()));
    assertThat(stale).isInstanceOf(Refusal.PlanChanged.class);

    String now = refreshed.plan().shortHash();
    assertThat(approvals.approve(APPROVER1, id, now).approvals()).isEqualTo(1);
    ApprovalRequest approved = approvals.approve(APPROVER2, id, now);

    assertThat(approved.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(approved.decisions()) // approver1's approval moved to the new plan
        .extracting(ApprovalRequest.Decision::principal, ApprovalRequest.Decision::planHash)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("api:approver1", refreshed.plan().hash()),
            org.assertj.core.groups.Tuple.tuple("api:approver2", refreshed.plan().hash()));
  }

  @Test
  void restRefreshesThePlanAndApprovesItByItsHash() {
    ApprovalRequest r =
        approvals.request(OPERATOR, new ClusterId(1), "cluster.stop", "x").request();
    Http http = new Http(port);
    Hosts.unreachable.add("10.0.0.5");

    JsonNode refreshed =
        http.send(
                "POST",
                "/api/v2/approvals/" + r.id() + "/refresh",
                TestTokens.token("approver1"),
                null)
            .json()
            .get("data")
            .get("plan");
    assertThat(refreshed.get("version").asInt()).isEqualTo(2);
    assertThat(refreshed.get("summary").asString()).startsWith("1/2 reachable");
    JsonNode first = refreshed.get("servers").get(0); // anomalies first
    assertThat(first.get("address").asString()).isEqualTo("10.0.0.5:2882");
    assertThat(first.get("anomalies").get(0).get("kind").asString()).isEqualTo("UNREACHABLE");

    Http.Response malformed =
        http.send(
            "POST",
            "/api/v2/approvals/" + r.id() + "/approve",
            TestTokens.token("approver1"),
            "{\"planHash\":\"not-a-hash\"}");
    assertThat(malformed.status()).isEqualTo(400);
    Http.Response ok =
        http.send(
            "POST",
            "/api/v2/approvals/" + r.id() + "/approve",
            TestTokens.token("approver1"),
            "{\"planHash\":\"" + refreshed.get("planHash").asString() + "\"}");
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(ok.json().get("data").get("state").asString()).isEqualTo("APPROVED");
    assertThat(ok.json().get("data").get("decisions").get(0).get("planHash").asString())
        .isEqualTo(refreshed.get("planHash").asString());
  }
}
