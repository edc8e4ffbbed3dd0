package io.obops.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.ZoneOffset;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The board as a person reads it, and as Discord accepts it, at 3 and at 200 servers. */
class RenderingTest {

  private final Rendering rendering = new Rendering(ZoneOffset.ofHours(8));

  private String board(StopTaskSnapshots.Shape shape, int limit) {
    StopTaskSnapshots s = new StopTaskSnapshots(shape);
    return rendering
        .board(s.task, s.names, s.zones, StopTaskSnapshots.T0.plusSeconds(4), limit)
        .text();
  }

  @Test
  void aSmallBoardLeadsWithTheHeadlineAndListsEveryServerWithoutWaitNodes() {
    String board = board(new StopTaskSnapshots.Shape(3, 1, 2, Set.of(2), true), 2000);

    assertThat(board.lines().toList().get(1))
        .isEqualTo("**2/3 observers stopped · 1 failed · 0:04**");
    assertThat(board)
        .contains(
            "✓ zone1    10.0.1.1:2882         stopped in 0.3s",
            "✗ zone3    10.0.3.1:2882         FAILED at Stop observer process",
            "✓ Prepare stop OB zone 3/3",
            "✗ Stop observer process 2/3")
        .doesNotContain("Wait node", "0.0s");
    assertThat(board.lines().count()).isLessThan(10);
  }

  @ParameterizedTest(name = "{0} zones × {1} servers, {2} failed, limit {3}")
  @CsvSource({
    "3,1,1,2000",
    "3,67,0,2000",
    "3,67,1,2000",
    "3,67,200,2000",
    "4,50,200,4096",
    "20,10,200,2000",
    "50,4,0,2000"
  })
  void everyBoardFitsTheLimitWithItsCodeFencesClosed(
      int zones, int perZone, int failed, int limit) {
    Set<Integer> failing = new java.util.HashSet<>();
    for (int i = 0; i < Math.min(failed, zones * perZone); i++) {
      failing.add(i);
    }
    String board = board(new StopTaskSnapshots.Shape(zones, perZone, 0, failing, true), limit);

    assertThat(board.length()).isLessThanOrEqualTo(limit);
    assertThat(board.split("```", -1).length % 2).as("fences pair up").isEqualTo(1);
    assertThat(board).contains("observers stopped");
  }

  @Test
  void aLargeBoardSummarisesPerZoneAndListsOnlyTheServersNeedingAttention() {
    String board = board(new StopTaskSnapshots.Shape(3, 67, 0, Set.of(5, 150), true), 2000);

    assertThat(board)
        .contains(
            "**199/201 observers stopped · 2 failed · 0:04**",
            "zone1    66/67 stopped · 1 failed",
            "zone2    67/67 stopped",
            "Needs attention (2)",
            "✗ zone1    10.0.1.6:2882         FAILED at Stop observer process")
        .doesNotContain("10.0.2.1:2882");
  }

  @Test
  void aRunningLargeBoardCountsRunningServersPerZone() {
    String board = board(new StopTaskSnapshots.Shape(2, 100, 120, Set.of(), false), 2000);

    assertThat(board)
        .contains("120/200 observers stopped · 0:04", "zone2    20/100 stopped · 80 running");
  }
}
