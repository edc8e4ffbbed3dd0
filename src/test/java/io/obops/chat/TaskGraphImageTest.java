package io.obops.chat;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

/**
 * The graph picture stays readable at any size: a row per stage, a box per zone (or per server when
 * few), counts instead of 200 boxes, labels whole. Copies go to /tmp to be looked at.
 */
class TaskGraphImageTest {

  private static BufferedImage draw(StopTaskSnapshots s, String file) throws Exception {
    byte[] png = TaskGraphImage.png(s.task, s.names, s.zones);
    Files.write(Path.of(System.getProperty("java.io.tmpdir"), file), png);
    return ImageIO.read(new ByteArrayInputStream(png));
  }

  @Test
  void threeServersAreDrawnOneBoxEachWithoutWaitNodes() throws Exception {
    StopTaskSnapshots s =
        new StopTaskSnapshots(new StopTaskSnapshots.Shape(3, 1, 3, Set.of(), true));
    List<List<TaskGraphImage.Box>> rows = TaskGraphImage.rows(s.task, s.names, s.zones);

    assertThat(rows).hasSize(7);
    assertThat(rows.get(3))
        .extracting(TaskGraphImage.Box::detail)
        .containsExactly(
            "10.0.1.1:2882 · SUCCESSFUL",
            "10.0.2.1:2882 · SUCCESSFUL",
            "10.0.3.1:2882 · SUCCESSFUL");
    assertThat(rows).flatExtracting(r -> r).noneMatch(b -> b.name().contains("Wait"));
    BufferedImage picture = draw(s, "obops-graph-3-servers.png");
    assertThat(picture.getWidth()).isLessThan(900);
    assertThat(picture.getHeight()).isLessThan(700);
  }

  @Test
  void twoHundredServersAreCountedPerZoneInsteadOfDrawnOneByOne() throws Exception {
    StopTaskSnapshots s =
        new StopTaskSnapshots(new StopTaskSnapshots.Shape(4, 50, 0, Set.of(7), true));
    List<List<TaskGraphImage.Box>> rows = TaskGraphImage.rows(s.task, s.names, s.zones);

    assertThat(rows.get(3))
        .extracting(TaskGraphImage.Box::name, TaskGraphImage.Box::detail)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(
                "Stop observer process — zone1", "49/50 done · 1 failed"),
            org.assertj.core.groups.Tuple.tuple("Stop observer process — zone2", "50/50 done"),
            org.assertj.core.groups.Tuple.tuple("Stop observer process — zone3", "50/50 done"),
            org.assertj.core.groups.Tuple.tuple("Stop observer process — zone4", "50/50 done"));
    BufferedImage picture = draw(s, "obops-graph-200-servers.png");
    assertThat(picture.getWidth()).isLessThan(1400);
    assertThat(picture.getHeight()).isLessThan(700);
  }
}
