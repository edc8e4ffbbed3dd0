package io.obops.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.approval.ApprovalExpiry;
import io.obops.testsupport.ApprovalSpringTest;
import io.obops.testsupport.OcpSample;
import io.obops.testsupport.OcpSigner;
import io.obops.testsupport.OcpSigner.Call;
import io.obops.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * OCP's own clients against obops: requests signed with OCP's access-key scheme by a signer written
 * from the description ({@link OcpSigner}, sharing no code with the server), HTTP Basic API users,
 * and OCP's read views (clusters with their filters, zones, servers).
 */
@ExtendWith(OutputCaptureExtension.class)
class OcpClientApiTest extends ApprovalSpringTest {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  @LocalServerPort int port;
  @Autowired ApprovalExpiry expiry;
  private final HttpClient http = HttpClient.newHttpClient();

  private String host() {
    return "127.0.0.1:" + port;
  }

  private Call get(String path) {
    return Call.get(host(), path, clock.instant());
  }

  private Call post(String path, String json) {
    return Call.post(host(), path, json, clock.instant());
  }

  /** Signed with {@code name}'s access key, sent as signed. */
  private HttpResponse<String> signed(String name, Call call) throws Exception {
    return OcpSigner.signAndSend(
        http, port, call, TestTokens.accessKeyId(name), TestTokens.secret(name));
  }

