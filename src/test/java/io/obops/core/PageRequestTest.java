package io.obops.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PageRequestTest {

  @Test
  void noParametersIsTheFirstPageOfTwenty() {
    assertThat(PageRequest.parse(null, null)).isEqualTo(new PageRequest(1, 20));
  }

  @ParameterizedTest
  @CsvSource({"1,1,0", "2,20,20", "1000000,100,99999900"})
  void aPageWithinBoundsSkipsWhatComesBefore(String page, String size, long offset) {
    assertThat(PageRequest.parse(page, size).offset()).isEqualTo(offset);
  }

  @ParameterizedTest
  @CsvSource(
      value = {
        "0,20",
        "-1,20",
        "+1,20",
        "01,20",
        "1000001,20",
        "2147483647,20",
        "2147483648,20",
        "99999999999999999999,20",
        "'',20",
        "one,20",
        "1,0",
        "1,2001",
        "1,50000",
        "1,-5",
        "1,''",
        "1,1.5"
      })
  void aPageOrSizeOutsideItsBoundsIsRefused(String page, String size) {
    Refusal r = TextsTest.refusal(() -> PageRequest.parse(page, size));
    assertThat(r).isInstanceOf(Refusal.OutOfRange.class);
    assertThat(r.kind()).isEqualTo(Refusal.Kind.BAD_INPUT);
  }
}
