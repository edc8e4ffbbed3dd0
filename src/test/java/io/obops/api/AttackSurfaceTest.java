package io.obops.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.access.Actor;
import io.obops.cluster.InventoryLoader;
import io.obops.core.ClusterId;
import io.obops.core.RequestId;
import io.obops.operations.ApprovalOperations;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import io.obops.testsupport.ApprovalSpringTest;
import io.obops.testsupport.Http;
import io.obops.testsupport.TestTokens;
import java.io.StringReader;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

/** What an attacker tries beyond bad ids: other methods, the error page, races, stale servers. */
class AttackSurfaceTest extends ApprovalSpringTest {

  @LocalServerPort int port;
  @Autowired ApprovalOperations approvals;
  @Autowired TaskEngine engine;
  @Autowired TaskClient tasks;
  private Http http;

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  private static String token(String name) {
    return TestTokens.token(name);
  }

  private static void assertEnvelope(Http.Response r, int status) {
    assertThat(r.status()).as(r.body()).isEqualTo(status);
    assertThat(r.json().get("successful").asBoolean()).isFalse();
    assertThat(r.json().get("error").get("code").asInt()).isEqualTo(status);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v2/ob/clusters",
        "/api/v2/ob/clusters/1",
        "/api/v2/ob/clusters/1/stop",
        "/api/v2/approvals/1/approve",
        "/api/v2/tasks/instances/1000/retry"
      })
  void optionsAndTraceAreRefusedWithAndWithoutAToken(String path) {
    assertEnvelope(http.raw("OPTIONS", path, null), 405);
    assertEnvelope(http.raw("OPTIONS", path, token("operator")), 405);
    assertThat(http.raw("TRACE", path, token("operator")).status()).isEqualTo(405);
  }

  @ParameterizedTest
  @ValueSource(strings = {"FOO", "PROPFIND", "CONNECT", "get"})
  void methodsNobodyUsesAreA4xxInTheEnvelope(String method) {
    Http.Response r = http.raw(method, "/api/v2/ob/clusters/1", token("operator"));
    assertThat(r.status()).as(method + " " + r.body()).isBetween(400, 499);
    assertThat(r.json().get("successful").asBoolean()).isFalse();
  }

  @Test
  void headAnswersAsGetWouldWithoutABody() {
    assertThat(http.raw("HEAD", "/api/v2/ob/clusters/1", token("viewer")).status()).isEqualTo(200);
    assertThat(http.raw("HEAD", "/api/v2/ob/clusters/1", token("nobody")).status()).isEqualTo(404);
    assertThat(http.raw("HEAD", "/api/v2/ob/clusters/1", null).status()).isEqualTo(401);
    assertThat(http.raw("HEAD", "/api/v2/ob/clusters/1", token("viewer")).body()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"application/xml", "text/html", "image/png", "*/*;q=0", "garbage"})
  void anAcceptHeaderWithoutJsonStillGetsA4xxEnvelopeNeverA5xx(String accept) {
    Http.Response missing =
        http.send(
            "GET",
            "/api/v2/ob/clusters/999999",
            token("operator"),
            null,
            java.util.Map.of("Accept", accept));
    assertThat(missing.status()).as(accept + " " + missing.body()).isBetween(400, 499);
    assertThat(missing.json().get("successful").asBoolean()).isFalse();
    Http.Response found =
        http.send(
            "GET",
            "/api/v2/ob/clusters/1",
            token("operator"),
            null,
            java.util.Map.of("Accept", accept));
    assertThat(found.status()).as(accept + " " + found.body()).isIn(200, 406);
  }

  @Test
  void theErrorPageCalledDirectlyIsNotFoundAndNeverA5xx() {
    assertEnvelope(http.raw("GET", "/error", token("operator")), 404);
    assertEnvelope(http.raw("POST", "/error", token("operator")), 404);
    assertEnvelope(http.raw("GET", "/error", null), 401);
  }

  @Test
  void aTokenInAnotherCaseOrWithPaddingIsNotAnotherPrincipal() {
    String t = token("operator");
    assertEnvelope(http.raw("GET", "/api/v2/ob/clusters/1", t.toUpperCase()), 401);
    assertEnvelope(http.raw("GET", "/api/v2/ob/clusters/1", t + "x"), 401);
    assertEnvelope(http.raw("GET", "/api/v2/ob/clusters/1", ""), 401);
  }

  @Test
  void anApproveRacingTheRequestersCancelEndsInOneStateAndOneGateMove() throws Exception {
    for (int round = 0; round < 10; round++) {
      var r = approvals.request(Actor.api("operator"), new ClusterId(1), "cluster.stop", "race");
      RequestId id = new RequestId(r.request().id());
      var pool = Executors.newFixedThreadPool(2);
      CountDownLatch go = new CountDownLatch(1);
      List<Callable<Object>> calls =
          List.of(
              () -> {
                go.await();
                return approvals.approve(Actor.api("approver1"), id);
              },
              () -> {
                go.await();
                return approvals.cancel(Actor.api("operator"), id);
              });
      List<Future<Object>> futures = new ArrayList<>();
      calls.forEach(c -> futures.add(pool.submit(c)));
      go.countDown();
      int ok = 0;
      for (Future<Object> f : futures) {
        try {
          f.get(30, TimeUnit.SECONDS);
          ok++;
        } catch (java.util.concurrent.ExecutionException e) {
          assertThat(e.getCause()).isInstanceOf(io.obops.core.Refused.class);
        }
      }
      pool.shutdown();
      assertThat(ok).isEqualTo(1);
      String state =
          jdbc.sql("select state from approval_request where id = ?")
              .param(id.value())
              .query(String.class)
              .single();
      String gate = tasks.gate(r.task().id()).name();
      assertThat(state + " " + gate).isIn("APPROVED OPEN", "CANCELLED REFUSED");
      // free the cluster for the next round
      jdbc.sql("update ob_cluster set operation_task_id = null where id = 1").update();
    }
  }

  @Test
  void aRetryOfAServerThatChangedSinceApprovalIsRefusedAndOneThatDidNotGoesAhead()
      throws Exception {
    var r = approvals.request(Actor.api("operator"), new ClusterId(1), "cluster.stop", "disks");
    approvals.approve(Actor.api("approver1"), new RequestId(r.request().id()));
    engine.runUntilIdle(); // both "Prepare stop observer" fail: no SSH in this test
    List<SubtaskInstance> failed =
        tasks.find(r.task().id()).orElseThrow().subtasks().stream()
            .filter(s -> s.status() == SubtaskStatus.FAILED)
            .toList();
    assertThat(failed).hasSize(2);
    // The file now says server 2 moved; the held cluster keeps its description until the task ends.
    inventory.sync(
        InventoryLoader.parse(
            "moved.yml",
            new StringReader(
                Files.readString(INVENTORY)
                    .replace("{ id: 2, ip: 10.0.0.6 }", "{ id: 2, ip: 10.0.0.66 }"))));
    String base = "/api/v2/tasks/instances/" + r.task().id();

    Http.Response moved =
        http.send(
            "POST", base + "/subtasks/" + failed.get(1).id() + "/retry", token("operator"), null);
    Http.Response all = http.send("POST", base + "/retry", token("operator"), null);
    Http.Response same =
        http.send(
            "POST", base + "/subtasks/" + failed.get(0).id() + "/retry", token("operator"), null);

    assertEnvelope(moved, 409);
    assertThat(moved.json().get("error").get("message").asString())
        .contains("server 2 (10.0.0.6:2882): ip 10.0.0.6 -> 10.0.0.66", "request the operation");
    assertEnvelope(all, 409);
    assertThat(same.status()).as(same.body()).isEqualTo(200);
    assertThat(inventory.server(2).orElseThrow().ip()).isEqualTo("10.0.0.6");
  }
}
