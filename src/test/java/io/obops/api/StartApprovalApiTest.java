package io.obops.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.testsupport.ApprovalSpringTest;
import io.obops.testsupport.OcpSample;
import io.obops.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code POST /api/v2/ob/clusters/{id}/start}: the same operations layer, approval flow and answer
 * as stop, under its own permission ({@code cluster.start}) and policy (approvals 0, 1 or N).
 */
class StartApprovalApiTest extends ApprovalSpringTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> as(String name, String method, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + TestTokens.token(name))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private void stopped(long clusterId) {
    jdbc.sql("update ob_cluster set status = 'STOPPED' where id = ?").param(clusterId).update();
    jdbc.sql("update ob_zone set status = 'STOPPED' where cluster_id = ?")
        .param(clusterId)
        .update();
    jdbc.sql("update ob_server set status = 'PROCESS_STOPPED' where cluster_id = ?")
        .param(clusterId)
        .update();
  }

  private static void assertRefused(HttpResponse<String> r, int status, String messagePart) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    JsonNode body = json(r);
    assertThat(body.get("successful").asBoolean()).isFalse();
    assertThat(body.get("error").get("message").asString()).contains(messagePart);
  }

  @Test
  void aStartAnswersLikeStopWithTheTaskGatedUntilASecondPersonApproves() throws Exception {
    stopped(1);

    HttpResponse<String> start =
        as("operator2", "POST", "/api/v2/ob/clusters/1/start", "{\"reason\":\"disk swapped\"}");

    assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
    OcpSample.assertSameShape(json(start), OcpSample.stopClusterResponse(), "$");
    JsonNode task = json(start).get("data");
    assertThat(task.get("name").asString()).isEqualTo("Start OB cluster");
    assertThat(task.get("status").asString()).isEqualTo("RUNNING");
    assertThat(task.get("tasks").get(0).get("name").asString()).isEqualTo("Prepare start cluster");
    task.get("tasks").forEach(s -> assertThat(s.get("status").asString()).isEqualTo("PENDING"));
    String context = task.get("context").toString();
    assertThat(context)
        .contains("cluster_name")
        .contains("cluster_id")
        .contains("server_ids")
        .contains("zone_names");
    long taskId = task.get("id").asLong();
    String id = start.headers().firstValue("X-Obops-Approval-Request").orElseThrow();
    JsonNode request = json(as("viewer", "GET", "/api/v2/approvals/" + id, null)).get("data");
    assertThat(request.get("action").asString()).isEqualTo("cluster.start");
    assertThat(request.get("state").asString()).isEqualTo("PENDING");

    assertRefused(as("operator2", "POST", "/api/v2/approvals/" + id + "/approve", null), 403, "");
    HttpResponse<String> approved =
        as("approver1", "POST", "/api/v2/approvals/" + id + "/approve", null);
    assertThat(json(approved).get("data").get("state").asString()).isEqualTo("APPROVED");

    JsonNode running = json(as("viewer", "GET", "/api/v2/tasks/instances/" + taskId, null));
    assertThat(running.get("data").get("tasks").get(0).get("status").asString()).isEqualTo("READY");
  }

  @Test
  void aStartNeedsTheStartPermissionNotTheStopOne() throws Exception {
    stopped(1);

    assertRefused(
        as("stopper", "POST", "/api/v2/ob/clusters/1/start", "{\"reason\":\"x\"}"),
        403,
        "cluster.start");
    assertRefused(
        as("viewer", "POST", "/api/v2/ob/clusters/1/start", "{\"reason\":\"x\"}"),
        403,
        "cluster.start");
  }

  @Test
  void anUnknownClusterIsNotFound() throws Exception {
    assertRefused(
        as("operator2", "POST", "/api/v2/ob/clusters/999999/start", "{\"reason\":\"x\"}"),
        404,
        "999999");
  }

  @Test
  void aRunningClusterIsRefusedBecauseAStartNeedsItStopped() throws Exception {
    assertRefused(
        as("operator2", "POST", "/api/v2/ob/clusters/1/start", "{\"reason\":\"x\"}"),
        409,
        "is RUNNING; a start needs it STOPPED");
  }

  @Test
  void aStoppedClusterCannotBeStoppedAgainAndTheAnswerSaysHowToStartIt() throws Exception {
    stopped(1);

    assertRefused(
        as("operator2", "POST", "/api/v2/ob/clusters/1/stop", "{\"reason\":\"x\"}"),
        409,
        "POST /api/v2/ob/clusters/1/start");
  }

  @Test
  void theStartPolicyOfAProductionClusterWantsTwoApprovers() throws Exception {
    stopped(2);
    HttpResponse<String> start =
        as("operator2", "POST", "/api/v2/ob/clusters/2/start", "{\"reason\":\"back\"}");
    String id = start.headers().firstValue("X-Obops-Approval-Request").orElseThrow();

    JsonNode one = json(as("approver1", "POST", "/api/v2/approvals/" + id + "/approve", null));
    assertThat(one.get("data").get("state").asString()).isEqualTo("PENDING");
    JsonNode two = json(as("approver2", "POST", "/api/v2/approvals/" + id + "/approve", null));
    assertThat(two.get("data").get("state").asString()).isEqualTo("APPROVED");
  }

  @Test
  void aPolicyOfNoApprovalsLetsTheStartRunAsRequested() throws Exception {
    editAccess(
        "  - action: cluster.start\n    approvals: 1\n",
        "  - action: cluster.start\n    approvals: 0\n");
    stopped(1);

    HttpResponse<String> start =
        as("operator2", "POST", "/api/v2/ob/clusters/1/start", "{\"reason\":\"back\"}");

    assertThat(start.statusCode()).as(start.body()).isEqualTo(200);
    String id = start.headers().firstValue("X-Obops-Approval-Request").orElseThrow();
    JsonNode request = json(as("viewer", "GET", "/api/v2/approvals/" + id, null)).get("data");
    assertThat(request.get("state").asString()).isEqualTo("APPROVED");
    long taskId = json(start).get("data").get("id").asLong();
    JsonNode task = json(as("viewer", "GET", "/api/v2/tasks/instances/" + taskId, null));
    assertThat(task.get("data").get("tasks").get(0).get("status").asString()).isEqualTo("READY");
    // the stop's policy is untouched: it still asks a second person
    jdbc.sql("update ob_cluster set status = 'RUNNING', operation_task_id = null where id = 3")
        .update();
    HttpResponse<String> stop =
        as("operator2", "POST", "/api/v2/ob/clusters/3/stop", "{\"reason\":\"x\"}");
    String stopId = stop.headers().firstValue("X-Obops-Approval-Request").orElseThrow();
    assertThat(
            json(as("viewer", "GET", "/api/v2/approvals/" + stopId, null))
                .get("data")
                .get("state")
                .asString())
        .isEqualTo("PENDING");
  }
}
