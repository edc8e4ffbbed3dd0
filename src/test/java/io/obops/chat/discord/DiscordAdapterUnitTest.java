package io.obops.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.chat.Button;
import io.obops.chat.ChatCore;
import io.obops.chat.ChatMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.dv8tion.jda.api.entities.MessageEmbed;
import net.dv8tion.jda.api.utils.messages.MessageCreateData;
import net.dv8tion.jda.api.utils.messages.MessageEditData;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.context.annotation.UserConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Discord adapter's parts that need no Discord: token, references, rendering, switch. */
class DiscordAdapterUnitTest {

  private static DiscordProperties properties(Path tokenFile) {
    return new DiscordProperties(
        true,
        "OBOPS_TEST_DISCORD_TOKEN",
        tokenFile,
        List.of(),
        List.of(),
        null,
        null,
        null,
        8,
        Duration.ofSeconds(1));
  }

  @Test
  void theTokenComesFromTheFileBeforeTheEnvironmentAndIsNeverPrinted(@TempDir Path dir)
      throws Exception {
    Path file = dir.resolve("token");
    Files.writeString(file, "Bot secret-from-file\n");

    DiscordToken token = DiscordToken.resolve(properties(file), name -> "secret-from-env");

    assertThat(token.value()).isEqualTo("secret-from-file");
    assertThat(token.toString()).doesNotContain("secret");
    assertThat(properties(file).toString()).doesNotContain("secret");
  }

  @Test
  void theTokenComesFromTheNamedEnvironmentVariableWithoutAFile() {
    DiscordToken token =
        DiscordToken.resolve(
            properties(null), Map.of("OBOPS_TEST_DISCORD_TOKEN", "secret-from-env")::get);

    assertThat(token.value()).isEqualTo("secret-from-env");
  }

  @Test
  void aMissingTokenStopsStartUpNamingWhereToPutIt() {
    assertThatThrownBy(() -> DiscordToken.resolve(properties(null), name -> null))
        .hasMessageContaining("OBOPS_TEST_DISCORD_TOKEN")
        .hasMessageContaining("obops.discord.token-file");
  }

  @Test
  void referencesRoundTripAndMalformedOnesAreRefused() {
    var message = DiscordRefs.message(14L, 15L);

    assertThat(DiscordRefs.channelId(message)).isEqualTo(14L);
    assertThat(DiscordRefs.messageId(message)).isEqualTo(15L);
    assertThat(DiscordRefs.channelId(DiscordRefs.channel(16L))).isEqualTo(16L);
    assertThatThrownBy(() -> DiscordRefs.channelId(new io.obops.chat.ChannelRef("web:ops")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aCardBecomesOneEmbedWithinDiscordsLimitsAndButtonsOneRow() {
    ChatMessage m =
        new ChatMessage(
            "x".repeat(3000),
            new ChatMessage.Card(
                "t".repeat(300),
                ChatMessage.Colour.FAILURE,
                List.of(
                    new ChatMessage.Field("a", "v".repeat(2000), false),
                    new ChatMessage.Field("b", "w".repeat(2000), false),
                    new ChatMessage.Field("c", "y".repeat(2000), false),
                    new ChatMessage.Field("d", "z".repeat(2000), false),
                    new ChatMessage.Field("e", "q".repeat(2000), false),
                    new ChatMessage.Field("f", "r".repeat(2000), false),
                    new ChatMessage.Field("g", "s".repeat(2000), false)),
                "footer"),
            List.of(
                new Button("obops:approve:1", "Approve", Button.Style.SUCCESS, false),
                new Button("obops:reject:1", "Reject", Button.Style.DANGER, true)));

    MessageCreateData data = DiscordMessages.create(m, "");

    assertThat(data.getContent()).hasSize(2000);
    MessageEmbed embed = data.getEmbeds().get(0);
    assertThat(embed.getLength()).isLessThanOrEqualTo(6000);
    assertThat(embed.getTitle()).hasSize(256);
    assertThat(embed.getColorRaw()).isEqualTo(0xE74C3C);
    assertThat(data.getComponents()).hasSize(1);
  }

  @Test
  void anEditReplacesCardAndButtonsThatWentAway() {
    MessageEditData edit = DiscordMessages.edit(ChatMessage.text("done"), "");

    assertThat(edit.getContent()).isEqualTo("done");
    assertThat(edit.getEmbeds()).isEmpty();
    assertThat(edit.getComponents()).isEmpty();
  }

  @Test
  void theInviteIntegerInTheReadmeIsExactlyThePermissionsTheBotChecks() throws Exception {
    assertThat(DiscordPermissions.INVITE).isEqualTo(309237697536L);
    assertThat(java.nio.file.Files.readString(Path.of("README.md")))
        .contains("permissions=" + DiscordPermissions.INVITE);
  }

  @Test
  void nothingButTheGivenRolesMayPing() {
    MessageCreateData data =
        DiscordMessages.create(ChatMessage.text("@everyone <@&7> <@8>"), "", List.of("7"));

    assertThat(data.getAllowedMentions()).isEmpty();
    assertThat(data.getMentionedRoles()).containsExactly("7");
    assertThat(data.getMentionedUsers()).isEmpty();
  }

  @Test
  void messagesOlderThanFiftyFiveMinutesAreNotEdited() {
    DiscordPlatform platform =
        new DiscordPlatform(() -> null, properties(null), java.time.Clock.systemUTC(), null);

    assertThat(platform.canEditMessagesOlderThan(Duration.ofMinutes(54))).isTrue();
    assertThat(platform.canEditMessagesOlderThan(Duration.ofMinutes(61))).isFalse();
    assertThat(platform.mentionRole("discord-role:9")).isEqualTo("<@&9>");
    assertThat(platform.mentionUser("discord-user:8")).isEqualTo("<@8>");
  }

  private final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withConfiguration(UserConfigurations.of(DiscordConfiguration.class))
          .withBean(ChatCore.class, () -> platform -> null);

  @Test
  void theAdapterIsOffUnlessEnabled() {
    context.run(c -> assertThat(c).doesNotHaveBean(DiscordBot.class));
  }

  @Test
  void anEnabledAdapterWithoutATokenFailsAtStartUpWithoutPrintingSecrets() {
    context
        .withPropertyValues(
            "obops.discord.enabled=true", "obops.discord.token-env=OBOPS_NO_SUCH_VARIABLE_42")
        .run(
            c ->
                assertThat(c)
                    .hasFailed()
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("OBOPS_NO_SUCH_VARIABLE_42"));
  }
}
