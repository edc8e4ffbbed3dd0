package io.obops.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.access.Surface;
import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalRequests;
import io.obops.approval.ApprovalState;
import io.obops.cluster.ObServer;
import io.obops.cluster.PreflightPlan;
import io.obops.cluster.PreflightPlan.Access;
import io.obops.cluster.PreflightPlan.AnomalyKind;
import io.obops.cluster.PreflightPlan.Finding;
import io.obops.cluster.PreflightPlan.Observer;
import io.obops.sandbox.Sandbox;
import io.obops.testsupport.Http;
import io.obops.testsupport.MutableClock;
import io.obops.testsupport.PostgresSpringTest;
import io.obops.testsupport.TestClockConfiguration;
import io.obops.testsupport.TestTokens;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * The pre-flight plan on the sandbox (3 zones × 1 server, real SSH, real observer processes, real
 * PostgreSQL): made when a stop is requested in chat, shown on the card, served by {@code GET
 * /api/v2/approvals/{id}}, refreshed by the card's Refresh button, and bound to the approval. Time
 * is a settable clock.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
@DirtiesContext
class PreflightPlanSandboxTest extends PostgresSpringTest {

  static final ChatUser DANA = new ChatUser("discord-user:4343", Set.of(), "dana", "@dana");
  static final ChatUser ERIN =
      new ChatUser("discord-user:77", Set.of("discord-role:900"), "erin", "@erin");
  static final ChannelRef OPS = new ChannelRef("ops");

  @DynamicPropertySource
  static void sandbox(DynamicPropertyRegistry registry) {
    registry.add("obops.sandbox.enabled", () -> "true");
    registry.add("obops.sandbox.zones", () -> "3");
    registry.add("obops.sandbox.servers-per-zone", () -> "1");
  }

  @Autowired Sandbox sandbox;
  @Autowired ChatService chat;
  @Autowired ApprovalRequests requests;
  @Autowired MutableClock clock;
  @Autowired JdbcClient jdbc;
  @LocalServerPort int port;

  FakeChatPlatform.World world;
  ChatGateway gateway;
  final List<AutoCloseable> undo = new ArrayList<>();

  @BeforeEach
  void freshRequestsAndAChatPlatform() {
    jdbc.sql("delete from chat_conversation").update();
    jdbc.sql("delete from approval_decision").update();
    jdbc.sql("delete from approval_request").update();
    jdbc.sql("update ob_cluster set status = 'RUNNING', operation_task_id = null").update();
    world = new FakeChatPlatform.World();
    gateway = chat.connect(new FakeChatPlatform(world, Surface.DISCORD));
  }

  @AfterEach
  void repairTheSandbox() throws Exception {
    java.util.Collections.reverse(undo);
    for (AutoCloseable u : undo) {
      u.close();
    }
    undo.clear();
  }

  private List<ObServer> servers() {
    return sandbox.servers();
  }

  /** Requests a stop of the sandbox cluster in chat; returns the request as stored. */
  private ApprovalRequest requestStop() {
    ChatReply reply =
        gateway.onCommand(DANA, OPS, ChatCommand.parse("/obcluster stop id:1 reason:preflight"));
    assertThat(reply.text()).contains("posted");
    String cardRef = card();
    String approveId = world.messages.get(cardRef).buttons().get(0).id();
    return requests.find(Long.parseLong(approveId.split(":")[2])).orElseThrow();
  }

  private String card() {
    return world.in("ops").get(world.in("ops").size() - 1);
  }

  private ChatMessage.Field field(String prefix) {
    return world.messages.get(card()).card().fields().stream()
        .filter(f -> f.name().startsWith(prefix))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no field " + prefix));
  }

  private Button button(String label) {
    return world.messages.get(card()).buttons().stream()
        .filter(b -> b.label().startsWith(label))
        .findFirst()
        .orElseThrow();
  }

  private static Finding finding(PreflightPlan plan, ObServer s) {
    return plan.servers().stream().filter(f -> f.serverId() == s.id()).findFirst().orElseThrow();
  }

  private void killObserver(ObServer s) throws Exception {
    long pid = sandbox.runningObserverPid(s).orElseThrow();
    ProcessHandle p = ProcessHandle.of(pid).orElseThrow();
    p.destroyForcibly(); // SIGKILL: the pid file stays, as after a crash
    p.onExit().get();
    undo.add(() -> sandbox.startObserver(s));
  }

