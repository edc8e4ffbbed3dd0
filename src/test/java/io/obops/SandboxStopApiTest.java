package io.obops;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.cluster.ObServer;
import io.obops.sandbox.Sandbox;
import io.obops.task.TaskEngine;
import io.obops.testsupport.OcpSample;
import io.obops.testsupport.PostgresSpringTest;
import io.obops.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The whole application with the sandbox enabled: a stop requested and approved over REST by two
 * people really stops every sandbox observer over SSH, a start brings them back the same way, and
 * the tasks are served in OCP's shape.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@DirtiesContext
class SandboxStopApiTest extends PostgresSpringTest {

  @DynamicPropertySource
  static void sandbox(DynamicPropertyRegistry registry) {
    registry.add("obops.sandbox.enabled", () -> "true");
    registry.add("obops.sandbox.zones", () -> "3");
    registry.add("obops.sandbox.servers-per-zone", () -> "2");
  }

  @LocalServerPort int port;
  @Autowired TaskEngine engine;
  @Autowired Sandbox sandbox;

  private final HttpClient http = HttpClient.newHttpClient();

  private JsonNode call(String as, String method, String path, String body, int expected)
      throws Exception {
    return OcpSample.JSON.readTree(send(as, method, path, body, expected).body());
  }

  private HttpResponse<String> send(
      String as, String method, String path, String body, int expected) throws Exception {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + TestTokens.token(as))
                .header("Content-Type", "application/json")
                .method(
                    method,
                    body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
    return response;
  }

  @Test
  void aStopThenAStartEachApprovedByASecondPersonStopAndBringBackEverySandboxObserverOverSsh()
      throws Exception {
    assertThat(sandbox.servers()).hasSize(6).allMatch(sandbox::isObserverRunning);

    HttpResponse<String> stop =
        send("operator2", "POST", "/api/v2/ob/clusters/1/stop", "{\"reason\":\"drill\"}", 200);
    long taskId = OcpSample.JSON.readTree(stop.body()).get("data").get("id").asLong();
    String requestId = stop.headers().firstValue("X-Obops-Approval-Request").orElseThrow();
    engine.runUntilIdle();
    assertThat(sandbox.servers()).allMatch(sandbox::isObserverRunning); // gated: nothing ran
    JsonNode approved =
        call("approver1", "POST", "/api/v2/approvals/" + requestId + "/approve", null, 200);
    assertThat(approved.get("data").get("taskId").asLong()).isEqualTo(taskId);
    engine.runUntilIdle();

    JsonNode task = call("viewer", "GET", "/api/v2/tasks/instances/" + taskId, null, 200);
    OcpSample.assertSameShape(task, OcpSample.stopClusterResponse(), "$");
    assertThat(task.get("data").get("status").asString()).isEqualTo("SUCCESSFUL");
    assertThat(task.get("data").get("tasks")).hasSize(30);
    for (ObServer s : sandbox.servers()) {
      assertThat(sandbox.isObserverRunning(s)).as(s.ip()).isFalse();
      assertThat(Files.exists(sandbox.pidFile(s))).as(s.ip()).isFalse();
    }
    JsonNode cluster = call("viewer", "GET", "/api/v2/ob/clusters/1", null, 200).get("data");
    assertThat(cluster.get("status").asString()).isEqualTo("STOPPED");
    assertThat(cluster.get("zones").get(0).get("servers").get(0).get("status").asString())
        .isEqualTo("PROCESS_STOPPED");

    // The way back: a start, gated the same way, brings every observer back over SSH.
    HttpResponse<String> start =
        send("operator2", "POST", "/api/v2/ob/clusters/1/start", "{\"reason\":\"back\"}", 200);
    long startId = OcpSample.JSON.readTree(start.body()).get("data").get("id").asLong();
    String startRequest = start.headers().firstValue("X-Obops-Approval-Request").orElseThrow();
    engine.runUntilIdle();
    assertThat(sandbox.servers()).noneMatch(sandbox::isObserverRunning); // gated: nothing ran
    call("approver1", "POST", "/api/v2/approvals/" + startRequest + "/approve", null, 200);
    engine.runUntilIdle();

    JsonNode started = call("viewer", "GET", "/api/v2/tasks/instances/" + startId, null, 200);
    OcpSample.assertSameShape(started, OcpSample.stopClusterResponse(), "$");
    assertThat(started.get("data").get("name").asString()).isEqualTo("Start OB cluster");
    assertThat(started.get("data").get("status").asString()).isEqualTo("SUCCESSFUL");
    for (ObServer s : sandbox.servers()) {
      assertThat(sandbox.isObserverRunning(s)).as(s.ip()).isTrue();
      assertThat(sandbox.isListening(s, s.mysqlPort())).as(s.ip()).isTrue();
      assertThat(sandbox.isListening(s, s.rpcPort())).as(s.ip()).isTrue();
    }
    JsonNode back = call("viewer", "GET", "/api/v2/ob/clusters/1", null, 200).get("data");
    assertThat(back.get("status").asString()).isEqualTo("RUNNING");
    assertThat(back.get("zones").get(0).get("servers").get(0).get("status").asString())
        .isEqualTo("RUNNING");
  }
}
