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
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@ExtendWith(OutputCaptureExtension.class)
class StopApprovalApiTest extends ApprovalSpringTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> call(String method, String path, String token, String body)
      throws Exception {
    var builder =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Content-Type", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      builder.header("Authorization", "Bearer " + token);
    }
    return http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> as(String name, String method, String path, String body)
      throws Exception {
    return call(method, path, TestTokens.token(name), body);
  }

  private static JsonNode json(HttpResponse<String> response) {
    return JSON.readTree(response.body());
  }

  private static void assertOcpError(HttpResponse<String> r, int status, String messagePart) {
    JsonNode body = json(r);
    assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
    assertThat(body.get("successful").asBoolean()).isFalse();
    assertThat(body.get("status").asInt()).isEqualTo(status);
    assertThat(body.get("error").get("code").asInt()).isEqualTo(status);
    assertThat(body.get("error").get("message").asString()).contains(messagePart);
    assertThat(body.get("traceId").asString()).isNotBlank();
  }

  @Test
  void requestsWithoutAValidTokenGet401InOcpsErrorEnvelope() throws Exception {
    assertOcpError(
        call("POST", "/api/v2/ob/clusters/1/stop", null, "{\"reason\":\"x\"}"),
        401,
        "send the header 'Authorization: Bearer <token>'");
    assertOcpError(
        call("GET", "/api/v2/approvals", "not-a-token", null), 401, "the API token is not valid");
    assertOcpError(call("GET", "/api/v2/tasks/instances/1", null, null), 401, "no API token");
    assertOcpError(call("GET", "/api/v2/audit", null, null), 401, "no API token");
    assertOcpError(call("GET", "/api/v2/no/such/path", null, null), 401, "no API token");
    assertThat(call("GET", "/actuator/health", null, null).statusCode()).isEqualTo(200);
  }

  @Test
  void aStopAnswersLikeOcpWithTheTaskWaitingForItsApprovalAndTheRequestInAHeader()
      throws Exception {
    HttpResponse<String> stop =
        as("operator2", "POST", "/api/v2/ob/clusters/1/stop", "{\"reason\":\"kernel upgrade\"}");

    assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
    OcpSample.assertSameShape(json(stop), OcpSample.stopClusterResponse(), "$");
    JsonNode task = json(stop).get("data");
    assertThat(task.get("name").asString()).isEqualTo("Stop OB cluster");
    assertThat(task.get("status").asString()).isEqualTo("RUNNING");
    assertThat(task.get("creator").get("name").asString()).isEqualTo("api:operator2");
    task.get("tasks").forEach(s -> assertThat(s.get("status").asString()).isEqualTo("PENDING"));
    long taskId = task.get("id").asLong();
    long id = Long.parseLong(stop.headers().firstValue("X-Obops-Approval-Request").orElseThrow());

    JsonNode pending = json(as("viewer", "GET", "/api/v2/approvals?state=PENDING", null));
    JsonNode first = pending.get("data").get("contents").get(0);
    assertThat(first.get("id").asLong()).isEqualTo(id);
    assertThat(first.get("taskId").asLong()).isEqualTo(taskId);
    assertThat(first.get("requesterSurface").asString()).isEqualTo("api");
    assertThat(first.get("expireTime").asString()).endsWith("+08:00");
    assertThat(first.get("parameters").get("servers").get(0).get("address").asString())
        .isEqualTo("10.0.0.5:2882");
    assertThat(pending.get("data").get("page").get("totalElements").asLong()).isEqualTo(1);
    // An OCP client polling the task sees it wait...
    JsonNode waiting = json(as("viewer", "GET", "/api/v2/tasks/instances/" + taskId, null));
    assertThat(waiting.get("data").get("tasks").get(0).get("status").asString())
        .isEqualTo("PENDING");

    HttpResponse<String> approved =
        as("approver1", "POST", "/api/v2/approvals/" + id + "/approve", null);
    assertThat(approved.statusCode()).as(approved.body()).isEqualTo(200);
    assertThat(json(approved).get("data").get("state").asString()).isEqualTo("APPROVED");
    assertThat(json(approved).get("data").get("taskId").asLong()).isEqualTo(taskId);

    // ...then run.
    JsonNode running = json(as("viewer", "GET", "/api/v2/tasks/instances/" + taskId, null));
    assertThat(running.get("data").get("tasks").get(0).get("status").asString()).isEqualTo("READY");
  }

  @Test
  void aRejectedStopEndsItsTaskFailedWithTheReasonInTheFirstSubtasksLog() throws Exception {
    HttpResponse<String> stop =
        as("operator2", "POST", "/api/v2/ob/clusters/1/stop", "{\"reason\":\"drill\"}");
    long taskId = json(stop).get("data").get("id").asLong();
    long first = json(stop).get("data").get("tasks").get(0).get("id").asLong();
    String id = stop.headers().firstValue("X-Obops-Approval-Request").orElseThrow();

    as("approver1", "POST", "/api/v2/approvals/" + id + "/reject", "{\"comment\":\"not now\"}");

    JsonNode task = json(as("viewer", "GET", "/api/v2/tasks/instances/" + taskId, null));
    assertThat(task.get("data").get("status").asString()).isEqualTo("FAILED");
    JsonNode log =
        json(
            as(
                "viewer",
                "GET",
                "/api/v2/tasks/instances/" + taskId + "/subtasks/" + first + "/log",
                null));
    assertThat(log.get("data").get("log").asString())
        .contains("request #" + id + " rejected by api:approver1: not now");
    assertOcpError(
        as("operator", "POST", "/api/v2/tasks/instances/" + taskId + "/retry", null),
        409,
        "never runs");
  }

  @Test
  void aRequestOnlyCallHasItsOwnPathAndAnswers202WithTheRequest() throws Exception {
    HttpResponse<String> r =
        as(
            "operator2",
            "POST",
            "/api/v2/approvals",
            "{\"action\":\"cluster.stop\",\"clusterId\":1,\"reason\":\"kernel upgrade\"}");

    assertThat(r.statusCode()).as(r.body()).isEqualTo(202);
    JsonNode data = json(r).get("data");
    assertThat(data.get("state").asString()).isEqualTo("PENDING");
    assertThat(data.get("requester").asString()).isEqualTo("api:operator2");
    assertThat(data.get("cluster").get("name").asString()).isEqualTo("demo");
    assertThat(r.headers().firstValue("X-Obops-Approval-Request"))
        .contains(String.valueOf(data.get("id").asLong()));
    assertThat(data.get("taskId").asLong()).isPositive();
  }

  @Test
  void refusalsAre403_404_409And422WithAMessageSayingWhatToDo() throws Exception {
    assertOcpError(
        as("viewer", "POST", "/api/v2/ob/clusters/1/stop", "{\"reason\":\"x\"}"),
        403,
        "api:viewer lacks cluster.stop on cluster 1 (demo); ask an administrator");
    assertOcpError(
        as("operator", "POST", "/api/v2/ob/clusters/99/stop", "{\"reason\":\"x\"}"),
        404,
        "cluster 99 does not exist");
    assertOcpError(
        as("operator", "POST", "/api/v2/ob/clusters/1/stop", "{}"), 422, "a reason is required");
    assertOcpError(as("operator", "GET", "/api/v2/approvals/424242", null), 404, "does not exist");

    long id =
        Long.parseLong(
            as("operator", "POST", "/api/v2/ob/clusters/1/stop", "{\"reason\":\"x\"}")
                .headers()
                .firstValue("X-Obops-Approval-Request")
                .orElseThrow());
    assertOcpError(
        as("operator2", "POST", "/api/v2/ob/clusters/1/stop", "{\"reason\":\"y\"}"),
        409,
        "already has a pending stop request #" + id);
    assertOcpError(
        as("operator", "POST", "/api/v2/approvals/" + id + "/approve", null),
        403,
        "so you can't approve it");
    assertOcpError(
        as("viewer", "POST", "/api/v2/approvals/" + id + "/approve", null),
        403,
        "lacks approval.decide");
    HttpResponse<String> rejected =
        as("approver2", "POST", "/api/v2/approvals/" + id + "/reject", "{\"comment\":\"not now\"}");
    assertThat(json(rejected).get("data").get("state").asString()).isEqualTo("REJECTED");
    assertOcpError(
        as("approver1", "POST", "/api/v2/approvals/" + id + "/approve", null),
        409,
        "is already REJECTED");
  }

  @Test
  void taskOperationsNeedTaskManageAndAHiddenTaskDoesNotExist() throws Exception {
    HttpResponse<String> stop =
        as("operator", "POST", "/api/v2/ob/clusters/1/stop", "{\"reason\":\"x\"}");
    long taskId = json(stop).get("data").get("id").asLong();

    assertOcpError(
        as("approver2", "POST", "/api/v2/tasks/instances/" + taskId + "/retry", null),
        403,
        "api:approver2 lacks task.manage on cluster 1 (demo)");
    assertOcpError(
        as("nobody", "GET", "/api/v2/tasks/instances/" + taskId, null),
        404,
        "task " + taskId + " does not exist");
    // An operator may, but a task waiting for its approval has nothing to retry.
    assertOcpError(
        as("operator", "POST", "/api/v2/tasks/instances/" + taskId + "/retry", null),
        409,
        "waits for its approval");
  }

  @Test
  void theClusterListShowsOnlyTheClustersTheCallerMayView() throws Exception {
    JsonNode all = json(as("viewer", "GET", "/api/v2/ob/clusters", null)).get("data");
    assertThat(all.get("contents")).hasSize(3);

    // staging-only is bound to clusters tagged staging: stage1 only.
    JsonNode staging = json(as("staging-only", "GET", "/api/v2/ob/clusters", null)).get("data");
    assertThat(staging.get("contents")).hasSize(1);
    assertThat(staging.get("contents").get(0).get("name").asString()).isEqualTo("stage1");

    JsonNode none = json(as("nobody", "GET", "/api/v2/ob/clusters", null)).get("data");
    assertThat(none.get("contents")).isEmpty();
    assertThat(none.get("page").get("totalElements").asInt()).isZero();
  }

  @Test
  void tokensNeverAppearInLogsOrResponses(CapturedOutput output) throws Exception {
    HttpResponse<String> ok = as("operator", "GET", "/api/v2/approvals", null);
    HttpResponse<String> bad = call("GET", "/api/v2/approvals", "secret-looking-token", null);

    for (String name : TestTokens.NAMES) {
      assertThat(output.getAll()).doesNotContain(TestTokens.token(name));
    }
    assertThat(output.getAll()).doesNotContain("secret-looking-token");
    assertThat(output.getAll()).doesNotContain("security password");
    assertThat(ok.body()).doesNotContain(TestTokens.token("operator"));
    assertThat(bad.body()).doesNotContain("secret-looking-token");
  }
}
