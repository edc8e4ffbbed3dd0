package io.obops.chat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ChatCommandTest {

  @Test
  void aBareIdAndAReasonWithSpacesAreOptions() {
    ChatCommand c = ChatCommand.parse("/obcluster stop 1 reason:disk swap on zone1");
    assertThat(c.subcommand()).isEqualTo("stop");
    assertThat(c.options()).isEqualTo(Map.of("id", "1", "reason", "disk swap on zone1"));
  }

  @Test
  void namedOptionsComeInAnyOrder() {
    assertThat(ChatCommand.parse("stop reason:drill id:2").options())
        .isEqualTo(Map.of("id", "2", "reason", "drill"));
  }

  @Test
  void otherSlashCommandsAndStrayWordsAreRefusedWithTheRightSpelling() {
    assertThatThrownBy(() -> ChatCommand.parse("/deploy now")).hasMessageContaining("/obcluster");
    assertThat(ChatCommand.parse("/obcluster stop 1 2").options())
        .isEqualTo(Map.of("id", "1", "reason", "2")); // the words after the cluster: the reason
    assertThat(ChatCommand.parse("").subcommand()).isEqualTo(ChatCommand.HELP);
  }
}
