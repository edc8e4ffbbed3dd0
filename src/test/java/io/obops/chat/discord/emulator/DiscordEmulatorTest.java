package io.obops.chat.discord.emulator;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import net.dv8tion.jda.api.JDA;
import net.dv8tion.jda.api.components.actionrow.ActionRow;
import net.dv8tion.jda.api.components.buttons.Button;
import net.dv8tion.jda.api.entities.Member;
import net.dv8tion.jda.api.entities.Role;
import net.dv8tion.jda.api.events.interaction.command.CommandAutoCompleteInteractionEvent;
import net.dv8tion.jda.api.events.interaction.command.SlashCommandInteractionEvent;
import net.dv8tion.jda.api.events.interaction.component.ButtonInteractionEvent;
import net.dv8tion.jda.api.hooks.ListenerAdapter;
import net.dv8tion.jda.api.interactions.commands.OptionType;
import net.dv8tion.jda.api.interactions.commands.build.Commands;
import net.dv8tion.jda.api.interactions.commands.build.SubcommandData;
import net.dv8tion.jda.api.utils.FileUpload;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The emulator proves itself with the real JDA client: login, command registration, a slash command
 * that is deferred and answered with buttons, a thread, a file upload, a button click,
 * autocomplete, the acknowledgement deadline, forced 429s and a dropped gateway connection.
 */
class DiscordEmulatorTest {

  private static final String TOKEN = "emulator-test-token";
  private static final Duration WAIT = Duration.ofSeconds(10);

  private DiscordEmulator emu;
  private JDA jda;
  private long ops;
  private long alice;
  private long operatorRole;
  private final CompletableFuture<List<String>> seenRoles = new CompletableFuture<>();

  /** A tiny bot: the flow obops needs, done with plain JDA calls. */
  private final class Bot extends ListenerAdapter {
    volatile boolean ackSlashCommands = true;

    @Override
    public void onSlashCommandInteraction(SlashCommandInteractionEvent event) {
      Member m = event.getMember();
      seenRoles.complete(m.getRoles().stream().map(Role::getId).toList());
      if (!ackSlashCommands) {
        return;
      }
      String id = event.getOption("id").getAsString();
      event.deferReply().queue();
      event
          .getHook()
          .sendMessage("Stop cluster " + id + "?")
          .setComponents(
              ActionRow.of(
                  Button.success("demo:approve:" + id, "Approve"),
                  Button.danger("demo:reject:" + id, "Reject")))
          .queue(
              message ->
                  message
                      .createThreadChannel("stop " + id)
                      .queue(
                          thread ->
                              thread
                                  .sendMessage("result")
                                  .addFiles(
                                      FileUpload.fromData(
                                          "{\"ok\":true}".getBytes(StandardCharsets.UTF_8),
                                          "task-" + id + ".json"))
                                  .queue()));
    }

    @Override
    public void onButtonInteraction(ButtonInteractionEvent event) {
      event.deferEdit().queue();
      event
          .getHook()
          .editOriginalComponents(
              ActionRow.of(
                  event.getMessage().getComponentTree().findAll(Button.class).stream()
                      .map(Button::asDisabled)
                      .toList()))
          .queue();
    }

    @Override
    public void onCommandAutoCompleteInteraction(CommandAutoCompleteInteractionEvent event) {
      event.replyChoice("1 demo (typed '" + event.getFocusedOption().getValue() + "')", 1).queue();
    }
  }

  private final Bot bot = new Bot();

  @BeforeEach
  void start() throws InterruptedException {
    emu = DiscordEmulator.create(TOKEN);
    operatorRole = emu.addRole("operator");
    alice = emu.addMember("alice", operatorRole);
    emu.start();
    ops = emu.channel("ops");
    jda = EmulatedJda.connect(emu, TOKEN, bot);
    jda.updateCommands()
        .addCommands(
            Commands.slash("obcluster", "OceanBase clusters")
                .addSubcommands(
                    new SubcommandData("stop", "stop a cluster")
                        .addOption(OptionType.INTEGER, "id", "cluster id", true, true)))
        .complete();
  }

