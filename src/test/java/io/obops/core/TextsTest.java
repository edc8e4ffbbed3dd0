package io.obops.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

class TextsTest {

  @ParameterizedTest
  @ValueSource(
      ints = {
        0x00, 0x01, 0x07, 0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x1B, 0x1F, 0x7F, 0x80, 0x85, 0x9F, 0x061C,
        0x200E, 0x200F, 0x202A, 0x202B, 0x202C, 0x202D, 0x202E, 0x2066, 0x2067, 0x2068, 0x2069,
        0x2028, 0x2029, 0xFEFF, 0xFFFE, 0xFFFF, 0x1FFFE, 0xD800, 0xDBFF, 0xDC00, 0xDFFF
      })
  void aControlCharacterABidiControlOrALoneSurrogateIsRefusedWithItsPosition(int codePoint) {
    String text = "disk" + new String(Character.toChars(codePoint)) + "swap";

    Refusal r = refusal(() -> Texts.check("reason", text));

    assertThat(r).isEqualTo(new Refusal.ForbiddenCharacter("reason", codePoint, 4));
    assertThat(r.describe()).contains(String.format("U+%04X", codePoint));
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "\n", " \r\n "})
  void blankTextIsNoText(String text) {
    assertThat(Texts.check("reason", text)).isNull();
  }

  @Test
  void aNewlineIsKeptAndWindowsLineEndsBecomeOne() {
    assertThat(Texts.check("reason", "  one\r\ntwo\nthree  ")).isEqualTo("one\ntwo\nthree");
  }

  @Test
  void emojiAndOtherScriptsAreText() {
    assertThat(Texts.check("comment", "磁盘更换 🔧 zone1")).isEqualTo("磁盘更换 🔧 zone1");
  }

  @Test
  void theOneLimitCountsCharactersNotUtf16Units() {
    assertThat(Texts.check("reason", "🔧".repeat(Texts.MAX))).hasSize(2 * Texts.MAX);
    assertThat(refusal(() -> Texts.check("reason", "x".repeat(Texts.MAX + 1))))
        .isEqualTo(new Refusal.TooLong("reason", Texts.MAX + 1, Texts.MAX));
  }

  static Refusal refusal(Runnable call) {
    try {
      call.run();
    } catch (Refused e) {
      return e.refusal();
    }
    throw new AssertionError("not refused");
  }
}