  @Test
  void thePlanMatchesTheHostsWithEveryPidEqualToItsPidFile() throws Exception {
    ApprovalRequest r = requestStop();

    PreflightPlan plan = r.plan();
    assertThat(plan.version()).isEqualTo(1);
    assertThat(plan.summary()).isEqualTo("3/3 reachable · 3 observers running · 0 warnings");
    for (ObServer s : servers()) {
      Finding f = finding(plan, s);
      long pidFile = Long.parseLong(Files.readString(sandbox.pidFile(s)).trim());
      assertThat(f.access()).as(s.ip()).isEqualTo(Access.REACHABLE);
      assertThat(f.observer()).as(s.ip()).isEqualTo(Observer.RUNNING);
      assertThat(f.pid()).as(s.ip()).isEqualTo(pidFile);
      assertThat(f.pid()).as(s.ip()).isEqualTo(sandbox.runningObserverPid(s).orElseThrow());
      assertThat(f.uptimeSeconds()).as(s.ip()).isGreaterThanOrEqualTo(0);
      assertThat(f.ports())
          .as(s.ip())
          .containsExactly(
              new PreflightPlan.Port(s.mysqlPort(), true),
              new PreflightPlan.Port(s.rpcPort(), true));
      assertThat(f.anomalies()).as(s.ip()).isEmpty();
    }
    assertThat(field("Pre-flight plan v1 · " + plan.shortHash()).value())
        .startsWith("3/3 reachable · 3 observers running · 0 warnings");
    assertThat(field("Servers (3)").value())
        .contains(
            servers().get(0).address()
                + " — running, pid "
                + finding(plan, servers().get(0)).pid());
    assertThat(button("Approve").id())
        .isEqualTo("obops:approve:" + r.id() + ":" + plan.shortHash());
    assertThat(button("Refresh").id()).isEqualTo("obops:refresh:" + r.id());

    JsonNode view =
        new Http(port)
            .send("GET", "/api/v2/approvals/" + r.id(), TestTokens.token("viewer"), null)
            .json()
            .get("data")
            .get("plan");
    assertThat(view.get("summary").asString()).isEqualTo(plan.summary());
    assertThat(view.get("planHash").asString()).isEqualTo(plan.hash());
    assertThat(view.get("servers")).hasSize(3);
    for (JsonNode s : view.get("servers")) {
      assertThat(s.get("pid").asLong())
          .isEqualTo(finding(plan, server(s.get("serverId").asLong())).pid());
    }
  }

  private ObServer server(long id) {
    return servers().stream().filter(s -> s.id() == id).findFirst().orElseThrow();
  }

  @Test
  void aStalePidFileAnUnreachableHostAndAHeldPortAreAnomaliesShownFirstAndDoNotBlockTheRequest()
      throws Exception {
    ObServer stale = servers().get(0);
    ObServer unreachable = servers().get(1);
    ObServer held = servers().get(2);
    killObserver(stale);
    sandbox.stopSshServer(unreachable);
    undo.add(() -> sandbox.startSshServer(unreachable));
    killObserver(held);
    Files.delete(sandbox.pidFile(held));
    Sandbox.PortHolder holder = sandbox.holdPort(held, held.mysqlPort());
    undo.add(holder);

    ApprovalRequest r = requestStop();

    assertThat(r.state()).isEqualTo(ApprovalState.PENDING);
    PreflightPlan plan = r.plan();
    assertThat(plan.summary()).isEqualTo("2/3 reachable · 0 observers running · 3 warnings");
    assertThat(finding(plan, stale).anomalies())
        .extracting(PreflightPlan.Anomaly::kind)
        .containsExactly(AnomalyKind.STALE_PID_FILE);
    assertThat(finding(plan, unreachable).access()).isEqualTo(Access.UNREACHABLE);
    assertThat(finding(plan, unreachable).anomalies())
        .extracting(PreflightPlan.Anomaly::kind)
        .containsExactly(AnomalyKind.UNREACHABLE);
    assertThat(finding(plan, held).anomalies())
        .extracting(PreflightPlan.Anomaly::kind)
        .containsExactly(AnomalyKind.PORT_HELD_BY_OTHER);
    assertThat(finding(plan, held).ports())
        .contains(new PreflightPlan.Port(held.mysqlPort(), true));
    String anomalies = field("⚠ Anomalies on 3 of 3 servers").value();
    assertThat(anomalies.lines())
        .hasSize(3)
        .allMatch(l -> l.startsWith("⚠ "))
        .anyMatch(l -> l.contains(stale.address()) && l.contains("stale pid file"))
        .anyMatch(l -> l.contains(unreachable.address()) && l.contains("unreachable"))
        .anyMatch(
            l -> l.contains(held.address()) && l.contains("port " + held.mysqlPort() + " is held"));
    assertThat(field("Pre-flight plan").value()).startsWith("⚠ 2/3 reachable");
  }

