package io.obops.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.obcluster.StopClusterService;
import io.obops.task.Creator;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskEngine;
import io.obops.task.TaskInstance;
import io.obops.testsupport.OcpSample;
import io.obops.testsupport.PostgresSpringTest;
import io.obops.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class TaskApiTest extends PostgresSpringTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final String TIMESTAMP =
      "\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}\\+08:00";

  @LocalServerPort int port;
  @Autowired StopClusterService stops;
  @Autowired TaskEngine engine;

  @Autowired JdbcClient jdbc;

  private final HttpClient http = HttpClient.newHttpClient();

  /** Each test starts from a RUNNING cluster that no operation holds. */
  @BeforeEach
  void releaseTheCluster() {
    jdbc.sql("update ob_cluster set status = 'RUNNING', operation_task_id = null").update();
    jdbc.sql("update ob_zone set status = 'RUNNING'").update();
    jdbc.sql("update ob_server set status = 'RUNNING'").update();
  }

  private HttpResponse<String> call(String method, String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Authorization", "Bearer " + TestTokens.token("operator"))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aTaskIsServedInTheEnvelopeOfOcpsSampleKeyForKey(CapturedOutput output) throws Exception {
    TaskInstance task = stops.start(1, new Creator(100, "admin"));

    HttpResponse<String> response = call("GET", "/api/v2/tasks/instances/" + task.id());

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode body = JSON.readTree(response.body());
    OcpSample.assertSameShape(body, OcpSample.stopClusterResponse(), "$");
    assertThat(body.get("data").has("finishTime")).isFalse();
    assertThat(body.get("data").get("tasks")).hasSize(21); // 3 zones × 1 server
    assertThat(body.get("data").get("status").asString()).isEqualTo("RUNNING");
    assertThat(body.get("data").get("name").asString()).isEqualTo("Stop OB cluster");
    assertThat(body.get("data").get("cluster").get("name").asString()).isEqualTo("demo");
    assertThat(body.get("data").get("context").asString())
        .isEqualTo(
            "Context(parallelIdx=-1, stringMap={cluster_name=demo, cluster_id=1,"
                + " former_cluster_status=RUNNING}, listMap={server_ids=[1, 2, 3],"
                + " zone_names=[zone1, zone2, zone3]})");
    assertThat(body.get("data").get("startTime").asString()).matches(TIMESTAMP);
    assertThat(body.get("timestamp").asString()).matches(TIMESTAMP);
    assertThat(body.get("server").asString()).isEqualTo("obops-test");
    String traceId = body.get("traceId").asString();
    assertThat(traceId).matches("[0-9a-f]{16}");
    assertThat(response.headers().firstValue("X-Trace-Id")).contains(traceId);
    assertThat(output.getOut()).contains("[" + traceId + "]");
    List<Long> ids = new ArrayList<>();
    body.get("data").get("tasks").forEach(t -> ids.add(t.get("id").asLong()));
    assertThat(ids).isSorted();
  }

  @Test
  void aFinishedTaskAlsoCarriesItsFinishTimeInAlphabeticalPlace() throws Exception {
    TaskInstance task = stops.start(1, new Creator(100, "admin"));
    engine.runUntilIdle(); // fails at "Prepare stop observer": no remote executor here

    JsonNode data =
        JSON.readTree(call("GET", "/api/v2/tasks/instances/" + task.id()).body()).get("data");

    assertThat(data.get("status").asString()).isEqualTo("FAILED");
    assertThat(OcpSample.keys(data))
        .containsExactly(
            "cluster",
            "context",
            "creator",
            "finishTime",
            "id",
            "name",
            "startTime",
            "status",
            "tasks");
    assertThat(data.get("finishTime").asString()).matches(TIMESTAMP);
  }

  @Test
  void retryAndSkipFollowOcpsPreconditionsOverRest() throws Exception {
    TaskInstance task = stops.start(1, new Creator(100, "admin"));
    String base = "/api/v2/tasks/instances/" + task.id();

    HttpResponse<String> early = call("POST", base + "/retry");
    assertThat(early.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(early.body()).get("error").get("message").asString())
        .contains("is RUNNING: only a FAILED task can be retried");

    engine.runUntilIdle();
    SubtaskInstance failed =
        engine.client().find(task.id()).orElseThrow().subtasks().stream()
            .filter(s -> s.status() == SubtaskStatus.FAILED)
            .findFirst()
            .orElseThrow();

    HttpResponse<String> log = call("GET", base + "/subtasks/" + failed.id() + "/log");
    assertThat(log.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(log.body()).get("data").get("log").asString())
        .contains("FAILED: no remote executor configured");

    HttpResponse<String> skip = call("POST", base + "/subtasks/" + failed.id() + "/skip");
    assertThat(skip.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(skip.body()).get("data").isNull()).isTrue();
    assertThat(engine.client().find(task.id()).orElseThrow().status().name()).isEqualTo("RUNNING");

    HttpResponse<String> cancel = call("POST", base + "/subtasks/" + failed.id() + "/cancel");
    assertThat(cancel.statusCode()).isEqualTo(409);
    assertThat(JSON.readTree(cancel.body()).get("error").get("message").asString())
        .contains("only a RUNNING subtask can be cancelled");

    engine.runUntilIdle();
    HttpResponse<String> retry = call("POST", base + "/retry");
    assertThat(retry.statusCode()).isEqualTo(200);
    assertThat(JSON.readTree(retry.body()).get("data").get("status").asString())
        .isEqualTo("RUNNING");
  }

  @Test
  void errorsComeInOcpsErrorEnvelopeWithAMessageToActOnAndNoStackTrace() throws Exception {
    for (String[] c :
        new String[][] {
          {"GET", "/api/v2/tasks/instances/999999", "404", "task 999999 does not exist"},
          {"GET", "/api/v2/tasks/instances/12x", "400", "malformed id '12x'"},
          {"GET", "/api/v2/tasks/instances/1/subtasks/2/log", "404", "does not exist"},
          {"POST", "/api/v2/tasks/instances/999999/retry", "404", "task 999999 does not exist"},
          {"GET", "/api/v2/ob/clusters/77", "404", "cluster 77 does not exist"},
          {"GET", "/api/v2/nothing", "404", "no API at GET /api/v2/nothing"},
          {"DELETE", "/api/v2/ob/clusters/1", "405", "DELETE is not supported"},
        }) {
      HttpResponse<String> response = call(c[0], c[1]);
      assertThat(response.statusCode()).as(c[1]).isEqualTo(Integer.parseInt(c[2]));
      JsonNode body = JSON.readTree(response.body());
      assertThat(OcpSample.keys(body))
          .as(c[1])
          .containsExactly(
              "duration", "error", "server", "status", "successful", "timestamp", "traceId");
      assertThat(body.get("successful").asBoolean()).isFalse();
      assertThat(body.get("status").asInt()).isEqualTo(Integer.parseInt(c[2]));
      assertThat(body.get("error").get("message").asString()).as(c[1]).contains(c[3]);
      assertThat(response.body()).doesNotContain("Exception").doesNotContain("at io.obops");
    }
  }

  @Test
  void clustersAreListedAndShownWithZonesServersAndStatuses() throws Exception {
    JsonNode list = JSON.readTree(call("GET", "/api/v2/ob/clusters").body()).get("data");
    assertThat(list.get("contents")).hasSize(1);
    assertThat(list.get("page").get("totalElements").asInt()).isEqualTo(1);

    JsonNode one = JSON.readTree(call("GET", "/api/v2/ob/clusters/1").body()).get("data");
    assertThat(one.get("name").asString()).isEqualTo("demo");
    assertThat(one.get("zones")).hasSize(3);
    assertThat(one.get("zones").get(0).get("servers").get(0).get("sqlPort").asInt())
        .isEqualTo(2881);
  }
}