  @AfterEach
  void stop() throws InterruptedException {
    if (jda != null) {
      jda.shutdownNow();
      jda.awaitShutdown(5, TimeUnit.SECONDS);
    }
    emu.close();
  }

  @Test
  void realJdaLogsInRegistersCommandsAndSeesTheMembersRoles() throws Exception {
    assertThat(emu.registeredCommands(null).get(0).path("name").asString()).isEqualTo("obcluster");
    assertThat(jda.getGuildById(emu.guildId())).isNotNull();

    emu.slash(alice, ops, "obcluster", "stop", Map.of("id", 1)).awaitAck(WAIT);

    assertThat(seenRoles.get(10, TimeUnit.SECONDS)).containsExactly(Long.toString(operatorRole));
  }

  @Test
  void aDeferredSlashCommandGetsButtonsAThreadAndAFileAndAClickDisablesTheButtons() {
    EmuInteraction command = emu.slash(alice, ops, "obcluster", "stop", Map.of("id", 1));

    assertThat(command.awaitAck(WAIT)).isEqualTo(EmuInteraction.DEFER_REPLY);
    assertThat(command.awaitResponseText(WAIT)).contains("Stop cluster 1?");
    EmuMessage card = command.original().orElseThrow();
    assertThat(card.buttons())
        .extracting(EmuMessage.Button::label)
        .containsExactly("Approve", "Reject");
    long threadId = emu.await(() -> card.threadId().orElse(null), WAIT, "a thread on the card");
    EmuMessage result =
        emu.awaitMessage(threadId, m -> m.attachment("task-1.json").isPresent(), WAIT);
    assertThat(result.attachment("task-1.json").orElseThrow().text()).isEqualTo("{\"ok\":true}");
    assertThat(emu.thread(threadId).orElseThrow().name()).isEqualTo("stop 1");

    EmuInteraction click = emu.click(alice, card.id(), "demo:approve:1");

    assertThat(click.awaitAck(WAIT)).isEqualTo(EmuInteraction.DEFER_EDIT);
    emu.awaitTrue(
        () -> card.buttons().stream().allMatch(EmuMessage.Button::disabled),
        WAIT,
        "disabled buttons");
    assertThat(card.revisions()).hasSizeGreaterThanOrEqualTo(3);
  }

  @Test
  void autocompleteAnswersWithChoices() {
    EmuInteraction ac = emu.autocomplete(alice, ops, "obcluster", "stop", "id", "1");

    assertThat(ac.awaitChoices(WAIT).get(0).path("name").asString())
        .isEqualTo("1 demo (typed '1')");
  }

  @Test
  void anInteractionAcknowledgedAfterTheDeadlineIsUnknown() {
    emu.ackDeadline(Duration.ZERO);

    EmuInteraction command = emu.slash(alice, ops, "obcluster", "stop", Map.of("id", 2));

    emu.awaitTrue(() -> !command.refusals().isEmpty(), WAIT, "a refused late acknowledgement");
    assertThat(command.callbackType()).isEmpty();
  }

  @Test
  void forcedRateLimitsDelayAChannelMessageButLoseNothing() {
    emu.forceRateLimit("POST", "^channels/\\d+/messages$", 2, 1);
    long started = System.nanoTime();

    jda.getTextChannelById(ops).sendMessage("after two 429s").complete();

    assertThat(emu.rateLimited()).isEqualTo(2);
    assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThan(Duration.ofSeconds(1));
    assertThat(emu.messages(ops)).extracting(EmuMessage::content).containsExactly("after two 429s");
  }

  @Test
  void aDroppedGatewayConnectionIsResumedAndMissedInteractionsAreReplayed() {
    emu.dropGatewayConnection();
    EmuInteraction command = emu.slash(alice, ops, "obcluster", "stop", Map.of("id", 3));

    assertThat(command.awaitAck(WAIT)).isEqualTo(EmuInteraction.DEFER_REPLY);
    assertThat(emu.resumes()).isEqualTo(1);
    assertThat(emu.identifies()).isEqualTo(1);
  }

