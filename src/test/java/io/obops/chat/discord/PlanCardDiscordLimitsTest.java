package io.obops.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.access.Surface;
import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalState;
import io.obops.chat.ChatMessage;
import io.obops.chat.RenderingForTests;
import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.chat.discord.emulator.EmuMessage;
import io.obops.chat.discord.emulator.EmulatedJda;
import io.obops.cluster.ClusterSnapshot;
import io.obops.cluster.PreflightPlan;
import io.obops.cluster.PreflightPlan.Access;
import io.obops.cluster.PreflightPlan.Anomaly;
import io.obops.cluster.PreflightPlan.AnomalyKind;
import io.obops.cluster.PreflightPlan.Finding;
import io.obops.cluster.PreflightPlan.Observer;
import io.obops.cluster.PreflightPlan.Port;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import net.dv8tion.jda.api.JDA;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * The approval card with its pre-flight plan, posted through the Discord adapter to the emulator,
 * at 3 and at 200 servers: within Discord's limits (25 fields, 1024 characters a field, 6000 a
 * message) without the adapter having to cut anything, anomalies on the card, and at 200 servers
 * the full plan as an attached file.
 */
class PlanCardDiscordLimitsTest {

  private static final String TOKEN = "plan-card-token";
  private static final ZoneId ZONE = ZoneOffset.ofHours(8);
  private static DiscordEmulator emu;
  private static JDA jda;
  private static DiscordPlatform platform;
  private static long channel;

  @BeforeAll
  static void connect() throws InterruptedException {
    emu = DiscordEmulator.create(TOKEN).start();
    channel = emu.addChannel("ops");
    jda = EmulatedJda.connect(emu, TOKEN);
    platform =
        new DiscordPlatform(
            () -> jda,
            new DiscordProperties(
                true,
                "OBOPS_TEST_DISCORD_TOKEN",
                null,
                List.of(),
                List.of(),
                null,
                null,
                null,
                8,
                Duration.ofSeconds(5)));
  }

  @AfterAll
  static void close() {
    jda.shutdownNow();
    emu.close();
  }

