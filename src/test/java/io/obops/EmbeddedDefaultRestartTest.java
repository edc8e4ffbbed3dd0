package io.obops;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObClusterStatus;
import io.obops.cluster.ObServer;
import io.obops.obcluster.StartClusterService;
import io.obops.obcluster.StopClusterService;
import io.obops.sandbox.Sandbox;
import io.obops.task.Creator;
import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import io.obops.task.TaskStatus;
import io.obops.testsupport.H2Files;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The embedded default restarted: its H2 file and its sandbox (kept base dir) come back consistent.
 * Keys and addresses are reused, a stopped demo cluster stays stopped (its observers are not
 * started again) until a start brings them back (and the next restart keeps it running), its data
 * (the finished task) is still there, and after a kill -9 the observers still running are adopted
 * rather than started a second time.
 */
class EmbeddedDefaultRestartTest {

  private static ConfigurableApplicationContext start(Path dir) {
    // command-line arguments: they win over the test classpath's config/application.yml
    return new SpringApplicationBuilder(ObopsApplication.class)
        .run(
            "--spring.datasource.url=" + H2Files.url(dir),
            "--server.port=0",
            "--obops.embedded=true",
            "--obops.sandbox.enabled=true",
            "--obops.sandbox.zones=3",
            "--obops.sandbox.servers-per-zone=1",
            "--obops.sandbox.base-dir=" + dir.resolve("sandbox"),
            "--obops.engine.start=false",
            "--obops.chat.tick-interval=0s");
  }

  @Test
  void aStoppedDemoClusterStaysStoppedAcrossARestartAndAStartedOneRunsOnWithTheSameObservers()
      throws Exception {
    Path dir = Files.createTempDirectory("obops-embedded-restart-");
    Map<Long, List<Long>> started = new HashMap<>();
    long taskId;
    byte[] clientKey;
    List<String> ips;
    try (ConfigurableApplicationContext first = start(dir)) {
      Sandbox sandbox = first.getBean(Sandbox.class);
      assertThat(sandbox.servers()).hasSize(3).allMatch(sandbox::isObserverRunning);
      clientKey = Files.readAllBytes(sandbox.clientPrivateKey().resolveSibling("client.keypair"));
      ips = sandbox.servers().stream().map(ObServer::ip).toList();
      taskId = first.getBean(StopClusterService.class).start(1, new Creator(1, "web:alice")).id();
      first.getBean(TaskEngine.class).runUntilIdle();
      assertThat(first.getBean(TaskEngine.class).client().find(taskId).orElseThrow().status())
          .isEqualTo(TaskStatus.SUCCESSFUL);
      assertThat(sandbox.servers()).noneMatch(sandbox::isObserverRunning);
    }

    try (ConfigurableApplicationContext second = start(dir)) {
      Sandbox sandbox = second.getBean(Sandbox.class);
      assertThat(Files.readAllBytes(sandbox.clientPrivateKey().resolveSibling("client.keypair")))
          .isEqualTo(clientKey);
      assertThat(sandbox.servers()).extracting(ObServer::ip).isEqualTo(ips);
      assertThat(sandbox.servers()).noneMatch(sandbox::isObserverRunning);
      assertThat(second.getBean(ClusterInventory.class).find(1).orElseThrow().status())
          .isEqualTo(ObClusterStatus.STOPPED);
      assertThat(second.getBean(TaskEngine.class).client().find(taskId).orElseThrow().status())
          .isEqualTo(TaskStatus.SUCCESSFUL);

      // the way back: a start over SSH
      long startId =
          second.getBean(StartClusterService.class).start(1, new Creator(1, "web:alice")).id();
      second.getBean(TaskEngine.class).runUntilIdle();
      assertThat(second.getBean(TaskClient.class).find(startId).orElseThrow().status())
          .isEqualTo(TaskStatus.SUCCESSFUL);
      sandbox.servers().forEach(s -> started.put(s.id(), sandbox.observerProcesses(s)));
    }
    assertThat(started.values()).allMatch(pids -> pids.size() == 1);

    try (ConfigurableApplicationContext third = start(dir)) {
      Sandbox sandbox = third.getBean(Sandbox.class);
      assertThat(third.getBean(ClusterInventory.class).find(1).orElseThrow().status())
          .isEqualTo(ObClusterStatus.RUNNING);
      for (ObServer s : sandbox.servers()) {
        // a clean shutdown ends the sandbox's observers; the restart starts one per RUNNING server
        assertThat(sandbox.observerProcesses(s)).as(s.ip()).hasSize(1);
        assertThat(sandbox.isListening(s, s.mysqlPort())).isTrue();
      }
    }
  }

  @Test
  void afterKill9TheRestartAdoptsTheRunningObserversAndItsStopReleasesEveryPort() throws Exception {
    Path dir = Files.createTempDirectory("obops-embedded-kill9-");
    Map<Long, List<Long>> before = new HashMap<>();
    try (ConfigurableApplicationContext first = start(dir)) {
      Sandbox sandbox = first.getBean(Sandbox.class);
      sandbox.servers().forEach(s -> before.put(s.id(), sandbox.observerProcesses(s)));
      sandbox.crash(); // kill -9: the observers outlive the JVM, the SSH servers do not
    }
    assertThat(before.values()).allMatch(pids -> pids.size() == 1);

    try (ConfigurableApplicationContext second = start(dir)) {
      Sandbox sandbox = second.getBean(Sandbox.class);
      for (ObServer s : sandbox.servers()) {
        assertThat(sandbox.observerProcesses(s)).as(s.ip()).isEqualTo(before.get(s.id()));
      }

      long taskId =
          second.getBean(StopClusterService.class).start(1, new Creator(1, "web:bob")).id();
      second.getBean(TaskEngine.class).runUntilIdle();

      assertThat(second.getBean(TaskClient.class).find(taskId).orElseThrow().status())
          .isEqualTo(TaskStatus.SUCCESSFUL);
      for (ObServer s : sandbox.servers()) {
        assertThat(sandbox.observerProcesses(s)).isEmpty();
        assertThat(sandbox.isListening(s, s.mysqlPort())).isFalse();
        assertThat(sandbox.isListening(s, s.rpcPort())).isFalse();
      }
    }
  }
}
