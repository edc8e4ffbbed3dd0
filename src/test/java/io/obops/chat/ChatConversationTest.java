package io.obops.chat;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.access.Permission;
import io.obops.access.Surface;
import io.obops.approval.ApprovalExpiry;
import io.obops.approval.ApprovalRequests;
import io.obops.cluster.ObServer;
import io.obops.obcluster.ObserverProcessControl;
import io.obops.task.SubtaskLog;
import io.obops.task.TaskEngine;
import io.obops.testsupport.ApprovalSpringTest;
import io.obops.testsupport.OcpSample;
import io.obops.testsupport.TestTokens;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.annotation.DirtiesContext;
import tools.jackson.databind.JsonNode;

/**
 * The chat core against an in-memory platform on the whole application (real PostgreSQL, the
 * approval tests' inventory: cluster 1 "demo", 2 zones × 1 server) with observers that stop at once
 * unless told to fail. Time is a settable clock; the ticker is driven by hand.
 */
@Import(ChatConversationTest.Observers.class)
@DirtiesContext // its own context (the fake observers): close it, and its connections, when done
class ChatConversationTest extends ApprovalSpringTest {

  static final ChatUser DANA = new ChatUser("discord-user:4343", Set.of(), "dana", "@dana");
  static final ChatUser APPROVER =
      new ChatUser("discord-user:77", Set.of("discord-role:900"), "erin", "@erin");
  static final ChatUser STRANGER = new ChatUser("discord-user:555", Set.of(), "zed", "@zed");
  static final ChatUser VIEWER = new ChatUser("web:carol", Set.of(), "carol", "@carol");
  static final ChannelRef OPS = new ChannelRef("ops");

  /** Observers that stop at once; an address in {@code failing} fails its stop. */
  @TestConfiguration
  static class Observers {
    static final Set<String> failing = ConcurrentHashMap.newKeySet();

    @Bean
    ObserverProcessControl fakeObservers() {
      return new ObserverProcessControl() {
        @Override
        public ObserverState inspect(ObServer server, SubtaskLog log) {
          return new ObserverState(true, 1000 + server.id(), "running");
        }

        @Override
        public StopReport stop(ObServer server, SubtaskLog log) {
          if (failing.contains(server.ip())) {
            log.append("kill -TERM 1001 on " + server.ip());
            throw new IllegalStateException("port 2881 not released on " + server.ip());
          }
          return new StopReport(false, 1000 + server.id(), "SIGTERM", 100);
        }

        @Override
        public StartReport start(ObServer server, SubtaskLog log) {
          return new StartReport(false, 1000 + server.id(), 100);
        }
      };
    }
  }

  @Autowired ChatService chat;
  @Autowired OutboxSender sender;
  @Autowired ProgressReporter progress;
  @Autowired ServerNames serverNames;
  @Autowired TaskEngine engine;
  @Autowired ApprovalRequests approvals;
  @Autowired ApprovalExpiry expiry;
  @Autowired io.obops.routine.Routines routines;
  @LocalServerPort int port;

  FakeChatPlatform.World world;
  FakeChatPlatform platform;
  ChatGateway gateway;

  @BeforeEach
  void connect() {
    Observers.failing.clear();
    world = new FakeChatPlatform.World();
    platform = new FakeChatPlatform(world, Surface.DISCORD);
    gateway = chat.connect(platform);
  }

  private ChatReply stop(ChatUser user, String text) {
    return gateway.onCommand(user, OPS, ChatCommand.parse(text));
  }

  private String card() {
    return world.in("ops").get(world.in("ops").size() - 1);
  }

  private long requestIdOf(String card) {
    String id = world.messages.get(card).buttons().get(0).id();
    return Long.parseLong(id.split(":")[2]); // obops:approve:<request>[:<plan hash>]
  }

  private static String field(ChatMessage card, String name) {
    return card.card().fields().stream()
        .filter(f -> f.name().equals(name))
        .map(ChatMessage.Field::value)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no field " + name + " in " + card.card()));
  }

