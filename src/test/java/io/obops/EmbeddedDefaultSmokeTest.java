package io.obops;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.obcluster.StopClusterService;
import io.obops.task.Creator;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskEngine;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import io.obops.testsupport.H2Files;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The embedded default's own smoke test: the same migrations and the same engine (claims with SKIP
 * LOCKED, id blocks from sequences) on an H2 file database, as {@code ./mvnw spring-boot:run} uses
 * with no configuration. Only the file's location differs, so the test leaves ./data alone.
 */
@SpringBootTest
@DirtiesContext
class EmbeddedDefaultSmokeTest {

  @DynamicPropertySource
  static void h2InATemporaryFolder(DynamicPropertyRegistry registry) {
    String url = H2Files.inTemporaryFolder("obops-h2");
    registry.add("spring.datasource.url", () -> url);
    registry.add("obops.engine.start", () -> "false");
    registry.add("obops.chat.tick-interval", () -> "0s");
    registry.add("obops.sandbox.enabled", () -> "false");
  }

  @Autowired StopClusterService stops;
  @Autowired TaskEngine engine;

  @Test
  void theStopGraphRunsOnH2UntilTheFirstRemoteStep() {
    TaskInstance task = stops.start(1, new Creator(1, "web:alice"));
    engine.runUntilIdle();

    TaskInstance after = engine.client().find(task.id()).orElseThrow();
    assertThat(after.subtasks()).hasSize(21);
    assertThat(after.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(after.subtasks().stream().filter(s -> s.status() == SubtaskStatus.SUCCESSFUL))
        .hasSize(5); // Prepare stop cluster, 3 × Prepare stop OB zone, Wait node
  }
}
