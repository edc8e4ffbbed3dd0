package io.obops.chat.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.chat.ChannelRef;
import io.obops.chat.ChatMessage;
import io.obops.testsupport.ApprovalSpringTest;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

/**
 * Console reads show only cards and threads of clusters the reader may view: two clusters (1 demo,
 * 2 prod1), alice operates both, dana views only prod1, olga only demo ({@code access-test.yml}).
 * The channel, a thread, a file and the live stream each leave out what is not the reader's; a
 * message that belongs to no approval request is shown to nobody.
 */
@DirtiesContext
@TestPropertySource(properties = "obops.console.identity-picker=true")
class WebConsoleReadScopeTest extends ApprovalSpringTest {

  @LocalServerPort int port;
  @Autowired WebChatPlatform platform;

  private String stop(long clusterId) throws Exception {
    RawHttp.Response r =
        RawHttp.to(port)
            .asConsole("alice")
            .post(
                "/console/api/command",
                "{\"text\":\"/obcluster stop " + clusterId + " reason:drill " + clusterId + "\"}");
    assertThat(r.status()).isEqualTo(200);
    assertThat(r.body()).contains("is posted");
    return jdbc.sql(
            "select c.card_ref from chat_conversation c join approval_request r on r.id ="
                + " c.request_id where r.cluster_id = ?")
        .param(clusterId)
        .query(String.class)
        .single();
  }

  private String read(String user, String channel) throws Exception {
    RawHttp.Response r =
        RawHttp.to(port).asConsole(user).get("/console/api/channels/" + channel + "/messages");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.body();
  }

  @Test
  void theChannelAndThreadsShowOnlyTheReadersClusters() throws Exception {
    String demoCard = stop(1);
    String prodCard = stop(2);
    platform.post(new ChannelRef("ops"), ChatMessage.text("orphan line"));

    assertThat(read("dana", "ops")).contains("cluster prod1?").doesNotContain("cluster demo?");
    assertThat(read("olga", "ops")).contains("cluster demo?").doesNotContain("cluster prod1?");
    assertThat(read("alice", "ops"))
        .contains("cluster demo?", "cluster prod1?")
        .doesNotContain("orphan line");

    assertThat(read("dana", "thread:" + demoCard)).isEqualTo("[]");
    assertThat(read("olga", "thread:" + demoCard)).contains("Everything about request #");
    assertThat(read("dana", "thread:" + prodCard)).contains("Everything about request #");
  }

  @Test
  void aFileInAThreadIsServedOnlyToWhoMayViewItsCluster() throws Exception {
    String demoCard = stop(1);
    long file =
        Long.parseLong(
            platform
                .postFile(
                    new ChannelRef("thread:" + demoCard),
                    "the envelope",
                    "task-1.json",
                    "application/json",
                    "{\"secret\":\"server list\"}".getBytes())
                .value()
                .substring(1));

    RawHttp.Response dana = RawHttp.to(port).get("/console/api/files/" + file + "?user=dana");
    RawHttp.Response olga = RawHttp.to(port).get("/console/api/files/" + file + "?user=olga");

    assertThat(dana.status()).isEqualTo(404);
    assertThat(dana.body()).doesNotContain("server list");
    assertThat(olga.status()).isEqualTo(200);
    assertThat(olga.body()).contains("server list");
  }

  @Test
  void someoneTheAccessFileDoesNotNameReadsNothing() throws Exception {
    stop(1);
    RawHttp.Response ghost =
        RawHttp.to(port).asConsole("ghost").get("/console/api/channels/ops/messages");
    RawHttp.Response nobody = RawHttp.to(port).get("/console/api/channels/ops/messages");

    assertThat(ghost.status()).isEqualTo(400);
    assertThat(ghost.body()).contains("pick who you are").doesNotContain("demo");
    assertThat(nobody.status()).isEqualTo(400);
  }

  @Test
  void theLiveStreamCarriesOnlyTheReadersClustersIncludingCardsPostedBeforeTheirRequestIsLinked()
      throws Exception {
    BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    HttpClient client = HttpClient.newHttpClient();
    CompletableFuture<HttpResponse<Stream<String>>> stream =
        client.sendAsync(
            HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/console/api/events?user=dana"))
                .build(),
            HttpResponse.BodyHandlers.ofLines());
    HttpResponse<Stream<String>> response = stream.get(30, TimeUnit.SECONDS);
    assertThat(response.statusCode()).isEqualTo(200);
    Thread reader = new Thread(() -> response.body().forEach(lines::add), "sse-reader");
    reader.setDaemon(true);
    reader.start();
    try {
      stop(1);
      String prodCard = stop(2);
      platform.post(new ChannelRef("thread:" + prodCard), ChatMessage.text("marker for dana"));

      List<String> seen = new ArrayList<>();
      while (seen.stream().noneMatch(l -> l.contains("marker for dana"))) {
        String line = lines.poll(30, TimeUnit.SECONDS);
        assertThat(line).as("the stream went quiet before the marker; saw %s", seen).isNotNull();
        seen.add(line);
      }
      String all = String.join("\n", seen);
      assertThat(all).contains("cluster prod1?").doesNotContain("cluster demo?", "drill 1");
    } finally {
      response.body().close();
    }
  }
}