  @Test
  void stopPostsAnApprovalCardWithButtonsAndOpensItsThread() {
    ChatReply reply = stop(DANA, "/obcluster stop id:1 reason:disk swap on zone1");

    assertThat(reply.ephemeral()).isTrue();
    assertThat(reply.text()).contains("posted", "1 approval(s)");
    ChatMessage card = world.messages.get(card());
    long id = requestIdOf(card());
    assertThat(card.card().title()).contains("demo", "#" + id);
    assertThat(card.card().fields())
        .extracting(ChatMessage.Field::value)
        .contains("@dana", "disk swap on zone1", "0 of 1");
    assertThat(field(card, "Servers (2)")).contains("zone1 10.0.0.5:2882 — running");
    assertThat(field(card, "Who can approve"))
        .contains("@&discord-role:900")
        .doesNotContain("dana");
    long taskId = approvals.find(id).orElseThrow().taskId();
    assertThat(card.card().footer())
        .startsWith("PENDING · expires in 15 min")
        .contains("task " + taskId + " runs once approved");
    assertThat(reply.text()).contains("task " + taskId + " runs once approved");
    assertThat(card.buttons())
        .extracting(Button::id)
        .containsExactly(
            "obops:approve:" + id + ":" + approvals.find(id).orElseThrow().plan().shortHash(),
            "obops:reject:" + id,
            "obops:cancel:" + id,
            "obops:refresh:" + id);
    assertThat(world.texts("thread:" + card())).singleElement().asString().contains("#" + id);
    assertThat(approvals.find(id).orElseThrow().chatRefs()).contains("\"card\":\"" + card() + "\"");
  }

  @Test
  void refusalsAreEphemeralAndSayWhatToDo() {
    assertThat(stop(DANA, "/obcluster stop id:1").text())
        .contains("/obcluster stop demo reason:<why");
    assertThat(stop(DANA, "/obcluster stop id:9 reason:x").text()).contains("does not exist");
    assertThat(stop(DANA, "/obcluster stop id:one reason:x").text()).contains("does not exist");
    assertThat(stop(DANA, "/obcluster stop id:d@mo reason:x").text())
        .contains("is not a cluster id or name", "/obcluster list");
    assertThat(stop(DANA, "/obcluster stop id:+1 reason:x").text())
        .contains("is not a cluster id or name");
    // a stranger may not even see the cluster: the same answer as for one that does not exist
    assertThat(stop(STRANGER, "/obcluster stop id:1 reason:x").text())
        .isEqualTo(stop(STRANGER, "/obcluster stop id:9 reason:x").text().replace("9", "1"));
    assertThat(stop(VIEWER, "/obcluster stop demo reason:x").text())
        .isEqualTo(
            "You may not stop cluster demo: none of your roles allows it. Ask an obops"
                + " administrator for a role that does.");
    stop(DANA, "/obcluster stop id:1 reason:first");
    ChatReply second = stop(DANA, "/obcluster stop demo reason:again");
    assertThat(second.ephemeral()).isTrue();
    assertThat(second.text())
        .contains("already has a pending stop request", "(in 15 min)", "on its card");
    assertThat(world.in("ops")).hasSize(1);
  }

  @Test
  void noChatRefusalNamesARestPathOrAPermission() {
    stop(DANA, "/obcluster stop demo reason:drill");
    long id = requestIdOf(card());
    List<String> replies =
        List.of(
            stop(DANA, "/obcluster stop demo reason:again").text(),
            stop(VIEWER, "/obcluster stop demo reason:x").text(),
            stop(STRANGER, "/obcluster status demo").text(),
            stop(DANA, "/obcluster task 99999999999999999999").text(),
            stop(DANA, "/obcluster stop demo reason:a\u0000b").text(),
            stop(DANA, "/obcluster stop prod1 reason:" + "x".repeat(1001)).text(),
            gateway.onButton(DANA, OPS, "obops:approve:" + id).text(),
            gateway.onButton(VIEWER, OPS, "obops:approve:" + id).text(),
            gateway.onButton(APPROVER, OPS, "obops:cancel:" + id).text(),
            gateway.onButton(VIEWER, OPS, "obops:retry:1:2").text(),
            gateway.onButton(DANA, OPS, "obops:approve:01").text());

    for (String reply : replies) {
      assertThat(reply).doesNotContain("/api/", "GET ", "POST ");
      for (Permission p : Permission.values()) {
        assertThat(reply).doesNotContain(p.wire());
      }
    }
    assertThat(replies.get(0)).contains("open until", "(in 15 min)");
    assertThat(replies.get(4)).contains("U+0000", "/obcluster stop");
    assertThat(replies.get(5)).contains("1001 characters", "1000");
  }

