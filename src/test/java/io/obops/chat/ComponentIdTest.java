package io.obops.chat;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ComponentIdTest {

  @Test
  void everyButtonIdRoundTripsThroughTheOneCodec() {
    for (ComponentId id :
        new ComponentId[] {
          ComponentId.approve(7),
          ComponentId.reject(7),
          ComponentId.cancel(7),
          ComponentId.refresh(7),
          ComponentId.approve(7, "3f9a0c1b2d4e"),
          ComponentId.retry(1000, 31),
          ComponentId.skip(1000, 31)
        }) {
      assertThat(ComponentId.decode(id.encode())).contains(id);
    }
    assertThat(ComponentId.retry(1000, 31).encode()).isEqualTo("obops:retry:1000:31");
    assertThat(ComponentId.approve(7, "3f9a0c1b2d4e").encode())
        .isEqualTo("obops:approve:7:3f9a0c1b2d4e");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "obops:approve:01",
        "obops:approve:+1",
        "obops:approve:1:2",
        "obops:retry:5",
        "obops:approve:1:XYZ",
        "obops:reject:1:3f9a0c1b2d4e",
        "obops:APPROVE:1",
        "obops:launch:1",
        "obops:",
        "other:approve:1",
        ""
      })
  void anythingElseIsNotAButtonOfOurs(String raw) {
    assertThat(ComponentId.decode(raw)).isEmpty();
  }
}
