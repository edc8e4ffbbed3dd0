package io.obops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class IdsTest {

  @ParameterizedTest
  @ValueSource(strings = {"1", "9", "10", "1000", "10000", "9223372036854775807"})
  void theOneSpellingOfAnIdIsReadAsItself(String raw) {
    assertThat(Ids.parse("id", raw)).isEqualTo(Long.parseLong(raw));
    assertThat(String.valueOf(new TaskId(Ids.parse("id", raw)))).isEqualTo(raw);
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(
      strings = {
        "+1",
        "-1",
        "0",
        "00",
        "01",
        "0001000",
        " 1",
        "1 ",
        "\t1",
        "1\n",
        "0x3E8",
        "0X3E8",
        "0b1",
        "1e3",
        "1E3",
        "1.0",
        "1.",
        ".1",
        "1,000",
        "1_000",
        "%31",
        "%2B1",
        "1;x",
        "１",
        "١",
        "٣",
        "9223372036854775808",
        "99999999999999999999",
        "18446744073709551616",
        "NaN",
        "Infinity",
        "1L",
        "1l",
        "#1",
        "\u00001"
      })
  void everyOtherSpellingIsRefusedNamingTheFieldAndTheSpelling(String raw) {
    assertThat(Ids.isId(raw)).isFalse();
    assertThatThrownBy(() -> ClusterId.parse("cluster id", raw))
        .isInstanceOf(Refused.class)
        .satisfies(
            e -> {
              Refusal r = ((Refused) e).refusal();
              assertThat(r).isInstanceOf(Refusal.Malformed.class);
              assertThat(r.kind()).isEqualTo(Refusal.Kind.BAD_INPUT);
              assertThat(((Refusal.Malformed) r).field()).isEqualTo("cluster id");
              assertThat(((Refusal.Malformed) r).expected()).isEqualTo(Refusal.Expected.ID);
            });
  }

  @ParameterizedTest
  @ValueSource(longs = {0, -1, Long.MIN_VALUE})
  void aTypedIdIsNeverZeroOrNegative(long value) {
    assertThatThrownBy(() -> new RequestId(value)).isInstanceOf(IllegalArgumentException.class);
  }
}