  @Test
  void theRequesterCannotApproveAndAStrangerCannotDecide() {
    stop(DANA, "/obcluster stop id:1 reason:drill");
    long id = requestIdOf(card());

    ChatReply own = gateway.onButton(DANA, OPS, "obops:approve:" + id);
    ChatReply stranger = gateway.onButton(STRANGER, OPS, "obops:reject:" + id);

    assertThat(own.ephemeral()).isTrue();
    assertThat(own.text()).contains("you requested #" + id);
    assertThat(stranger.text()).contains("does not exist, or is not one you may see");
    assertThat(gateway.onButton(VIEWER, OPS, "obops:approve:" + id).text())
        .contains("You may not approve or reject requests on cluster demo");
    assertThat(world.edits).isEmpty();
  }

  @Test
  void anApprovedStopReportsItsProgressInTheThreadAndEndsWithTheEnvelope() throws Exception {
    stop(DANA, "/obcluster stop id:1 reason:drill");
    String card = card();
    String thread = "thread:" + card;
    long id = requestIdOf(card);

    ChatReply approved = gateway.onButton(APPROVER, OPS, "obops:approve:" + id);

    assertThat(approved.text()).contains("You approved #" + id);
    ChatMessage decided = world.messages.get(card);
    assertThat(decided.buttons()).isEmpty();
    assertThat(decided.text()).isEmpty(); // the decision is said once, on the card
    assertThat(decided.card().title()).contains("RUNNING 0/2");
    assertThat(decided.card().footer()).contains("approved by discord-user:77");
    long taskId = approvals.find(id).orElseThrow().taskId();
    assertThat(world.texts(thread).get(1)).contains("@dana the stop is running");

    chat.tick();
    String board = world.in(thread).get(2);
    assertThat(world.messages.get(board).text()).contains("task " + taskId, "RUNNING");

    engine.runUntilIdle();
    chat.tick();

    assertThat(world.messages.get(board).text())
        .contains("SUCCESSFUL", "2/2 observers stopped", "10.0.0.5:2882", "✓ Update OB cluster")
        .doesNotContain("Wait node", "waiting", "0.0s");
    assertThat(world.edits.get(board)).isEqualTo(1);
    ChatMessage finished = world.messages.get(card);
    assertThat(finished.card().fields()).isEmpty(); // one line
    assertThat(finished.card().title())
        .startsWith("✓ demo STOPPED — 2/2 observers stopped")
        .contains("request #" + id, "@dana", "approved by discord-user:77");
    List<String> texts = world.texts(thread);
    assertThat(texts.get(3))
        .contains("observer on 10.0.0.5 stopped", "observer on 10.0.0.6 stopped");
    assertThat(texts.get(4))
        .startsWith("@dana task " + taskId)
        .contains("SUCCESSFUL", "2/2 observers stopped");
    assertThat(texts.get(5)).contains("task-" + taskId + ".json");
    assertThat(texts.get(6)).contains("task-" + taskId + ".png");
    assertThat(texts).hasSize(7);

    JsonNode file = OcpSample.JSON.readTree(world.files.get("task-" + taskId + ".json"));
    JsonNode api = get("/api/v2/tasks/instances/" + taskId);
    assertThat(file.get("data")).isEqualTo(api.get("data"));
    assertThat(file.properties())
        .extracting(e -> e.getKey())
        .containsExactlyElementsOf(api.properties().stream().map(e -> e.getKey()).toList());
    byte[] png = world.files.get("task-" + taskId + ".png");
    assertThat(png).startsWith(0x89, 'P', 'N', 'G');

    chat.tick();
    assertThat(world.texts(thread)).hasSize(7); // the end is posted once
  }

