package io.obops.api;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.access.Actor;
import io.obops.core.ClusterId;
import io.obops.core.RequestId;
import io.obops.operations.ApprovalOperations;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import io.obops.testsupport.ApprovalSpringTest;
import io.obops.testsupport.Http;
import io.obops.testsupport.TestTokens;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.MethodParameter;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.method.HandlerMethod;
import org.springframework.web.servlet.mvc.method.RequestMappingInfo;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import tools.jackson.databind.JsonNode;

/**
 * Deny by default, proven by enumeration: every endpoint Spring has mapped (read from its handler
 * mapping, so a new endpoint is covered without touching this test) × principals that may do
 * nothing to clusters 1 and 2 (none, a valid token bound to nothing, a viewer and an operator of
 * another cluster) × ids of real objects on those clusters, of missing ones and malformed
 * spellings, in the path, the query and the body. Every answer is a 400, 401, 403 or 404 in OCP's
 * error envelope (a list may answer 200 with nothing of clusters 1 and 2 in it), and nothing
 * changes: no cluster, task, subtask, request or decision moves and the audit records no success.
 *
 * <p>Not enumerated: {@code /actuator/health}, the one endpoint meant to answer without a token
 * (load balancers and probes ask it; it says UP or DOWN and nothing else). It is served by the
 * actuator's own mapping, not by the controllers read here.
 */
class DenyByDefaultTest extends ApprovalSpringTest {

  /** Principals with no permission on clusters 1 (demo) and 2 (prod1); null: no token. */
  private static final List<String> PRINCIPALS =
      java.util.Arrays.asList(null, "nobody", "staging-viewer", "staging-only");

  private static final List<String> MALFORMED =
      List.of("+1", "01", "0x3E8", "%31", "-1", "99999999999999999999");
  private static final String MISSING = "999999";
  private static final Pattern VARIABLE = Pattern.compile("\\{(\\w+)}");

  @LocalServerPort int port;

  @Autowired
  @Qualifier("requestMappingHandlerMapping")
  RequestMappingHandlerMapping mapping;

  @Autowired ApprovalOperations approvals;
  @Autowired TaskEngine engine;
  @Autowired TaskClient tasks;

  /** Real objects on clusters 1 and 2, by the kind of id that names them. */
  private final Map<String, List<String>> existing = new LinkedHashMap<>();

  private void createObjects() {
    // cluster 1: a request waiting for approval, its gated task
    var pending =
        approvals.request(Actor.api("operator"), new ClusterId(1), "cluster.stop", "probe me");
    // cluster 2: an approved stop whose task failed (there is no SSH here): retry and skip apply
    var failed =
        approvals.request(Actor.api("operator"), new ClusterId(2), "cluster.stop", "probe me");
    approvals.approve(Actor.api("approver1"), new RequestId(failed.request().id()));
    approvals.approve(Actor.api("approver2"), new RequestId(failed.request().id()));
    engine.runUntilIdle();
    long failedSubtask =
        tasks.find(failed.task().id()).orElseThrow().subtasks().stream()
            .filter(s -> s.status() == SubtaskStatus.FAILED)
            .findFirst()
            .orElseThrow()
            .id();
    existing.put("cluster", List.of("1", "2"));
    existing.put(
        "task", List.of(String.valueOf(pending.task().id()), String.valueOf(failed.task().id())));
    existing.put(
        "subtask",
        List.of(
            String.valueOf(pending.task().subtasks().get(0).id()), String.valueOf(failedSubtask)));
    existing.put(
        "request",
        List.of(String.valueOf(pending.request().id()), String.valueOf(failed.request().id())));
  }

  /** The kind of id a path variable or parameter names, from where it sits. */
  private static String kind(String pattern, String variable) {
    if (variable.equals("subtaskId")) {
      return "subtask";
    }
    if (variable.equals("clusterId") || pattern.contains("/clusters/{" + variable + "}")) {
      return "cluster";
    }
    if (variable.equals("requestId") || pattern.contains("/approvals/{" + variable + "}")) {
      return "request";
    }
    if (pattern.contains("/instances/{" + variable + "}")) {
      return "task";
    }
    return "any";
  }

  private List<String> spellings(String kind) {
    var values = new LinkedHashSet<String>();
    if (kind.equals("any")) {
      existing.values().forEach(values::addAll);
    } else {
      values.addAll(existing.get(kind));
    }
    values.add(MISSING);
    values.addAll(MALFORMED);
    return List.copyOf(values);
  }

  /** One request to make: method, path with query, body (null for none), what it probes. */
  private record Probe(String method, String target, String body, String description) {}

  private List<Probe> probes(RequestMappingInfo info, HandlerMethod handler) {
    Set<String> patterns =
        info.getPathPatternsCondition() != null
            ? info.getPathPatternsCondition().getPatternValues()
            : info.getPatternValues();
    Set<RequestMethod> declared = info.getMethodsCondition().getMethods();
    List<String> methods =
        declared.isEmpty()
            ? List.of("GET", "POST", "PUT", "DELETE", "PATCH")
            : declared.stream().map(RequestMethod::name).toList();
    List<String> queryIds = new ArrayList<>();
    boolean hasBody = false;
    for (MethodParameter p : handler.getMethodParameters()) {
      RequestParam rp = p.getParameterAnnotation(RequestParam.class);
      if (rp != null) {
        String name = !rp.name().isEmpty() ? rp.name() : rp.value();
        name = name.isEmpty() ? p.getParameterName() : name;
        if (name != null && name.endsWith("Id")) {
          queryIds.add(name);
        }
      }
      hasBody |= p.hasParameterAnnotation(RequestBody.class);
    }
    var probes = new ArrayList<Probe>();
    for (String pattern : patterns) {
      List<String> variables = new ArrayList<>();
      Matcher m = VARIABLE.matcher(pattern);
      while (m.find()) {
        variables.add(m.group(1));
      }
      for (String target : targets(pattern, variables)) {
        for (String method : methods) {
          for (String body : bodies(method, hasBody)) {
            probes.add(new Probe(method, target, body, method + " " + target + " " + body));
          }
        }
      }
      for (String param : queryIds) {
        for (String v : spellings(kind(pattern, param))) {
          String target = fill(pattern, variables, null, null) + "?" + param + "=" + v;
          for (String method : methods) {
            probes.add(new Probe(method, target, null, method + " " + target));
          }
        }
      }
    }
    return probes;
  }

