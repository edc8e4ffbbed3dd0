package io.obops.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.access.Actor;
import io.obops.approval.ApprovalExpiry;
import io.obops.approval.ApprovalRequest;
import io.obops.core.ClusterId;
import io.obops.core.RequestId;
import io.obops.operations.ApprovalOperations;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskEngine;
import io.obops.testsupport.ApprovalSpringTest;
import io.obops.testsupport.TestTokens;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class AuditTrailTest extends ApprovalSpringTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired ApprovalOperations approvals;
  @Autowired ApprovalExpiry expiry;
  @Autowired TaskEngine engine;
  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> as(String name, String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + TestTokens.token(name))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** [action, outcome, principal, surface] of every event the viewer sees for the query. */
  private List<String> trail(String query) throws Exception {
    JsonNode data =
        JSON.readTree(as("viewer", "GET", "/api/v2/audit?size=100&" + query).body()).get("data");
    var rows = new ArrayList<String>();
    for (JsonNode e : data.get("contents")) {
      rows.add(
          e.get("action").asString()
              + " "
              + e.get("outcome").asString()
              + " "
              + e.get("principal").asString()
              + " "
              + e.get("surface").asString());
    }
    return rows;
  }

  private ApprovalRequest request(String token, long cluster, String reason) {
    return approvals
        .request(Actor.api(token), new ClusterId(cluster), "cluster.stop", reason)
        .request();
  }

  @Test
  void everyStepOfAStopAppearsInTheAuditLogWithItsPrincipalAndSurface() throws Exception {
    OffsetDateTime start = OffsetDateTime.now(clock);
    ApprovalRequest r = request("operator", 2, "rack move");
    RequestId id = new RequestId(r.id());
    assertThatThrownBy(() -> approvals.approve(Actor.api("operator"), id));
    approvals.approve(Actor.discord("31", Set.of("900")), id);
    long taskId = approvals.approve(Actor.web("erin"), id).taskId();
    engine.runUntilIdle(); // "Prepare stop observer" fails: no SSH executor in tests
    SubtaskInstance failed =
        engine.client().find(taskId).orElseThrow().subtasks().stream()
            .filter(s -> s.status() == SubtaskStatus.FAILED)
            .findFirst()
            .orElseThrow();
    assertThat(
            as(
                    "operator",
                    "POST",
                    "/api/v2/tasks/instances/" + taskId + "/subtasks/" + failed.id() + "/skip")
                .statusCode())
        .isEqualTo(200);
    engine.runUntilIdle();
    assertThat(as("operator", "POST", "/api/v2/tasks/instances/" + taskId + "/retry").statusCode())
        .isEqualTo(200);
    assertThat(as("viewer", "POST", "/api/v2/tasks/instances/" + taskId + "/retry").statusCode())
        .isEqualTo(403);

    List<String> trail =
        trail("clusterId=2&from=" + URLEncoder.encode(start.toString(), StandardCharsets.UTF_8));

    assertThat(trail)
        .contains(
            "approval.request PENDING api:operator api",
            "approval.approve REFUSED api:operator api",
            "approval.approve COUNTED discord-user:31 discord",
            "approval.approve COUNTED web:erin web",
            "approval.approved APPROVED web:erin web",
            "task.start STARTED web:erin web",
            "subtask.fail FAILED system system",
            "subtask.skip REQUESTED api:operator api",
            "subtask.skip SKIPPED system system",
            "task.finish FAILED system system",
            "task.retry REQUESTED api:operator api",
            "task.retry REFUSED api:viewer api");
    // Newest first.
    assertThat(trail.get(trail.size() - 1)).isEqualTo("approval.request PENDING api:operator api");
  }

  @Test
  void rejectionsCancellationsAndExpiriesAreAuditedToo() throws Exception {
    OffsetDateTime start = OffsetDateTime.now(clock);
    ApprovalRequest rejected = request("operator", 1, "a");
    approvals.reject(Actor.api("approver1"), new RequestId(rejected.id()), "not today");
    ApprovalRequest cancelled = request("operator", 1, "b");
    approvals.cancel(Actor.api("operator"), new RequestId(cancelled.id()));
    request("operator2", 1, "c");
    clock.advance(Duration.ofMinutes(16));
    expiry.expireDue();

    List<String> trail =
        trail("clusterId=1&from=" + URLEncoder.encode(start.toString(), StandardCharsets.UTF_8));

    assertThat(trail)
        .contains(
            "approval.reject REJECTED api:approver1 api",
            "approval.cancel CANCELLED api:operator api",
            "approval.request PENDING api:operator2 api",
            "approval.expire EXPIRED system system");
    assertThat(trail("principal=api:approver1&requestId=" + rejected.id()))
        .containsExactly("approval.reject REJECTED api:approver1 api");
    assertThat(
            trail("clusterId=1&to=" + URLEncoder.encode(start.toString(), StandardCharsets.UTF_8)))
        .doesNotContain("approval.reject REJECTED api:approver1 api");
  }

  @Test
  void aRefusalIsAuditedLikeAnActionWithItsClusterRequestTaskAndCode() throws Exception {
    ApprovalRequest r = request("operator", 1, "uniform");
    assertThatThrownBy(() -> approvals.approve(Actor.api("operator"), new RequestId(r.id())));
    assertThatThrownBy(() -> approvals.approve(Actor.api("nobody"), new RequestId(r.id())));
    assertThat(
            as("viewer", "POST", "/api/v2/tasks/instances/" + r.taskId() + "/retry").statusCode())
        .isEqualTo(403);

    var rows =
        jdbc.sql(
                "select principal, surface, action, outcome, cluster_id, request_id, task_id,"
                    + " detail from audit_event where outcome = 'REFUSED' and (request_id = ? or"
                    + " task_id = ?) order by id")
            .params(r.id(), r.taskId())
            .query(
                (rs, n) ->
                    rs.getString(1)
                        + " "
                        + rs.getString(2)
                        + " "
                        + rs.getString(3)
                        + " cluster="
                        + rs.getObject(5)
                        + " request="
                        + rs.getObject(6)
                        + " task="
                        + rs.getObject(7)
                        + " "
                        + rs.getString(8).substring(0, rs.getString(8).indexOf(':')))
            .list();
    assertThat(rows)
        .containsExactly(
            "api:operator api approval.approve cluster=1 request="
                + r.id()
                + " task="
                + r.taskId()
                + " OwnRequest",
            "api:nobody api approval.approve cluster=1 request="
                + r.id()
                + " task="
                + r.taskId()
                + " RequestNotFound",
            "api:viewer api task.retry cluster=1 request=null task="
                + r.taskId()
                + " NotPermitted");
  }

  @Test
  void theExportIsJsonLinesOfTheSameEventsOldestFirst() throws Exception {
    ApprovalRequest r = request("operator", 1, "export me");
    approvals.cancel(Actor.api("operator"), new RequestId(r.id()));

    HttpResponse<String> export = as("viewer", "GET", "/api/v2/audit/export?requestId=" + r.id());

    assertThat(export.statusCode()).isEqualTo(200);
    assertThat(export.headers().firstValue("Content-Type").orElseThrow())
        .startsWith("application/x-ndjson");
    List<String> lines = export.body().lines().toList();
    assertThat(lines).hasSize(2);
    assertThat(JSON.readTree(lines.get(0)).get("action").asString()).isEqualTo("approval.request");
    assertThat(JSON.readTree(lines.get(1)).get("action").asString()).isEqualTo("approval.cancel");
    assertThat(JSON.readTree(lines.get(1)).get("time").asString()).endsWith("+08:00");
  }

  @Test
  void aCallerWithoutViewOnAClusterSeesNoneOfItsEvents() throws Exception {
    ApprovalRequest r = request("operator", 1, "hidden");

    JsonNode page =
        JSON.readTree(as("nobody", "GET", "/api/v2/audit?requestId=" + r.id()).body()).get("data");

    assertThat(page.get("contents")).isEmpty();
    assertThat(page.get("page").get("totalElements").asLong()).isZero();
    assertThat(page.get("page").get("number").asInt()).isEqualTo(1);
  }
}