  @Test
  void milestonesThatCouldNotBePostedArePostedOnTheNextTick() {
    stop(DANA, "/obcluster stop id:1 reason:drill");
    String thread = "thread:" + card();
    long id = requestIdOf(card());
    gateway.onButton(APPROVER, OPS, "obops:approve:" + id);
    chat.tick();
    engine.runUntilIdle();

    platform.failingPosts.set(1);
    chat.tick();
    assertThat(String.join("\n", world.texts(thread))).doesNotContain("observer on 10.0.0.5");

    chat.tick(); // not due yet: the outbox backs off
    clock.advance(Duration.ofSeconds(1));
    chat.tick();
    List<String> texts = world.texts(thread);
    assertThat(texts.stream().filter(t -> t.contains("observer on 10.0.0.5 stopped"))).hasSize(1);
    assertThat(texts.stream().filter(t -> t.contains("observer on 10.0.0.6 stopped"))).hasSize(1);
  }

  @Test
  void boardEditsAreCoalescedToOneEveryTwoSeconds() {
    stop(DANA, "/obcluster stop id:1 reason:drill");
    long id = requestIdOf(card());
    gateway.onButton(APPROVER, OPS, "obops:approve:" + id);
    long taskId = approvals.find(id).orElseThrow().taskId();
    chat.tick(); // posts the board
    String board = world.in("thread:" + card()).get(2);

    for (int i = 0; i < 5; i++) {
      // a change a reader cares about moves the task's version (here without running anything)
      jdbc.sql("update task_instance set version = version + 1 where id = ?")
          .param(taskId)
          .update();
      chat.tick();
    }
    assertThat(world.edits.get(board)).isNull();

    clock.advance(Duration.ofSeconds(2));
    chat.tick();
    chat.tick();
    assertThat(world.edits.get(board)).isEqualTo(1);
  }

  @Test
  void aFailedSubtaskIsPostedAtOnceWithRetryAndSkipThatNeedTaskManage() {
    Observers.failing.add("10.0.0.6");
    stop(DANA, "/obcluster stop id:1 reason:drill");
    String thread = "thread:" + card();
    long id = requestIdOf(card());
    gateway.onButton(APPROVER, OPS, "obops:approve:" + id);
    long taskId = approvals.find(id).orElseThrow().taskId();

    engine.runUntilIdle();
    chat.tick();

    String failure =
        world.in(thread).stream()
            .filter(ref -> world.messages.get(ref).text().contains("failed (subtask"))
            .findFirst()
            .orElseThrow();
    ChatMessage post = world.messages.get(failure);
    assertThat(post.text())
        .contains("Stop observer process on 10.0.0.6:2882", "port 2881 not released", "kill -TERM");
    assertThat(post.buttons()).extracting(Button::label).containsExactly("Retry", "Skip");
    assertThat(world.texts(thread))
        .anyMatch(t -> t.startsWith("@dana task " + taskId) && t.contains("FAILED"));
    String cardRef = thread.substring("thread:".length());
    assertThat(world.messages.get(cardRef).card().title())
        .startsWith("✗ Stop demo FAILED — 1/2 observers stopped · 1 failed")
        .contains(": 10.0.0.6:2882 — request #" + id);

    String skip = post.buttons().get(1).id();
    assertThat(gateway.onButton(APPROVER, OPS, skip).text())
        .contains("You may not retry, skip or cancel the steps of tasks on cluster demo");
    assertThat(gateway.onButton(DANA, OPS, skip).text()).startsWith("Skipped Stop observer");

    engine.runUntilIdle();
    chat.tick();
    assertThat(world.texts(thread))
        .anyMatch(t -> t.startsWith("@dana task " + taskId) && t.contains("SUCCESSFUL"));
  }