  @Test
  void theGlobalLimitIsAnsweredAsDiscordDoesAndJdaWaitsItOut() {
    long other = emu.addChannelLive("other");
    emu.globalLimit(3, Duration.ofMillis(500));
    for (int i = 0; i < 4; i++) {
      jda.getTextChannelById(i % 2 == 0 ? ops : other).sendMessage("m" + i).complete();
    }

    assertThat(emu.globalRateLimited()).isPositive();
    assertThat(emu.messages(ops)).hasSize(2);
    assertThat(emu.messages(other)).hasSize(2);
  }

  private java.net.http.HttpResponse<String> rawPost(long channel) throws Exception {
    return java.net.http.HttpClient.newHttpClient()
        .send(
            java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create(emu.restBaseUrl() + "channels/" + channel + "/messages"))
                .header("Authorization", "Bot " + TOKEN)
                .header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"content\":\"x\"}"))
                .build(),
            java.net.http.HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void messagesAreLimitedPerChannelLikeDiscordsFivePerFiveSeconds() throws Exception {
    for (int i = 0; i < 5; i++) {
      assertThat(rawPost(ops).statusCode()).isEqualTo(200);
    }

    java.net.http.HttpResponse<String> sixth = rawPost(ops);

    assertThat(sixth.statusCode()).isEqualTo(429);
    assertThat(sixth.headers().firstValue("Retry-After").orElseThrow()).matches("\\d+");
    assertThat(sixth.headers().firstValue("Via")).isPresent();
    assertThat(sixth.headers().firstValue("X-RateLimit-Scope")).contains("user");
    assertThat(sixth.headers().firstValue("X-RateLimit-Global")).isEmpty();
  }

  @Test
  void theGlobalLimitAnswersWithTheGlobalHeader() throws Exception {
    long other = emu.addChannelLive("other");
    emu.globalLimit(3, Duration.ofSeconds(30));
    for (int i = 0; i < 3; i++) {
      assertThat(rawPost(i % 2 == 0 ? ops : other).statusCode()).isEqualTo(200);
    }

    java.net.http.HttpResponse<String> fourth = rawPost(other);

    assertThat(fourth.statusCode()).isEqualTo(429);
    assertThat(fourth.headers().firstValue("X-RateLimit-Global")).contains("true");
    assertThat(fourth.body()).contains("\"global\":true");
  }

  @Test
  void withoutEmbedLinksTheEmbedIsDroppedSilentlyAndWithoutAttachFilesAFileIsRefused() {
    emu.botPermissions(EmuPermissions.OBOPS & ~EmuPermissions.EMBED_LINKS);
    emu.awaitTrue(
        () ->
            !jda.getGuildById(emu.guildId())
                .getSelfMember()
                .hasPermission(
                    jda.getTextChannelById(ops),
                    net.dv8tion.jda.api.Permission.MESSAGE_EMBED_LINKS),
        WAIT,
        "JDA sees the role update");

    jda.getTextChannelById(ops)
        .sendMessage("card")
        .setEmbeds(new net.dv8tion.jda.api.EmbedBuilder().setTitle("Stop demo?").build())
        .complete();

    EmuMessage card = emu.awaitMessage(ops, m -> m.content().equals("card"), WAIT);
    assertThat(card.embeds()).isEmpty();
    assertThat(emu.botPermissionsIn(ops) & EmuPermissions.EMBED_LINKS).isZero();
  }

  @Test
  void aLockedThreadRefusesPostsWithDiscordsCode() {
    var message = jda.getTextChannelById(ops).sendMessage("card").complete();
    var thread = message.createThreadChannel("stop 1").complete();
    emu.lockThread(thread.getIdLong());

    Throwable refused =
        org.assertj.core.api.Assertions.catchThrowable(
            () -> thread.sendMessage("after the lock").complete());

    assertThat(refused)
        .isInstanceOfSatisfying(
            net.dv8tion.jda.api.exceptions.ErrorResponseException.class,
            e -> assertThat(e.getErrorCode()).isEqualTo(160005));
  }
}