  /** The pattern with each variable spelled every way in turn (the others a real id). */
  private List<String> targets(String pattern, List<String> variables) {
    if (variables.isEmpty()) {
      return List.of(pattern);
    }
    var targets = new LinkedHashSet<String>();
    for (String varying : variables) {
      for (String v : spellings(kind(pattern, varying))) {
        targets.add(fill(pattern, variables, varying, v));
      }
    }
    return List.copyOf(targets);
  }

  private String fill(String pattern, List<String> variables, String varying, String value) {
    String target = pattern;
    for (String var : variables) {
      String v =
          var.equals(varying)
              ? value
              : existing.getOrDefault(kind(pattern, var), List.of("1")).get(0);
      target = target.replace("{" + var + "}", v);
    }
    return target;
  }

  private List<String> bodies(String method, boolean hasBody) {
    if (method.equals("GET") || method.equals("DELETE")) {
      return java.util.Collections.singletonList(null);
    }
    var bodies = new ArrayList<String>();
    bodies.add(null);
    if (hasBody) {
      bodies.add("{\"reason\":\"probe\"}");
      bodies.add("{\"comment\":\"probe\"}");
      for (String cluster : spellings("cluster")) {
        bodies.add(
            "{\"action\":\"cluster.stop\",\"clusterId\":\"" + cluster + "\",\"reason\":\"probe\"}");
      }
    }
    return bodies;
  }

  /** Everything a request could change, as text. */
  private String state() {
    return String.join(
        "\n",
        jdbc.sql(
                "select id || ':' || status || ':' || coalesce(operation_task_id, 0) from ob_cluster order by id")
            .query(String.class)
            .list()
            .toString(),
        jdbc.sql("select cluster_id || ':' || name || ':' || status from ob_zone order by 1")
            .query(String.class)
            .list()
            .toString(),
        jdbc.sql("select id || ':' || ip || ':' || status from ob_server order by id")
            .query(String.class)
            .list()
            .toString(),
        jdbc.sql(
                "select id || ':' || status || ':' || operation || ':' || coalesce(gate, '-') from"
                    + " task_instance order by id")
            .query(String.class)
            .list()
            .toString(),
        jdbc.sql("select id || ':' || status || ':' || operation from subtask_instance order by id")
            .query(String.class)
            .list()
            .toString(),
        jdbc.sql("select id || ':' || state from approval_request order by id")
            .query(String.class)
            .list()
            .toString(),
        jdbc.sql("select count(*) from approval_decision").query(String.class).single(),
        jdbc.sql("select count(*) from audit_event where outcome <> 'REFUSED'")
            .query(String.class)
            .single());
  }

  @TestFactory
  Stream<DynamicTest> everyEndpointRefusesEveryPrincipalWithoutRightsOnTheCluster() {
    createObjects();
    Http http = new Http(port);
    String before = state();
    var tests = new ArrayList<DynamicTest>();
    int endpoints = 0;
    for (var e : mapping.getHandlerMethods().entrySet()) {
      endpoints++;
      for (Probe probe : probes(e.getKey(), e.getValue())) {
        for (String principal : PRINCIPALS) {
          String as = principal == null ? "no token" : "api:" + principal;
          tests.add(
              DynamicTest.dynamicTest(
                  probe.description() + " as " + as,
                  () -> {
                    String token = principal == null ? null : TestTokens.token(principal);
                    Http.Response r =
                        probe.body() == null || probe.target().contains("%")
                            ? http.raw(probe.method(), probe.target(), token)
                            : http.send(probe.method(), probe.target(), token, probe.body());
                    assertRefusedOrEmpty(probe, r);
                    assertThat(state())
                        .as("no side effect of " + probe.description())
                        .isEqualTo(before);
                  }));
        }
      }
    }
    assertThat(endpoints).as("mapped endpoints").isGreaterThanOrEqualTo(15);
    return tests.stream();
  }

  private static void assertRefusedOrEmpty(Probe probe, Http.Response r) {
    String what = probe.description() + " -> " + r.status() + " " + r.body();
    if (r.status() == 200 && probe.method().equals("GET") && !probe.target().matches(".*/\\d+.*")) {
      // a list: only what the principal may view, nothing of clusters 1 and 2
      assertThat(r.body())
          .as(what)
          .doesNotContain("demo", "prod1", "10.0.0.", "10.1.0.", "probe me");
      return;
    }
    assertThat(r.status()).as(what).isIn(400, 401, 403, 404);
    JsonNode body = r.json();
    assertThat(body.get("successful").asBoolean()).as(what).isFalse();
    assertThat(body.get("status").asInt()).as(what).isEqualTo(r.status());
    assertThat(body.get("error").get("code").asInt()).as(what).isEqualTo(r.status());
    assertThat(body.get("error").get("message").asString()).as(what).isNotBlank();
    assertThat(r.body()).as(what).doesNotContain("demo", "prod1", "10.1.0.", "probe me");
  }
}