  @Test
  void aStopsSummaryOffersStartAgainWhichOpensAStartRequestThatStillNeedsApproval() {
    stop(DANA, "/obcluster stop demo reason:disk swap");
    String stopCard = card();
    long stopRequest = requestIdOf(stopCard);
    gateway.onButton(APPROVER, OPS, "obops:approve:" + stopRequest);
    long stopTask = approvals.find(stopRequest).orElseThrow().taskId();
    engine.runUntilIdle();
    chat.tick();
    ChatMessage summary = summaryIn("thread:" + stopCard, stopTask);
    assertThat(summary.text()).contains("Stop OB cluster", "SUCCESSFUL", "2/2 observers stopped");
    assertThat(summary.buttons())
        .singleElement()
        .satisfies(
            b -> {
              assertThat(b.label()).isEqualTo("Start again");
              assertThat(b.id()).isEqualTo("obops:start-again:1:" + stopTask);
            });

    // stopping it again says who stopped it, with which task, and how to start it
    assertThat(stop(DANA, "/obcluster stop demo reason:again").text())
        .contains(
            "Cluster demo is STOPPED",
            "discord-user:4343 ran task " + stopTask,
            "To start it: /obcluster start demo reason:<why>.");
    // a viewer may not start it from the button either
    assertThat(gateway.onButton(VIEWER, OPS, summary.buttons().get(0).id()).text())
        .contains("You may not start cluster demo");

    ChatReply clicked = gateway.onButton(DANA, OPS, summary.buttons().get(0).id());

    assertThat(clicked.text()).contains("to start demo is posted", "1 approval(s)");
    String startCard = card();
    assertThat(startCard).isNotEqualTo(stopCard);
    assertThat(world.messages.get(startCard).card().title()).startsWith("Start cluster");
    long startRequest = requestIdOf(startCard);
    long startTask = approvals.find(startRequest).orElseThrow().taskId();
    engine.runUntilIdle();
    assertThat(inventory.find(1).orElseThrow().status().name()).isEqualTo("STOPPED"); // gated
    gateway.onButton(APPROVER, OPS, "obops:approve:" + startRequest);
    engine.runUntilIdle();
    chat.tick();
    ChatMessage started = summaryIn("thread:" + startCard, startTask);
    assertThat(started.text()).contains("Start OB cluster", "SUCCESSFUL", "2/2 observers started");
    assertThat(started.buttons()).isEmpty();
    assertThat(world.texts("thread:" + startCard))
        .anyMatch(t -> t.contains("observer on 10.0.0.5 started: pid 1001"));
    assertThat(inventory.find(1).orElseThrow().status().name()).isEqualTo("RUNNING");
    assertThat(stop(DANA, "/obcluster start demo reason:again").text())
        .contains("Cluster demo is RUNNING; a start needs it STOPPED");
  }

  @Test
  void aStartWhosePolicyAsksNoApprovalRunsAsRequestedAndReportsInItsThread() throws Exception {
    editAccess(
        "  - action: cluster.start\n    approvals: 1\n",
        "  - action: cluster.start\n    approvals: 0\n");
    jdbc.sql("update ob_cluster set status = 'STOPPED' where id = 1").update();

    ChatReply reply = stop(DANA, "/obcluster start demo reason:incident over");

    assertThat(reply.text()).contains("needs no approval", "runs now");
    long request = Long.parseLong(reply.text().replaceAll("(?s).*Request #(\\d+).*", "$1"));
    long taskId = approvals.find(request).orElseThrow().taskId();
    engine.runUntilIdle();
    chat.tick();
    String thread = "thread:" + card();
    assertThat(world.texts(thread))
        .anyMatch(t -> t.startsWith("Approved as requested: its policy needs no approval"));
    assertThat(summaryIn(thread, taskId).text()).contains("SUCCESSFUL", "2/2 observers started");
    assertThat(inventory.find(1).orElseThrow().status().name()).isEqualTo("RUNNING");
  }

  private ChatMessage summaryIn(String thread, long taskId) {
    return world.in(thread).stream()
        .map(world.messages::get)
        .filter(m -> m.text() != null && m.text().startsWith("@dana task " + taskId + " "))
        .findFirst()
        .orElseThrow();
  }

