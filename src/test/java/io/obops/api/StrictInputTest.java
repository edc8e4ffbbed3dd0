package io.obops.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.testsupport.ApprovalSpringTest;
import io.obops.testsupport.Http;
import io.obops.testsupport.OcpSample;
import io.obops.testsupport.TestTokens;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Bad input is a 400 in OCP's error envelope, never a 5xx and never another object: every spelling
 * of an id but the one the codec accepts, in every place an id goes, sent by a principal that may
 * do everything; pages and sizes out of bounds; control characters and bidi overrides in free text;
 * JSON bodies with unknown fields or of the wrong shape. Nothing changes.
 */
class StrictInputTest extends ApprovalSpringTest {

  @LocalServerPort int port;
  private Http http;
  private final String operator = TestTokens.token("operator");

  @BeforeEach
  void client() {
    http = new Http(port);
  }

  /**
   * Spellings of an id that must never reach an object (they would all be 1 or 1000 if they did).
   */
  static final List<String> MALFORMED_IDS =
      List.of(
          "+1",
          "%2B1",
          "%31",
          "%2531",
          "01",
          "001",
          "0",
          "-1",
          "-0",
          "0x3E8",
          "0X3e8",
          "1e3",
          "1E3",
          "1.0",
          "1,0",
          "1_0",
          "%201",
          "1%20",
          "%091",
          "99999999999999999999",
          "9223372036854775808",
          "18446744073709551617",
          "1;x=1",
          "1;",
          "1%3B",
          "%00",
          "1%00",
          "%0A1",
          "%EF%BC%91",
          "%D9%A1",
          "%E2%80%AE1",
          "one",
          "1abc",
          "1.",
          ".1",
          "1%2F",
          "%2e%2e",
          "..",
          "1%5C");

  /** Every endpoint with an id in its path, with {id} (and {sid}) to fill in. */
  static final List<String> ID_ENDPOINTS =
      List.of(
          "GET /api/v2/ob/clusters/{id}",
          "POST /api/v2/ob/clusters/{id}/stop",
          "GET /api/v2/tasks/instances/{id}",
          "POST /api/v2/tasks/instances/{id}/retry",
          "GET /api/v2/tasks/instances/{id}/subtasks/10000/log",
          "GET /api/v2/tasks/instances/1000/subtasks/{id}/log",
          "POST /api/v2/tasks/instances/1000/subtasks/{id}/retry",
          "POST /api/v2/tasks/instances/{id}/subtasks/10000/skip",
          "POST /api/v2/tasks/instances/1000/subtasks/{id}/cancel",
          "GET /api/v2/approvals/{id}",
          "POST /api/v2/approvals/{id}/approve",
          "POST /api/v2/approvals/{id}/reject",
          "POST /api/v2/approvals/{id}/cancel");

  static Stream<Arguments> malformedIdsEverywhere() {
    var all = new ArrayList<Arguments>();
    for (String endpoint : ID_ENDPOINTS) {
      for (String id : MALFORMED_IDS) {
        all.add(Arguments.of(endpoint, id));
      }
    }
    return all.stream();
  }

  private long count(String table) {
    return jdbc.sql("select count(*) from " + table).query(Long.class).single();
  }

  private long successes() {
    return jdbc.sql("select count(*) from audit_event where outcome <> 'REFUSED'")
        .query(Long.class)
        .single();
  }

  private static void assertBadRequest(Http.Response r, String what) {
    assertThat(r.status()).as(what + " -> " + r.body()).isEqualTo(400);
    assertThat(r.contentType()).as(what).startsWith("application/json");
    assertThat(OcpSample.keys(r.json()))
        .as(what)
        .containsExactly(
            "duration", "error", "server", "status", "successful", "timestamp", "traceId");
    assertThat(r.json().get("error").get("code").asInt()).isEqualTo(400);
    assertThat(r.body()).doesNotContain("Exception", "at io.obops");
  }