  private HttpResponse<String> basic(String name, String password, String method, String path)
      throws Exception {
    String credentials =
        Base64.getEncoder()
            .encodeToString((name + ":" + password).getBytes(StandardCharsets.UTF_8));
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + host() + path))
            .method(method, HttpRequest.BodyPublishers.noBody())
            .header("Authorization", "Basic " + credentials)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> bearer(String name, String method, String path, String body)
      throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create("http://" + host() + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("Content-Type", "application/json")
            .header("Authorization", "Bearer " + TestTokens.token(name))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static JsonNode json(HttpResponse<String> r) {
    return JSON.readTree(r.body());
  }

  /** The field of every element, in order. */
  private static List<String> field(JsonNode elements, String name) {
    List<String> out = new ArrayList<>();
    elements.forEach(e -> out.add(e.get(name).asString()));
    return out;
  }

  private static JsonNode data(HttpResponse<String> r) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
    return json(r).get("data");
  }

  private static void assertUnauthorized(HttpResponse<String> r, String... messageParts) {
    assertThat(r.statusCode()).as(r.body()).isEqualTo(401);
    JsonNode body = json(r);
    assertThat(body.get("successful").asBoolean()).isFalse();
    assertThat(body.get("error").get("code").asInt()).isEqualTo(401);
    assertThat(body.get("error").get("message").asString()).contains(messageParts);
  }

  private long refusedSignIns(String principal) {
    return jdbc.sql(
            "select count(*) from audit_event where action = 'api.authenticate' and principal = ?")
        .param(principal)
        .query(Long.class)
        .single();
  }

  private String lastRefusedSignIn() {
    return jdbc.sql(
            "select principal || ' ' || outcome || ' ' || detail from audit_event where action ="
                + " 'api.authenticate' order by id desc limit 1")
        .query(String.class)
        .single();
  }

  // ------------------------------------------------------------------ reads, signed

  @Test
  void aSignedClientListsClustersWithOcpsFiltersSortAndPaging() throws Exception {
    JsonNode all = data(signed("viewer", get("/api/v2/ob/clusters")));
    assertThat(all.get("contents")).hasSize(3);

    Map<String, String> q = new LinkedHashMap<>();
    q.put("size", "2");
    q.put("page", "1");
    q.put("sort", "name,desc");
    JsonNode sorted = data(signed("viewer", get("/api/v2/ob/clusters").withQuery(q)));
    assertThat(field(sorted.get("contents"), "name")).containsExactly("stage1", "prod1");
    assertThat(sorted.get("page").get("totalElements").asInt()).isEqualTo(3);
    assertThat(sorted.get("page").get("totalPages").asInt()).isEqualTo(2);

    JsonNode named =
        data(signed("viewer", get("/api/v2/ob/clusters").withQuery(Map.of("name", "PROD"))));
    assertThat(field(named.get("contents"), "name")).containsExactly("prod1");

    jdbc.sql("update ob_cluster set status = 'STOPPED' where id = 3").update();
    JsonNode stopped =
        data(
            signed(
                "viewer",
                get("/api/v2/ob/clusters").withQuery(Map.of("status", "STOPPED,STOPPING"))));
    assertThat(field(stopped.get("contents"), "name")).containsExactly("stage1");
  }

  @Test
  void unknownFilterValuesAreRefusedNamingTheValuesThatWork() throws Exception {
    HttpResponse<String> status =
        signed("viewer", get("/api/v2/ob/clusters").withQuery(Map.of("status", "ASLEEP")));
    assertThat(status.statusCode()).isEqualTo(400);
    assertThat(json(status).get("error").get("message").asString())
        .contains("unknown status 'ASLEEP'", "RUNNING", "STOPPED");
    HttpResponse<String> sort =
        signed("viewer", get("/api/v2/ob/clusters").withQuery(Map.of("sort", "ip,asc")));
    assertThat(sort.statusCode()).isEqualTo(400);
    assertThat(json(sort).get("error").get("message").asString())
        .contains("unknown sort field 'ip'", "name");
    HttpResponse<String> size =
        signed("viewer", get("/api/v2/ob/clusters").withQuery(Map.of("size", "0")));
    assertThat(size.statusCode()).isEqualTo(400);
  }

  @Test
  void aSignedClientReadsZonesAndServersInOcpsShape() throws Exception {
    JsonNode zones = data(signed("viewer", get("/api/v2/ob/clusters/2/zones")));
    assertThat(field(zones.get("contents"), "name")).containsExactly("zone1", "zone2", "zone3");
    JsonNode zone1 = zones.get("contents").get(0);
    assertThat(zone1.get("clusterId").asLong()).isEqualTo(2);
    assertThat(zone1.get("serverCount").asInt()).isEqualTo(1);
    assertThat(zone1.get("status").asString()).isEqualTo("RUNNING");
    assertThat(zone1.get("servers").get(0).get("ip").asString()).isEqualTo("10.1.0.5");

    JsonNode servers = data(signed("viewer", get("/api/v2/ob/clusters/2/servers")));
    assertThat(servers.get("contents")).hasSize(3);
    assertThat(servers.get("contents").get(0).propertyNames())
        .containsExactly("clusterId", "id", "ip", "port", "sqlPort", "status", "zoneName");
    JsonNode first = servers.get("contents").get(0);
    assertThat(first.get("id").asLong()).isEqualTo(11);
    assertThat(first.get("ip").asString()).isEqualTo("10.1.0.5");
    assertThat(first.get("port").asInt()).isEqualTo(2882);
    assertThat(first.get("sqlPort").asInt()).isEqualTo(2881);
    assertThat(first.get("status").asString()).isEqualTo("RUNNING");
    assertThat(first.get("clusterId").asLong()).isEqualTo(2);
    assertThat(first.get("zoneName").asString()).isEqualTo("zone1");

    JsonNode paged =
        data(
            signed(
                "viewer",
                get("/api/v2/ob/clusters/2/servers").withQuery(Map.of("page", "2", "size", "2"))));
    assertThat(field(paged.get("contents"), "ip")).containsExactly("10.1.0.7");

    JsonNode zone2 = data(signed("viewer", get("/api/v2/ob/clusters/2/zones/zone2/servers")));
    assertThat(field(zone2.get("contents"), "ip")).containsExactly("10.1.0.6");

    HttpResponse<String> noZone =
        signed("viewer", get("/api/v2/ob/clusters/2/zones/zone9/servers"));
    assertThat(noZone.statusCode()).isEqualTo(400);
    assertThat(json(noZone).get("error").get("message").asString())
        .contains("unknown zone 'zone9'", "zone1, zone2, zone3");
  }

  // ------------------------------------------------------------------ the stop, signed

  @Test
  void aSignedStopAnswersWithTheTaskWhichWaitsForItsSignedApprovalThenRuns() throws Exception {
    HttpResponse<String> stop =
        signed(
            "operator",
            post("/api/v2/ob/clusters/1/stop", "{\"reason\": \"kernel upgrade\"}")
                .withOcpHeaders(Map.of("x-ocp-origin", "mcp-server")));

    assertThat(stop.statusCode()).as(stop.body()).isEqualTo(200);
    OcpSample.assertSameShape(json(stop), OcpSample.stopClusterResponse(), "$");
    JsonNode task = json(stop).get("data");
    assertThat(task.get("status").asString()).isEqualTo("RUNNING");
    assertThat(task.get("creator").get("name").asString()).isEqualTo("api:operator");
    task.get("tasks").forEach(s -> assertThat(s.get("status").asString()).isEqualTo("PENDING"));
    long taskId = task.get("id").asLong();
    String request = stop.headers().firstValue(ClusterController.APPROVAL_HEADER).orElseThrow();

    JsonNode waiting = data(signed("viewer", get("/api/v2/tasks/instances/" + taskId)));
    assertThat(waiting.get("tasks").get(0).get("status").asString()).isEqualTo("PENDING");

    // The operator may not approve its own request, whatever the scheme.
    assertThat(
            signed("operator", post("/api/v2/approvals/" + request + "/approve", null))
                .statusCode())
        .isEqualTo(403);
    JsonNode approved =
        data(signed("approver1", post("/api/v2/approvals/" + request + "/approve", null)));
    assertThat(approved.get("state").asString()).isEqualTo("APPROVED");

    JsonNode running = data(signed("viewer", get("/api/v2/tasks/instances/" + taskId)));
    assertThat(running.get("tasks").get(0).get("status").asString()).isEqualTo("READY");
  }

  @Test
  void anOcpClientPollingAStopWhoseApprovalExpiredSeesItFailWithTheReasonInTheFirstLog()
      throws Exception {
    HttpResponse<String> stop =
        signed("operator", post("/api/v2/ob/clusters/1/stop", "{\"reason\": \"drill\"}"));
    JsonNode task = data(stop);
    long taskId = task.get("id").asLong();
    long first = task.get("tasks").get(0).get("id").asLong();
    String request = stop.headers().firstValue(ClusterController.APPROVAL_HEADER).orElseThrow();

    clock.advance(Duration.ofMinutes(16));
    assertThat(expiry.expireDue()).isEqualTo(1);

    JsonNode failed = data(signed("viewer", get("/api/v2/tasks/instances/" + taskId)));
    assertThat(failed.get("status").asString()).isEqualTo("FAILED");
    JsonNode log =
        data(
            signed(
                "viewer",
                get("/api/v2/tasks/instances/" + taskId + "/subtasks/" + first + "/log")));
    assertThat(log.get("log").asString()).contains("request #" + request, "expired");
  }

  @Test
  void aSignedStateChangingRequestIsAcceptedOnceAndItsReplayRefused() throws Exception {
    Call stop = post("/api/v2/ob/clusters/1/stop", "{\"reason\": \"once\"}");
    String auth =
        OcpSigner.authorization(
            stop, TestTokens.accessKeyId("operator"), TestTokens.secret("operator"));

    assertThat(OcpSigner.send(http, port, stop, auth).statusCode()).isEqualTo(200);
    assertUnauthorized(OcpSigner.send(http, port, stop, auth), "replay", "sign each one afresh");
    assertThat(jdbc.sql("select count(*) from approval_request").query(Long.class).single())
        .isEqualTo(1);
    // Reads may be sent again within the window (pollers do).
    Call read = get("/api/v2/ob/clusters/1");
    String readAuth =
        OcpSigner.authorization(
            read, TestTokens.accessKeyId("viewer"), TestTokens.secret("viewer"));
    assertThat(OcpSigner.send(http, port, read, readAuth).statusCode()).isEqualTo(200);
    assertThat(OcpSigner.send(http, port, read, readAuth).statusCode()).isEqualTo(200);
  }

  @Test
  void aClientThatSignsItsOcpHeaderNamesInUpperCaseIsAcceptedAsWritten() throws Exception {
    HttpResponse<String> r =
        signed(
            "viewer",
            get("/api/v2/ob/clusters").withOcpHeaders(Map.of("X-OCP-Origin", "java-sdk")));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  @ParameterizedTest(name = "name={0}")
  @ValueSource(
      strings = {"a b", "a/b", "a+b", "d\u00e9mo", "~._-", "a=b&c", "%41", "*'()!", "prod1"})
  void queryValuesThatNeedEncodingAreSignedAndCheckedAlike(String name) throws Exception {
    Map<String, String> q = new LinkedHashMap<>();
    q.put("size", "5");
    q.put("name", name);
    HttpResponse<String> r = signed("viewer", get("/api/v2/ob/clusters").withQuery(q));
    assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
  }

  // ------------------------------------------------------------------ refused signatures

  static Stream<Arguments> tamperings() {
    return Stream.of(
        Arguments.of(
            "the query after signing",
            (UnaryOperator<Call>) c -> c.withQuery(Map.of("page", "1", "size", "3"))),
        Arguments.of(
            "the path after signing",
            (UnaryOperator<Call>) c -> c.withPath("/api/v2/ob/clusters/2")),
        Arguments.of(
            "an x-ocp header after signing",
            (UnaryOperator<Call>) c -> c.withOcpHeaders(Map.of("x-ocp-origin", "elsewhere"))),
        Arguments.of(
            "the Date after signing",
            (UnaryOperator<Call>) c -> c.shiftDate(Duration.ofSeconds(1))));
  }

  @ParameterizedTest(name = "changing {0} breaks the signature")
  @MethodSource("tamperings")
  void aRequestChangedAfterSigningIsRefusedAsABadSignature(String what, UnaryOperator<Call> change)
      throws Exception {
    Call signedCall =
        get("/api/v2/ob/clusters/1")
            .withQuery(Map.of("page", "1", "size", "2"))
            .withOcpHeaders(Map.of("x-ocp-origin", "mcp-server"));
    String auth =
        OcpSigner.authorization(
            signedCall, TestTokens.accessKeyId("viewer"), TestTokens.secret("viewer"));
    assertThat(OcpSigner.send(http, port, signedCall, auth).statusCode()).isEqualTo(200);

    assertUnauthorized(
        OcpSigner.send(http, port, change.apply(signedCall), auth),
        "OCP-ACCESS-KEY-HMACSHA1",
        "access key '" + TestTokens.accessKeyId("viewer") + "'",
        "bad signature");
  }

  @Test
  void aTamperedBodyIsRefusedAndTheStopIsNotRequested() throws Exception {
    Call signedCall = post("/api/v2/ob/clusters/1/stop", "{\"reason\": \"drill\"}");
    String auth =
        OcpSigner.authorization(
            signedCall, TestTokens.accessKeyId("operator"), TestTokens.secret("operator"));

    assertUnauthorized(
        OcpSigner.send(http, port, signedCall.withBody("{\"reason\": \"drill!\"}"), auth),
        "bad signature");
    assertThat(jdbc.sql("select count(*) from approval_request").query(Long.class).single())
        .isZero();
    assertThat(lastRefusedSignIn())
        .startsWith("api:operator REFUSED OCP-ACCESS-KEY-HMACSHA1: access key")
        .contains("bad signature")
        .doesNotContain(TestTokens.secret("operator"));
  }

  @Test
  void aWrongSecretIsRefusedAsABadSignatureAndAudited() throws Exception {
    long before = refusedSignIns("api:viewer");
    HttpResponse<String> r =
        OcpSigner.signAndSend(
            http, port, get("/api/v2/ob/clusters"), TestTokens.accessKeyId("viewer"), "not-it");
    assertUnauthorized(r, "bad signature", "with this key's secret");
    assertThat(refusedSignIns("api:viewer")).isEqualTo(before + 1);
  }

  @Test
  void anUnknownAccessKeyIsRefusedSayingSo() throws Exception {
    HttpResponse<String> r =
        OcpSigner.signAndSend(http, port, get("/api/v2/ob/clusters"), "AKNOSUCH", "whatever");
    assertUnauthorized(r, "access key 'AKNOSUCH'", "unknown access key", "obops.api.access-keys");
    assertThat(lastRefusedSignIn()).startsWith("unknown REFUSED").contains("AKNOSUCH");
  }

  @Test
  void aReplayOutsideFifteenMinutesOfTheServersClockIsRefusedAsStale() throws Exception {
    Call call = get("/api/v2/ob/clusters");
    String auth =
        OcpSigner.authorization(
            call, TestTokens.accessKeyId("viewer"), TestTokens.secret("viewer"));
    assertThat(OcpSigner.send(http, port, call, auth).statusCode()).isEqualTo(200);

    clock.advance(Duration.ofMinutes(14));
    assertThat(OcpSigner.send(http, port, call, auth).statusCode()).isEqualTo(200);
    clock.advance(Duration.ofMinutes(2));
    assertUnauthorized(
        OcpSigner.send(http, port, call, auth),
        "stale date",
        "16 minutes behind the server's clock",
        "sync the clock");

    // A client clock 16 minutes ahead is refused the same way.
    assertUnauthorized(
        signed(
            "viewer",
            get("/api/v2/ob/clusters")
                .withDate(OcpSigner.date(clock.instant().plusSeconds(16 * 60)))),
        "stale date",
        "ahead of");
  }

  static Stream<Arguments> badHeaders() {
    return Stream.of(
        Arguments.of("OCP-ACCESS-KEY-HMACSHA1 no-colon-here", "<accessKeyId>:<signature>"),
        Arguments.of("OCP-ACCESS-KEY-HMACSHA1 ", "<accessKeyId>:<signature>"),
        Arguments.of("Digest username=x", "must be 'Bearer <token>', 'Basic"),
        Arguments.of("Basic !!!", "'Basic <base64 of name:password>'"),
        Arguments.of("Basic " + Base64.getEncoder().encodeToString("nocolon".getBytes()), "Basic"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHeaders")
  void aMalformedAuthorizationHeaderIsA401SayingWhatTheHeaderMustBe(String header, String says)
      throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + host() + "/api/v2/ob/clusters"))
                .header("Authorization", header)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertUnauthorized(r, says);
  }

  @Test
  void aSignedRequestWithoutDateIsRefusedSayingToSendOne() throws Exception {
    Call call = get("/api/v2/ob/clusters").withDate("");
    String auth =
        OcpSigner.authorization(
            call, TestTokens.accessKeyId("viewer"), TestTokens.secret("viewer"));
    assertUnauthorized(OcpSigner.send(http, port, call.withDate(null), auth), "no Date header");
    assertUnauthorized(
        OcpSigner.send(http, port, call.withDate("yesterday"), auth), "not an RFC 1123 date");
  }

  // ------------------------------------------------------------------ Basic

  @Test
  void anApiUserReadsWithHttpBasicAndActsAsApiName() throws Exception {
    HttpResponse<String> r =
        basic("operator", TestTokens.password("operator"), "GET", "/api/v2/ob/clusters/1/zones");
    assertThat(data(r).get("contents")).hasSize(2);
    HttpResponse<String> stop =
        http.send(
            HttpRequest.newBuilder(URI.create("http://" + host() + "/api/v2/ob/clusters/1/stop"))
                .POST(HttpRequest.BodyPublishers.ofString("{\"reason\":\"basic\"}"))
                .header("Content-Type", "application/json")
                .header(
                    "Authorization",
                    "Basic "
                        + Base64.getEncoder()
                            .encodeToString(
                                ("operator:" + TestTokens.password("operator")).getBytes()))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(data(stop).get("creator").get("name").asString()).isEqualTo("api:operator");
  }

  @Test
  void aWrongPasswordOrUnknownUserIsA401ThatDoesNotSayWhichAndIsAudited() throws Exception {
    long before = refusedSignIns("api:operator");
    HttpResponse<String> wrong =
        basic("operator", TestTokens.password("viewer"), "GET", "/api/v2/ob/clusters");
    assertUnauthorized(wrong, "Basic: the user name or the password is wrong");
    assertThat(wrong.headers().firstValue("WWW-Authenticate"))
        .contains("Basic realm=\"obops api\"");
    assertThat(refusedSignIns("api:operator")).isEqualTo(before + 1);

    HttpResponse<String> unknown = basic("mallory", "guess", "GET", "/api/v2/ob/clusters");
    assertUnauthorized(unknown, "Basic: the user name or the password is wrong");
    assertThat(lastRefusedSignIn()).startsWith("unknown REFUSED Basic");
    // A console login is not an API user.
    assertUnauthorized(basic("alice", "alice", "GET", "/api/v2/ob/clusters"), "console logins");
  }

  // ------------------------------------------------------------------ the same permissions

  @Test
  void everySchemeIsRefusedOnAClusterItsPrincipalIsNotBoundTo() throws Exception {
    // api:staging-only is bound to clusters tagged staging (cluster 3) only.
    List<HttpResponse<String>> reads =
        List.of(
            bearer("staging-only", "GET", "/api/v2/ob/clusters/1/zones", null),
            basic(
                "staging-only",
                TestTokens.password("staging-only"),
                "GET",
                "/api/v2/ob/clusters/1/zones"),
            signed("staging-only", get("/api/v2/ob/clusters/1/zones")));
    for (HttpResponse<String> r : reads) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
      assertThat(json(r).get("error").get("message").asString()).contains("cluster 1");
    }
    List<HttpResponse<String>> stops =
        List.of(
            bearer("staging-only", "POST", "/api/v2/ob/clusters/2/stop", "{\"reason\":\"x\"}"),
            signed("staging-only", post("/api/v2/ob/clusters/2/stop", "{\"reason\":\"x\"}")));
    for (HttpResponse<String> r : stops) {
      assertThat(r.statusCode()).as(r.body()).isEqualTo(404);
    }
    assertThat(data(signed("staging-only", get("/api/v2/ob/clusters/3/servers"))).get("contents"))
        .hasSize(1);
    // A viewer may read but not stop, whatever the scheme.
    assertThat(
            signed("viewer", post("/api/v2/ob/clusters/1/stop", "{\"reason\":\"x\"}")).statusCode())
        .isEqualTo(403);
  }

  @Test
  void secretsAndPasswordsNeverAppearInLogsResponsesOrTheAudit(CapturedOutput output)
      throws Exception {
    signed("viewer", get("/api/v2/ob/clusters"));
    OcpSigner.signAndSend(
        http, port, get("/api/v2/ob/clusters"), TestTokens.accessKeyId("viewer"), "wrong-secret-x");
    HttpResponse<String> bad = basic("viewer", "wrong-password-y", "GET", "/api/v2/ob/clusters");
    basic("viewer", TestTokens.password("viewer"), "GET", "/api/v2/ob/clusters");

    String audit =
        String.join(
            "\n",
            jdbc.sql("select coalesce(detail, '') from audit_event").query(String.class).list());
    for (String name : TestTokens.SIGNERS) {
      for (String secret : List.of(TestTokens.secret(name), TestTokens.password(name))) {
        assertThat(output.getAll()).doesNotContain(secret);
        assertThat(audit).doesNotContain(secret);
      }
    }
    assertThat(output.getAll()).doesNotContain("wrong-secret-x").doesNotContain("wrong-password-y");
    assertThat(audit).doesNotContain("wrong-secret-x").doesNotContain("wrong-password-y");
    assertThat(bad.body()).doesNotContain("wrong-password-y");
  }
}