  @Test
  void afterARestartTheSameBoardIsEditedOrAFreshOnePostedPastTheEditWindow() {
    stop(DANA, "/obcluster stop id:1 reason:drill");
    String thread = "thread:" + card();
    long id = requestIdOf(card());
    gateway.onButton(APPROVER, OPS, "obops:approve:" + id);
    chat.tick();
    String board = world.in(thread).get(2);

    // "restart": a new platform object over the same database and the same chat; nothing of the
    // conversation lives in memory
    chat.connect(new FakeChatPlatform(world, Surface.DISCORD));
    engine.runUntilIdle();
    chat.tick();
    assertThat(world.edits.get(board)).isEqualTo(1);
    assertThat(world.messages.get(board).text()).contains("SUCCESSFUL");
    assertThat(world.texts(thread)).anyMatch(t -> t.startsWith("@dana task"));
  }

  @Test
  void aBoardPastThePlatformsEditWindowIsPostedAfresh() {
    stop(DANA, "/obcluster stop id:1 reason:drill");
    String thread = "thread:" + card();
    long id = requestIdOf(card());
    gateway.onButton(APPROVER, OPS, "obops:approve:" + id);
    chat.tick();
    String board = world.in(thread).get(2);

    FakeChatPlatform old = new FakeChatPlatform(world, Surface.DISCORD);
    old.editWindow = Duration.ofMinutes(10);
    clock.advance(Duration.ofMinutes(11));
    chat.connect(old);
    engine.runUntilIdle();
    chat.tick();

    assertThat(world.edits.get(board)).isNull();
    assertThat(world.texts(thread)).anyMatch(t -> t.contains("SUCCESSFUL") && t.contains("task "));
    assertThat(world.in(thread).stream().filter(ref -> !ref.equals(board)))
        .anyMatch(ref -> world.messages.get(ref).card() != null);
  }

  @Test
  void aCardThatCannotBePostedIsRetriedWithBackoffAndPostedOnce() {
    platform.failingPosts.set(3);
    stop(DANA, "/obcluster stop id:1 reason:drill");
    assertThat(world.in("ops")).isEmpty();

    chat.tick(); // not due yet: backing off
    for (int i = 0; i < 6; i++) {
      clock.advance(Duration.ofSeconds(5));
      chat.tick();
    }

    assertThat(world.in("ops")).hasSize(1);
    long id = requestIdOf(card());
    assertThat(approvals.find(id).orElseThrow().state().name()).isEqualTo("PENDING");
    assertThat(world.texts("thread:" + card())).singleElement().asString().contains("#" + id);
    assertThat(jdbc.sql("select max(attempts) from chat_outbox").query(Integer.class).single())
        .isEqualTo(3);
  }

  @Test
  void aCardStillNotPostedBeforeItsRequestWouldExpireCancelsTheRequestAuditedWithTheReason() {
    platform.failingPosts.set(1_000);
    stop(DANA, "/obcluster stop id:1 reason:drill");
    long id = jdbc.sql("select max(id) from approval_request").query(Long.class).single();

    for (int i = 0; i < 16; i++) {
      clock.advance(Duration.ofMinutes(1));
      chat.tick();
    }

    var r = approvals.find(id).orElseThrow();
    assertThat(r.state().name()).isEqualTo("CANCELLED");
    assertThat(r.closeDetail()).contains("approval card could not be posted", "unavailable");
    assertThat(
            jdbc.sql(
                    "select detail from audit_event where request_id = ? and outcome ="
                        + " 'CANCELLED'")
                .param(id)
                .query(String.class)
                .single())
        .contains("approval card could not be posted", "platform unavailable");
    assertThat(world.in("ops")).isEmpty();
    assertThat(
            jdbc.sql("select count(*) from chat_outbox where state = 'PENDING'")
                .query(Integer.class)
                .single())
        .isZero();
    // the cluster is free again: a new request goes ahead
    platform.failingPosts.set(0);
    assertThat(stop(DANA, "/obcluster stop id:1 reason:again").text()).contains("is posted");
    assertThat(world.in("ops")).hasSize(1);
  }