  @ParameterizedTest(name = "{0} with id {1}")
  @MethodSource("malformedIdsEverywhere")
  void everyOtherSpellingOfAnIdIsA400AndChangesNothing(String endpoint, String id) {
    String[] parts = endpoint.split(" ");
    long requests = count("approval_request");
    long tasks = count("task_instance");
    long audited = successes();

    Http.Response r = http.raw(parts[0], parts[1].replace("{id}", id), operator);

    assertBadRequest(r, endpoint + " " + id);
    assertThat(count("approval_request")).isEqualTo(requests);
    assertThat(count("task_instance")).isEqualTo(tasks);
    assertThat(successes()).isEqualTo(audited);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "/api/v2/ob/clusters/1/",
        "/api/v2/ob/clusters//1",
        "/api/v2//ob/clusters/1",
        "/api/v2/ob/clusters/./1",
        "/api/v2/ob/clusters/../clusters/1",
        "/api/v2/ob/clusters/1/stop/",
        "/api/v2/tasks/instances/1000/",
        "/api/v2/ob/%63lusters/1",
        "/api/v2/ob/clusters;jsessionid=1/1"
      })
  void pathsThatAreNotPlainAreA400(String path) {
    assertBadRequest(http.raw("GET", path, operator), path);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "page=0",
        "page=-1",
        "page=+1",
        "page=01",
        "page=%2B1",
        "page=1000001",
        "page=2147483647",
        "page=2147483648",
        "page=99999999999999999999",
        "page=",
        "page=one",
        "page=1.5",
        "size=0",
        "size=2001",
        "size=50000",
        "size=-5",
        "size=",
        "size=0x10",
        "state=BOGUS",
        "state=",
        "state=PENDING%00"
      })
  void pagesSizesAndStatesOutsideTheirBoundsAreA400(String query) {
    assertBadRequest(http.send("GET", "/api/v2/approvals?" + query, operator, null), query);
    if (!query.startsWith("state")) {
      assertBadRequest(http.send("GET", "/api/v2/audit?" + query, operator, null), query);
      assertBadRequest(http.send("GET", "/api/v2/ob/clusters?" + query, operator, null), query);
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "clusterId=01",
        "clusterId=%2B1",
        "clusterId=99999999999999999999",
        "requestId=0",
        "requestId=1e3",
        "principal=api%3Aop%00",
        "principal=nobody",
        "principal=api:",
        "from=yesterday",
        "from=2026-03-02",
        "to=2026-13-02T10:00:00%2B08:00",
        "to=2026-03-02T10:00:00"
      })
  void auditFiltersAreParsedStrictly(String query) {
    assertBadRequest(http.send("GET", "/api/v2/audit?" + query, operator, null), query);
    assertBadRequest(http.send("GET", "/api/v2/audit/export?" + query, operator, null), query);
  }

  @org.junit.jupiter.api.Test
  void theLastPageAndAnOffsetWithASpaceForItsPlusAreFine() {
    assertThat(http.send("GET", "/api/v2/approvals?page=1000000&size=100", operator, null).status())
        .isEqualTo(200);
    assertThat(
            http.send("GET", "/api/v2/audit?from=2026-03-02T10:00:00+08:00", operator, null)
                .status())
        .isEqualTo(200);
  }

  /** Free text with a character people can't see (or that rewrites what they see). */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\\u0000",
        "\\u0001",
        "\\u0007",
        "\\u001b[31m",
        "\\u007f",
        "\\u0085",
        "\\t",
        "\\r",
        "\\u202e",
        "\\u202a",
        "\\u2066",
        "\\u2069",
        "\\u200f",
        "\\u061c",
        "\\u2028",
        "\\u2029",
        "\\ufeff",
        "\\ufffe",
        "\\ud800",
        "\\udc00x"
      })
  void controlCharactersAndBidiOverridesInAReasonOrCommentAreA400(String escaped) {
    String text = "disk " + escaped + " swap";
    long tasks = count("task_instance");

    assertBadRequest(
        http.send("POST", "/api/v2/ob/clusters/1/stop", operator, "{\"reason\":\"" + text + "\"}"),
        "reason " + escaped);
    assertBadRequest(
        http.send(
            "POST", "/api/v2/approvals", operator, "{\"clusterId\":1,\"reason\":\"" + text + "\"}"),
        "request reason " + escaped);

    assertThat(count("task_instance")).isEqualTo(tasks);
    String id =
        http.send("POST", "/api/v2/ob/clusters/1/stop", operator, "{\"reason\":\"ok\"}")
            .approvalHeader();
    assertBadRequest(
        http.send(
            "POST",
            "/api/v2/approvals/" + id + "/reject",
            TestTokens.token("approver1"),
            "{\"comment\":\"" + text + "\"}"),
        "comment " + escaped);
    assertThat(requestState(id)).isEqualTo("PENDING");
  }

  private String requestState(String id) {
    return jdbc.sql("select state from approval_request where id = ?")
        .param(Long.parseLong(id))
        .query(String.class)
        .single();
  }

  @org.junit.jupiter.api.Test
  void aNewlineIsFineAndTheOneLengthLimitHoldsForReasonsAndComments() {
    Http.Response ok =
        http.send(
            "POST",
            "/api/v2/ob/clusters/1/stop",
            operator,
            "{\"reason\":\"line one\\r\\nline two\"}");
    assertThat(ok.status()).as(ok.body()).isEqualTo(200);
    assertThat(
            jdbc.sql("select reason from approval_request where id = ?")
                .param(Long.parseLong(ok.approvalHeader()))
                .query(String.class)
                .single())
        .isEqualTo("line one\nline two");

    String tooLong = "x".repeat(1001);
    assertBadRequest(
        http.send(
            "POST",
            "/api/v2/approvals/" + ok.approvalHeader() + "/reject",
            TestTokens.token("approver1"),
            "{\"comment\":\"" + tooLong + "\"}"),
        "long comment");
    assertThat(
            http.send(
                    "POST",
                    "/api/v2/approvals/" + ok.approvalHeader() + "/reject",
                    TestTokens.token("approver1"),
                    "{\"comment\":\"" + "y".repeat(1000) + "\"}")
                .status())
        .isEqualTo(200);
    assertBadRequest(
        http.send(
            "POST", "/api/v2/ob/clusters/2/stop", operator, "{\"reason\":\"" + tooLong + "\"}"),
        "long reason");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"reason\":\"x\",\"force\":true}",
        "{\"reason\":\"x\",\"Reason\":\"y\"}",
        "{\"reason\":5}",
        "{\"reason\":[\"x\"]}",
        "{\"reason\":{\"text\":\"x\"}}",
        "{\"reason\":\"x\"",
        "{reason:\"x\"}",
        "[\"x\"]",
        "\"x\"",
        "42",
        "{\"reason\":\"x\"}{\"reason\":\"y\"}",
        "{\"reason\":\"\\u00\"}",
        "\u0000"
      })
  void aBodyOfAnotherShapeIsA400(String body) {
    long tasks = count("task_instance");
    assertBadRequest(http.send("POST", "/api/v2/ob/clusters/1/stop", operator, body), body);
    assertThat(count("task_instance")).isEqualTo(tasks);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"clusterId\":\"01\",\"reason\":\"x\"}",
        "{\"clusterId\":\"+1\",\"reason\":\"x\"}",
        "{\"clusterId\":1.0,\"reason\":\"x\"}",
        "{\"clusterId\":-1,\"reason\":\"x\"}",
        "{\"clusterId\":0,\"reason\":\"x\"}",
        "{\"clusterId\":99999999999999999999,\"reason\":\"x\"}",
        "{\"clusterId\":true,\"reason\":\"x\"}",
        "{\"reason\":\"x\"}",
        "{\"clusterId\":1,\"action\":\"cluster.destroy\",\"reason\":\"x\"}",
        "{\"clusterId\":1,\"action\":\"CLUSTER.STOP\",\"reason\":\"x\"}",
        "{\"clusterId\":1,\"reason\":\"x\",\"approvals\":0}"
      })
  void aRequestBodyWithAMalformedClusterIdOrActionIsA400(String body) {
    long tasks = count("task_instance");
    assertBadRequest(http.send("POST", "/api/v2/approvals", operator, body), body);
    assertThat(count("task_instance")).isEqualTo(tasks);
  }
}