  @Test
  void refreshInspectsAgainAndUpdatesTheCard() {
    ApprovalRequest r = requestStop();
    String cardRef = card();
    String firstApprove = button("Approve").id();
    int editsBefore = world.edits.getOrDefault(cardRef, 0);
    ObServer gone = servers().get(1);
    sandbox.stopSshServer(gone);
    undo.add(() -> sandbox.startSshServer(gone));

    ChatReply reply = gateway.onButton(ERIN, OPS, "obops:refresh:" + r.id());

    PreflightPlan plan = requests.find(r.id()).orElseThrow().plan();
    assertThat(plan.version()).isEqualTo(2);
    assertThat(plan.hash()).isNotEqualTo(r.plan().hash());
    assertThat(reply.text()).contains("plan v2", "2/3 reachable");
    assertThat(world.edits.getOrDefault(cardRef, 0)).isGreaterThan(editsBefore);
    assertThat(field("Pre-flight plan v2 · " + plan.shortHash()).value())
        .startsWith("⚠ 2/3 reachable · 2 observers running · 1 warning");
    assertThat(field("⚠ Anomalies on 1 of 3 servers").value())
        .contains(gone.address(), "unreachable");
    assertThat(button("Approve").id())
        .isEqualTo("obops:approve:" + r.id() + ":" + plan.shortHash())
        .isNotEqualTo(firstApprove);
  }

  @Test
  void anOutdatedPlanIsNotApprovedUntilItIsRefreshed() {
    ApprovalRequest r = requestStop();
    clock.advance(Duration.ofMinutes(6)); // older than obops.approval.plan-max-age (5 min)

    ChatReply refused = gateway.onButton(ERIN, OPS, button("Approve").id());

    assertThat(refused.text()).contains("was inspected at", "Press Refresh on the card");
    assertThat(requests.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.PENDING);
    assertThat(requests.find(r.id()).orElseThrow().approvals()).isZero();

    gateway.onButton(ERIN, OPS, button("Refresh").id());
    ChatReply approved = gateway.onButton(ERIN, OPS, button("Approve").id());

    assertThat(approved.text()).contains("You approved #" + r.id());
    ApprovalRequest after = requests.find(r.id()).orElseThrow();
    assertThat(after.state()).isEqualTo(ApprovalState.APPROVED);
    assertThat(after.decisions())
        .singleElement()
        .extracting(ApprovalRequest.Decision::planHash)
        .isEqualTo(after.plan().hash());
  }

  @Test
  void aPlanThatChangedSinceTheCardShowedItIsNotApproved() {
    ApprovalRequest r = requestStop();
    String shown = button("Approve").id(); // the card as the approver saw it
    ObServer gone = servers().get(2);
    sandbox.stopSshServer(gone);
    undo.add(() -> sandbox.startSshServer(gone));
    gateway.onButton(DANA, OPS, "obops:refresh:" + r.id()); // someone refreshed meanwhile

    ChatReply refused = gateway.onButton(ERIN, OPS, shown);

    assertThat(refused.text()).contains("changed since this card showed it", "now version 2");
    assertThat(requests.find(r.id()).orElseThrow().state()).isEqualTo(ApprovalState.PENDING);

    Http.Response rest =
        new Http(port)
            .send(
                "POST",
                "/api/v2/approvals/" + r.id() + "/approve",
                TestTokens.token("approver1"),
                "{\"planHash\":\"" + r.plan().hash() + "\"}");
    assertThat(rest.status()).isEqualTo(409);
    assertThat(rest.body()).contains("no longer the one you approved");
  }
}