  /** A request on {@code servers} servers in 5 zones, {@code anomalous} of them with anomalies. */
  static ApprovalRequest request(int servers, int anomalous) {
    List<ClusterSnapshot.Server> snapshot = new ArrayList<>();
    List<Finding> findings = new ArrayList<>();
    List<String> zones = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      String zone = "zone" + (i % 5 + 1);
      if (!zones.contains(zone)) {
        zones.add(zone);
      }
      var s =
          new ClusterSnapshot.Server(
              i + 1,
              zone,
              "10.20." + (i / 250) + "." + (i % 250 + 1),
              22,
              "admin",
              "/home/admin/oceanbase",
              2881,
              2882);
      snapshot.add(s);
      List<Anomaly> anomalies = new ArrayList<>();
      Access access = Access.REACHABLE;
      Observer observer = Observer.RUNNING;
      long pid = 40000 + i;
      if (i < anomalous) {
        switch (i % 3) {
          case 0 -> {
            observer = Observer.NOT_RUNNING;
            pid = 0;
            anomalies.add(
                new Anomaly(
                    AnomalyKind.STALE_PID_FILE,
                    "stale pid file: it names pid " + (30000 + i) + ", which is not alive"));
          }
          case 1 -> {
            access = Access.UNREACHABLE;
            observer = Observer.UNKNOWN;
            pid = 0;
            anomalies.add(
                new Anomaly(
                    AnomalyKind.UNREACHABLE,
                    "cannot connect to admin@"
                        + s.ip()
                        + ":22: connection refused; check that"
                        + " sshd runs and the host is up"));
          }
          default -> {
            observer = Observer.NOT_RUNNING;
            pid = 0;
            anomalies.add(
                new Anomaly(
                    AnomalyKind.PORT_HELD_BY_OTHER,
                    "port 2881 is held by another process while no observer runs by the pid"
                        + " file; the stop waits for it to be released"));
          }
        }
      }
      findings.add(
          new Finding(
              s.id(),
              zone,
              s.address(),
              access,
              access == Access.REACHABLE ? null : "connection refused",
              observer,
              pid,
              observer == Observer.RUNNING ? 86400 + i : -1,
              access == Access.REACHABLE
                  ? List.of(
                      new Port(2881, observer == Observer.RUNNING || i % 3 == 2),
                      new Port(2882, observer == Observer.RUNNING))
                  : List.of(),
              anomalies));
    }
    OffsetDateTime at = OffsetDateTime.parse("2026-03-02T10:00:00+08:00");
    PreflightPlan plan = new PreflightPlan(1, at, 1830, findings);
    return new ApprovalRequest(
        4242,
        "cluster.stop",
        new ApprovalRequest.Cluster(7, "prod-big"),
        "discord-user:1",
        Surface.DISCORD,
        "x".repeat(400), // a long reason, as Texts allows
        ApprovalState.PENDING,
        null,
        null,
        2,
        0,
        List.of("approval.decide"),
        List.of(),
        "hash",
        new ClusterSnapshot(7, "prod-big", 7, "inv", zones, snapshot),
        at,
        at.plusMinutes(15),
        null,
        9001L,
        null,
        plan);
  }

  @ParameterizedTest(name = "{0} servers, {1} with anomalies")
  @CsvSource({"3, 1", "200, 0", "200, 7", "200, 60", "200, 200"})
  void thePlanCardFitsDiscordsLimitsWithoutCuts(int servers, int anomalous) throws Exception {
    ApprovalRequest r = request(servers, anomalous);
    ChatMessage card = RenderingForTests.card(r, ZONE);

    // within the limits as rendered, so the adapter cuts nothing
    ChatMessage.Card c = card.card();
    assertThat(c.fields()).hasSizeLessThanOrEqualTo(25);
    assertThat(c.fields()).allMatch(f -> f.value().length() <= 1024 && f.name().length() <= 256);
    int total =
        c.title().length()
            + c.footer().length()
            + c.fields().stream().mapToInt(f -> f.name().length() + f.value().length()).sum();
    assertThat(total).isLessThanOrEqualTo(6000);

    var ref = platform.post(DiscordRefs.channel(channel), card);
    EmuMessage posted = emu.messageById(DiscordRefs.messageId(ref));
    JsonNode embed = posted.embeds().get(0);
    assertThat(embed.get("fields")).hasSize(c.fields().size());
    for (int i = 0; i < c.fields().size(); i++) {
      assertThat(embed.get("fields").get(i).get("value").asString())
          .isEqualTo(c.fields().get(i).value());
    }
    String text = posted.embedText();
    assertThat(text).contains(r.plan().summary());
    if (anomalous > 0) {
      assertThat(text).contains("⚠ Anomalies on " + anomalous + " of " + servers + " servers");
      // counts by kind, even when not every anomalous server fits on the card
      assertThat(text).contains("anomalies: ", (anomalous + 2) / 3 + " stale pid file");
      // anomalies come first: the first anomalous server is on the card
      assertThat(text).contains("⚠ zone1 " + r.snapshot().servers().get(0).address());
    }
    assertThat(posted.buttons())
        .extracting(EmuMessage.Button::customId)
        .contains("obops:approve:4242:" + r.plan().shortHash(), "obops:refresh:4242");

    if (servers == 200) {
      assertThat(RenderingForTests.planNeedsFile(r)).isTrue();
      var file =
          platform.postFile(
              DiscordRefs.channel(channel),
              "plan",
              RenderingForTests.planFileName(r),
              "text/plain",
              RenderingForTests.planFile(r, ZONE));
      String content =
          emu.messageById(DiscordRefs.messageId(file))
              .attachment(RenderingForTests.planFileName(r))
              .map(a -> new String(a.data(), StandardCharsets.UTF_8))
              .orElseThrow();
      assertThat(content.lines().filter(l -> l.startsWith("⚠ ") || l.startsWith("zone")))
          .hasSize(200);
    } else {
      assertThat(RenderingForTests.planNeedsFile(r)).isFalse();
      assertThat(text).contains(r.snapshot().servers().get(2).address());
    }
  }
}
