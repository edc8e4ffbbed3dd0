package io.obops.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.logging.DeferredLogs;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** One approver-role setting; the retired Discord one is still read, and never contradicts it. */
class ApproverRoleAliasTest {

  private static StandardEnvironment apply(Map<String, Object> properties) {
    StandardEnvironment env = new StandardEnvironment();
    env.getPropertySources().addFirst(new MapPropertySource("test", properties));
    new ApproverRoleAlias(new DeferredLogs()).postProcessEnvironment(env, new SpringApplication());
    return env;
  }

  @Test
  void theRetiredDiscordRoleIdIsReadAsTheChatApproverRole() {
    StandardEnvironment env =
        apply(Map.of("obops.discord.approver-role-id", "1500000000000000002"));

    assertThat(env.getProperty("obops.chat.approver-role"))
        .isEqualTo("discord-role:1500000000000000002");
  }

  @Test
  void theChatApproverRoleAloneIsLeftAsItIs() {
    StandardEnvironment env = apply(Map.of("obops.chat.approver-role", "discord-role:7"));

    assertThat(env.getProperty("obops.chat.approver-role")).isEqualTo("discord-role:7");
  }

  @Test
  void twoSettingsThatDisagreeStopStartUpNamingBoth() {
    assertThatThrownBy(
            () ->
                apply(
                    Map.of(
                        "obops.discord.approver-role-id", "8",
                        "obops.chat.approver-role", "discord-role:7")))
        .hasMessageContaining("obops.discord.approver-role-id (8)")
        .hasMessageContaining("obops.chat.approver-role (discord-role:7)")
        .hasMessageContaining("remove obops.discord.approver-role-id");
  }

  @Test
  void aRetiredSettingThatIsNotARoleIdStopsStartUp() {
    assertThatThrownBy(() -> apply(Map.of("obops.discord.approver-role-id", "approvers")))
        .hasMessageContaining("not a Discord role id")
        .hasMessageContaining("obops.chat.approver-role=discord-role:<role id>");
  }
}