  @Test
  void aCreateWhoseConfirmationWasLostIsNotPostedTwice() {
    platform.lostConfirmations.set(1);
    stop(DANA, "/obcluster stop id:1 reason:drill"); // the card is posted, the answer lost
    clock.advance(Duration.ofSeconds(1));
    chat.tick();
    assertThat(world.in("ops")).hasSize(1);
    String thread = "thread:" + card();
    gateway.onButton(APPROVER, OPS, "obops:approve:" + requestIdOf(card()));
    chat.tick();

    engine.runUntilIdle();
    platform.lostConfirmations.set(3);
    for (int i = 0; i < 6; i++) {
      chat.tick();
      clock.advance(Duration.ofSeconds(5));
    }

    List<String> texts = world.texts(thread);
    assertThat(texts.stream().filter(t -> t.contains("observer on 10.0.0.5 stopped"))).hasSize(1);
    assertThat(texts.stream().filter(t -> t.startsWith("@dana task "))).hasSize(1);
    assertThat(texts.stream().filter(t -> t.contains(".json]"))).hasSize(1);
    assertThat(texts.stream().filter(t -> t.contains("Everything about request"))).hasSize(1);
  }

  @Test
  void filesAreRetriedAndTheEndCountsAsPostedOnlyOnceTheyAre() {
    stop(DANA, "/obcluster stop id:1 reason:drill");
    String thread = "thread:" + card();
    long id = requestIdOf(card());
    gateway.onButton(APPROVER, OPS, "obops:approve:" + id);
    long taskId = approvals.find(id).orElseThrow().taskId();
    platform.filesAllowed = false;

    engine.runUntilIdle();
    chat.tick();

    assertThat(world.texts(thread)).anyMatch(t -> t.startsWith("@dana task " + taskId));
    assertThat(world.files).doesNotContainKey("task-" + taskId + ".json");
    assertThat(endPosted(id)).isFalse();

    platform.filesAllowed = true;
    clock.advance(Duration.ofSeconds(2));
    chat.tick();

    assertThat(world.files).containsKeys("task-" + taskId + ".json", "task-" + taskId + ".png");
    assertThat(endPosted(id)).isTrue();
  }

  private boolean endPosted(long requestId) {
    return jdbc.sql("select end_posted_at is not null from chat_conversation where request_id = ?")
        .param(requestId)
        .query(Boolean.class)
        .single();
  }

  @Test
  void everyPeriodicJobIsARoutineAndTheChatRoutinesReportAndDeliver() {
    assertThat(routines.all())
        .extracting(io.obops.routine.Routine::name)
        .contains("chat-reporter", "chat-outbox", "approval-expiry", "access-reload");
    platform.failingPosts.set(1);
    stop(DANA, "/obcluster stop id:1 reason:drill"); // the card's first try fails
    long id = jdbc.sql("select max(id) from approval_request").query(Long.class).single();
    clock.advance(Duration.ofSeconds(1));

    routines.runNow("chat-outbox"); // hands the conversation to a worker, does not wait
    assertThat(sender.awaitIdle(Duration.ofSeconds(20))).isTrue();
    String card = card();
    gateway.onButton(APPROVER, OPS, "obops:approve:" + id);
    engine.runUntilIdle();
    routines.runNow("chat-reporter");
    routines.runNow("chat-outbox");
    assertThat(sender.awaitIdle(Duration.ofSeconds(20))).isTrue();

    assertThat(world.texts("thread:" + card)).anyMatch(t -> t.startsWith("@dana task"));
  }

  @Test
  void anExpiredRequestsCardIsStampedAndItsButtonsDisabled() {
    stop(DANA, "/obcluster stop id:1 reason:drill");
    String card = card();
    long id = requestIdOf(card);

    clock.advance(Duration.ofMinutes(16));
    expiry.expireDue();
    chat.tick();

    assertThat(world.messages.get(card).card().title()).startsWith("⌛ Stop demo expired");
    assertThat(world.messages.get(card).buttons()).isEmpty();
    assertThat(gateway.onButton(APPROVER, OPS, "obops:approve:" + id).text())
        .contains("already EXPIRED");
  }

  @Test
  void theRequesterCancelsFromTheCard() {
    stop(DANA, "/obcluster stop id:1 reason:drill");
    long id = requestIdOf(card());

    assertThat(gateway.onButton(DANA, OPS, "obops:cancel:" + id).text()).contains("cancelled");
    assertThat(world.messages.get(card()).card().title()).startsWith("⊘ Stop demo cancelled");
    assertThat(world.messages.get(card()).buttons()).isEmpty();
  }

