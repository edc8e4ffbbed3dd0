package io.obops.obcluster;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pre-flight inspection's deadline grows with the number of servers it inspects. */
class PreflightDeadlineTest {

  @ParameterizedTest(name = "{0} servers: {1} ms")
  @CsvSource({"0, 20000", "1, 20040", "200, 28000", "1000, 60000"})
  void wholeInspectionMayTakeTheTimeoutPlusTheTimeoutPerServerForEachServer(
      int servers, long millis) {
    assertThat(Preflight.deadline(Duration.ofSeconds(20), Duration.ofMillis(40), servers))
        .isEqualTo(Duration.ofMillis(millis));
  }

  @ParameterizedTest(name = "{0} servers")
  @CsvSource({"0", "1000"})
  void withoutATimeoutPerServerTheDeadlineIsTheTimeoutAlone(int servers) {
    assertThat(Preflight.deadline(Duration.ofSeconds(20), Duration.ZERO, servers))
        .isEqualTo(Duration.ofSeconds(20));
  }
}
