package io.obops.obcluster;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.cluster.InventoryLoader;
import io.obops.cluster.ObServer;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskLog;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The stop acts on the servers as approved: the remote steps get the approved address, user and
 * path whatever the inventory says when they run, and a retry of a server that changed since
 * approval is detected before it runs.
 */
class ApprovedServersTest {

  /** Which server description each remote call got, by server id. */
  private final Map<Long, ObServer> reached = new ConcurrentHashMap<>();

  private final StopClusterFixture fx =
      new StopClusterFixture(
          new ObserverProcessControl() {
            @Override
            public ObserverState inspect(ObServer server, SubtaskLog log) {
              reached.put(server.id(), server);
              return new ObserverState(true, 1, "running");
            }

            @Override
            public StopReport stop(ObServer server, SubtaskLog log) {
              reached.put(server.id(), server);
              return new StopReport(false, 1, "SIGKILL", 10);
            }

            @Override
            public StartReport start(ObServer server, SubtaskLog log) {
              reached.put(server.id(), server);
              return new StartReport(false, 1, 10);
            }
          });
  private final ApprovedTargets targets = new ApprovedTargets(fx.approved, fx.inventory);

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void theRemoteStepsActOnTheApprovedServersEvenIfTheInventoryChangedUnderneath() {
    fx.cluster(1, 2);
    TaskInstance task = fx.service.start(1, StopClusterFixture.ADMIN);
    // Someone rewrites a server's address behind the engine's back (not through a sync).
    org.springframework.jdbc.core.simple.JdbcClient.create(fx.dataSource)
        .sql("update ob_server set ip = '10.9.9.9', ssh_user = 'mallory' where id = 2")
        .update();

    fx.engine.runUntilIdle();

    assertThat(fx.tasks.find(task.id()).orElseThrow().status()).isEqualTo(TaskStatus.SUCCESSFUL);
    assertThat(reached.get(2L).ip()).isEqualTo("10.0.1.2");
    assertThat(reached.get(2L).sshUser()).isEqualTo("admin");
    assertThat(reached.get(2L).homePath()).isEqualTo("/home/admin/oceanbase");
  }

  @Test
  void aTaskWithoutAnApprovedDescriptionOfAServerFailsRatherThanGuessIt() {
    fx.cluster(1, 1);
    TaskInstance task = fx.service.start(1, StopClusterFixture.ADMIN);
    org.springframework.jdbc.core.simple.JdbcClient.create(fx.dataSource)
        .sql("delete from approved_server where task_id = ?")
        .param(task.id())
        .update();

    fx.engine.runUntilIdle();

    SubtaskInstance failed =
        fx.tasks.find(task.id()).orElseThrow().subtasks().stream()
            .filter(s -> s.status() == SubtaskStatus.FAILED)
            .findFirst()
            .orElseThrow();
    assertThat(failed.name()).isEqualTo("Prepare stop observer");
    assertThat(failed.errorMessage())
        .contains("has no approved description of server 1", "nobody approved");
    assertThat(reached).isEmpty();
  }

  @Test
  void aRetryOfAServerThatChangedSinceApprovalIsDetectedAndOthersAreNot() {
    fx.cluster(1, 2);
    TaskInstance task = fx.service.start(1, StopClusterFixture.ADMIN);
    // The file now moves server 2; the cluster is held, so the change waits (deferred).
    fx.inventory.sync(
        InventoryLoader.parse(
            "test",
            new StringReader(StopClusterFixture.yaml(1, 2).replace("10.0.1.2", "10.0.7.7"))));
    TaskInstance t = fx.tasks.find(task.id()).orElseThrow();
    List<SubtaskInstance> perServer =
        t.subtasks().stream().filter(s -> s.name().equals("Stop observer process")).toList();

    assertThat(targets.changesForRetry(t, List.of(perServer.get(1))))
        .containsExactly("server 2 (10.0.1.2:2882): ip 10.0.1.2 -> 10.0.7.7");
    assertThat(targets.changesForRetry(t, List.of(perServer.get(0)))).isEmpty();
    assertThat(targets.changesForRetry(t, List.of(t.subtasks().get(0)))).isEmpty();
    assertThat(fx.inventory.server(2).orElseThrow().ip()).isEqualTo("10.0.1.2");
  }
}