  @Test
  void listStatusTaskAndAutocompleteAnswerInChat() {
    assertThat(stop(DANA, "/obcluster list").text()).contains("1 — demo — RUNNING");
    assertThat(stop(DANA, "/obcluster status 1").text()).contains("zone1", "10.0.0.5:2882");
    assertThat(stop(DANA, "/obcluster task id:999999").text()).contains("does not exist");
    assertThat(stop(DANA, "/obcluster status demo").text()).contains("zone1", "10.0.0.5:2882");
    assertThat(stop(DANA, "/obcluster help").text())
        .contains("/obcluster stop demo disk swap on zone1", "/obcluster list");
    assertThat(gateway.autocompleteClusterId(DANA, "pro"))
        .containsExactly(new Choice("2", "2 — prod1"));
    assertThat(gateway.autocompleteClusterId(STRANGER, "")).isEmpty();
    assertThat(gateway.autocompleteClusterId(VIEWER, "de"))
        .containsExactly(new Choice("1", "1 — demo"));
  }

  @Test
  void whenHalfTheTimeToLivePassesUndecidedTheThreadIsRemindedOnceAndTheCardsExpiryMoves() {
    stop(DANA, "/obcluster stop demo disk swap");
    String thread = "thread:" + card();
    long id = requestIdOf(card());

    clock.advance(Duration.ofMinutes(7));
    chat.tick();
    assertThat(world.texts(thread)).hasSize(1);

    clock.advance(Duration.ofSeconds(40));
    chat.tick();
    clock.advance(Duration.ofSeconds(40));
    chat.tick();

    List<String> texts = world.texts(thread);
    assertThat(texts).hasSize(2);
    assertThat(texts.get(1))
        .startsWith("⏰ Request #" + id + " to stop demo still waits for approval (0 of 1)")
        .contains("expires in 7 min", "@&discord-role:900");
    assertThat(world.messages.get(card()).card().footer()).startsWith("PENDING · expires in 7 min");
  }

  @Test
  void theWordsAfterTheClusterAreTheReasonAndTheClusterIsNamedByNameOrId() {
    stop(DANA, "/obcluster stop demo disk swap on zone1");
    assertThat(world.messages.get(card()).card().fields())
        .extracting(ChatMessage.Field::value)
        .contains("disk swap on zone1");
    assertThat(stop(DANA, "/obcluster status 1").text()).contains("**demo** (id 1)");
    assertThat(stop(DANA, "/obcluster status demo").text()).contains("**demo** (id 1)");
  }

  @Test
  void nearMissesAreAnsweredWithWhatWasMeant() {
    assertThat(stop(DANA, "/obcluster stopp demo drill").text())
        .contains("Unknown command 'stopp'", "Did you mean `/obcluster stop`?");
    assertThat(stop(DANA, "/obcluster stauts demo").text()).contains("`/obcluster status`");
    assertThat(stop(DANA, "/obcluster status dmeo").text())
        .contains("No cluster 'dmeo'", "Did you mean `demo`?");
    assertThat(stop(DANA, "/obcluster").text()).contains("/obcluster list", "/obcluster help");
  }

  @Test
  void aRejectCarriesTheApproversCommentOntoTheCard() {
    stop(DANA, "/obcluster stop demo drill");
    long id = requestIdOf(card());

    ChatReply rejected =
        gateway.onButton(APPROVER, OPS, ComponentId.reject(id).encode(), "not during the sale");

    assertThat(rejected.text()).isEqualTo("You rejected #" + id + ": not during the sale");
    assertThat(world.messages.get(card()).card().title())
        .isEqualTo("✗ Stop demo rejected by discord-user:77: not during the sale — request #" + id);
    assertThat(world.texts("thread:" + card()).get(1)).contains("not during the sale");
  }

  private JsonNode get(String path) throws Exception {
    HttpResponse<String> r =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                    .header("Authorization", "Bearer " + TestTokens.token("viewer"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(200);
    return OcpSample.JSON.readTree(r.body());
  }
}
