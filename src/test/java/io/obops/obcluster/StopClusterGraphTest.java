package io.obops.obcluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.access.ClusterRef;
import io.obops.cluster.ObClusterStatus;
import io.obops.cluster.ObServerStatus;
import io.obops.cluster.ObZoneStatus;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import io.obops.core.TaskId;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.SubtaskTarget;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class StopClusterGraphTest {

  private final StopClusterFixture fx = new StopClusterFixture(new NoRemoteExecutor());

  @AfterEach
  void close() {
    fx.close();
  }

  @Test
  void theOneZoneOneServerGraphIsTheGraphOfOcpsSample() throws Exception {
    fx.cluster(1, 1);
    TaskInstance task = fx.service.start(1, StopClusterFixture.ADMIN);

    JsonNode sample;
    try (InputStream in = getClass().getResourceAsStream("/ocp/stop-cluster-sample.json")) {
      sample = JsonMapper.builder().build().readTree(in);
    }
    var sampleNodes = new ArrayList<GraphNode>();
    for (JsonNode t : sample.get("data").get("tasks")) {
      sampleNodes.add(
          new GraphNode(
              t.get("id").asLong(),
              t.get("name").asString(),
              t.get("description").asString(),
              ids(t.get("upstreams")),
              ids(t.get("downstreams"))));
    }
    var ours =
        task.subtasks().stream()
            .map(
                s ->
                    new GraphNode(
                        s.id(), s.name(), s.description(), s.upstreams(), s.downstreams()))
            .toList();

    assertThat(chain(ours)).isEqualTo(chain(sampleNodes));
    assertThat(chain(ours))
        .containsExactly(
            "Prepare stop cluster",
            "Prepare stop OB zone",
            "Wait node",
            "Prepare stop observer",
            "Wait node",
            "Stop observer process",
            "Wait node",
            "Update observer status",
            "Wait node",
            "Update zone status",
            "Update OB cluster status");
    assertThat(task.name()).isEqualTo(sample.get("data").get("name").asString());
    assertThat(task.context().render(-1))
        .isEqualTo(
            "Context(parallelIdx=-1, stringMap={cluster_name=c1, cluster_id=1,"
                + " former_cluster_status=RUNNING}, listMap={server_ids=[1], zone_names=[zone1]})");
  }

  record GraphNode(
      long id, String name, String description, List<Long> upstreams, List<Long> downstreams) {}

  private static List<Long> ids(JsonNode array) {
    var ids = new ArrayList<Long>();
    array.forEach(n -> ids.add(n.asLong()));
    return ids;
  }

  /**
   * Walks a graph that must be a single chain from its one root, checking that every edge is
   * recorded on both ends and that descriptions equal names; returns the names in order.
   */
  private static List<String> chain(List<GraphNode> nodes) {
    Map<Long, GraphNode> byId = new HashMap<>();
    nodes.forEach(n -> byId.put(n.id(), n));
    for (GraphNode n : nodes) {
      assertThat(n.description()).isEqualTo(n.name());
      n.downstreams().forEach(d -> assertThat(byId.get(d).upstreams()).contains(n.id()));
      n.upstreams().forEach(u -> assertThat(byId.get(u).downstreams()).contains(n.id()));
    }
    List<GraphNode> roots = nodes.stream().filter(n -> n.upstreams().isEmpty()).toList();
    assertThat(roots).hasSize(1);
    var names = new ArrayList<String>();
    GraphNode at = roots.get(0);
    while (true) {
      names.add(at.name());
      if (at.downstreams().isEmpty()) {
        break;
      }
      assertThat(at.downstreams()).hasSize(1);
      at = byId.get(at.downstreams().get(0));
    }
    assertThat(names).hasSize(nodes.size());
    return names;
  }

  @Test
  void threeZonesOfTwoServersFanOutToThirtySubtasksWithWaitNodesBetweenStages() {
    fx.cluster(3, 2);
    TaskInstance task = fx.service.start(1, StopClusterFixture.ADMIN);
    List<SubtaskInstance> s = task.subtasks();

    assertThat(s).hasSize(30);
    Map<String, Long> counts = new HashMap<>();
    s.forEach(x -> counts.merge(x.name(), 1L, Long::sum));
    assertThat(counts)
        .containsEntry("Prepare stop cluster", 1L)
        .containsEntry("Prepare stop OB zone", 3L)
        .containsEntry("Wait node", 4L)
        .containsEntry("Prepare stop observer", 6L)
        .containsEntry("Stop observer process", 6L)
        .containsEntry("Update observer status", 6L)
        .containsEntry("Update zone status", 3L)
        .containsEntry("Update OB cluster status", 1L);
    Map<Long, SubtaskInstance> byId = new HashMap<>();
    s.forEach(x -> byId.put(x.id(), x));
    // Every split stage hangs off one Wait node or a single node, and feeds into one: barriers.
    for (SubtaskInstance x : s) {
      switch (x.name()) {
        case "Prepare stop OB zone" -> {
          assertThat(names(byId, x.upstreams())).containsExactly("Prepare stop cluster");
          assertThat(names(byId, x.downstreams())).containsExactly("Wait node");
        }
        case "Prepare stop observer", "Stop observer process", "Update observer status" -> {
          assertThat(names(byId, x.upstreams())).containsExactly("Wait node");
          assertThat(names(byId, x.downstreams())).containsExactly("Wait node");
        }
        case "Update zone status" -> {
          assertThat(names(byId, x.upstreams())).containsExactly("Wait node");
          assertThat(names(byId, x.downstreams())).containsExactly("Update OB cluster status");
        }
        case "Wait node" -> assertThat(x.upstreams().size()).isIn(3, 6);
        case "Update OB cluster status" -> assertThat(x.upstreams()).hasSize(3);
        default -> assertThat(x.name()).isEqualTo("Prepare stop cluster");
      }
    }
    // The copies of one stage run side by side: servers by parallel index, in zone order.
    assertThat(
            s.stream()
                .filter(x -> x.name().equals("Stop observer process"))
                .map(SubtaskInstance::parallelIdx))
        .containsExactly(0, 1, 2, 3, 4, 5);
    assertThat(task.context().list("server_ids")).containsExactly("1", "2", "3", "4", "5", "6");
    // Each copy knows what it works on, stored with it; single nodes work on the whole cluster.
    assertThat(
            s.stream()
                .filter(x -> x.name().equals("Update observer status"))
                .map(SubtaskInstance::target))
        .containsExactly(
            new SubtaskTarget("server_ids", "1"),
            new SubtaskTarget("server_ids", "2"),
            new SubtaskTarget("server_ids", "3"),
            new SubtaskTarget("server_ids", "4"),
            new SubtaskTarget("server_ids", "5"),
            new SubtaskTarget("server_ids", "6"));
    assertThat(
            s.stream()
                .filter(x -> x.name().equals("Prepare stop OB zone"))
                .map(SubtaskInstance::target))
        .containsExactly(
            new SubtaskTarget("zone_names", "zone1"),
            new SubtaskTarget("zone_names", "zone2"),
            new SubtaskTarget("zone_names", "zone3"));
    assertThat(s)
        .filteredOn(x -> x.parallelIdx() < 0)
        .allSatisfy(x -> assertThat(x.target()).isNull());
    assertThat(task.context().list("zone_names")).containsExactly("zone1", "zone2", "zone3");
  }

  private static List<String> names(Map<Long, SubtaskInstance> byId, List<Long> ids) {
    return ids.stream().map(id -> byId.get(id).name()).distinct().toList();
  }

  @Test
  void withoutARemoteExecutorTheStopFailsAtTheFirstRemoteStepAndSaysSo() {
    fx.cluster(1, 2);
    TaskInstance started = fx.service.start(1, StopClusterFixture.ADMIN);
    fx.engine.runUntilIdle();

    TaskInstance task = fx.tasks.find(started.id()).orElseThrow();
    assertThat(task.status()).isEqualTo(TaskStatus.FAILED);
    List<SubtaskInstance> failed =
        task.subtasks().stream().filter(x -> x.status() == SubtaskStatus.FAILED).toList();
    assertThat(failed).extracting(SubtaskInstance::name).containsOnly("Prepare stop observer");
    assertThat(failed)
        .allSatisfy(x -> assertThat(x.errorMessage()).startsWith("no remote executor configured"));
    assertThat(
            task.subtasks().stream()
                .filter(x -> x.name().equals("Stop observer process"))
                .map(SubtaskInstance::status))
        .containsOnly(SubtaskStatus.PENDING);
    // Nothing was pretended: the cluster is STOPPING and still held by the task, servers not
    // stopped.
    var cluster = fx.inventory.find(1).orElseThrow();
    assertThat(cluster.status()).isEqualTo(ObClusterStatus.STOPPING);
    assertThat(cluster.operationTaskId()).isEqualTo(task.id());
    assertThat(cluster.zones()).allMatch(z -> z.status() == ObZoneStatus.STOPPING);
    assertThat(cluster.servers()).allMatch(x -> x.status() == ObServerStatus.PROCESS_STOPPING);
  }

  @Test
  void aClusterWithAnOperationInFlightIsRefusedWithAPointerToThatTask() {
    fx.cluster(1, 1);
    TaskInstance first = fx.service.start(1, StopClusterFixture.ADMIN);

    assertThatThrownBy(() -> fx.service.start(1, StopClusterFixture.ADMIN))
        .isInstanceOf(Refused.class)
        .extracting(e -> ((Refused) e).refusal())
        .isEqualTo(
            new Refusal.ClusterBusy(new ClusterRef(1, "c1", List.of()), new TaskId(first.id())));
  }

  @Test
  void anUnknownClusterIsRefusedAsNotFound() {
    fx.cluster(1, 1);
    assertThatThrownBy(() -> fx.service.start(42, StopClusterFixture.ADMIN))
        .isInstanceOf(Refused.class)
        .extracting(e -> ((Refused) e).refusal())
        .isEqualTo(new Refusal.ClusterNotFound("42"));
  }

  @Test
  void aClusterThatIsNotRunningIsRefused() {
    fx.cluster(1, 1);
    fx.inventory.acquireOperation(1, 777);
    fx.inventory.setClusterStatus(1, 777, ObClusterStatus.STOPPED, true);

    assertThatThrownBy(() -> fx.service.start(1, StopClusterFixture.ADMIN))
        .extracting(e -> ((Refused) e).refusal())
        .isEqualTo(
            new Refusal.ClusterNotReady(
                new ClusterRef(1, "c1", List.of()), "STOPPED", "RUNNING", "cluster.stop"));
  }

  @Test
  void prepareStopClusterRefusesAClusterThatStoppedBeingRunningAfterTheTaskWasCreated() {
    fx.cluster(1, 1);
    TaskInstance task = fx.service.start(1, StopClusterFixture.ADMIN);
    fx.inventory.setClusterStatus(1, task.id(), ObClusterStatus.UNAVAILABLE, false);

    fx.engine.runUntilIdle();

    SubtaskInstance prepare = fx.tasks.find(task.id()).orElseThrow().subtasks().get(0);
    assertThat(prepare.name()).isEqualTo("Prepare stop cluster");
    assertThat(prepare.status()).isEqualTo(SubtaskStatus.FAILED);
    assertThat(prepare.errorMessage())
        .isEqualTo("cluster 1 (c1) is UNAVAILABLE; only a RUNNING cluster can be stopped");
  }
}
