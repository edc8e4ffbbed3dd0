package io.obops.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.chat.ComponentId;
import org.junit.jupiter.api.Test;

class RejectModalTest {

  @Test
  void rejectAsksWhyInAModalThatCarriesTheButtonsId() {
    String id = ComponentId.reject(42).encode();
    var modal = DiscordListener.rejectModal(id, 42);

    assertThat(modal.getId()).isEqualTo("obops:reject:42");
    assertThat(modal.getTitle()).isEqualTo("Reject request #42");
    assertThat(modal.toData().toString()).contains(DiscordListener.REJECT_COMMENT, "Why?");
  }
}
