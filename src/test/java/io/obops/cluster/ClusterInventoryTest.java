package io.obops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.obops.testsupport.MutableClock;
import io.obops.testsupport.TestDatabase;
import java.io.StringReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

@ExtendWith(OutputCaptureExtension.class)
class ClusterInventoryTest {

  private final HikariDataSource dataSource = TestDatabase.dataSource();
  private final ClusterInventory inventory =
      new ClusterInventory(
          JdbcClient.create(dataSource),
          new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
          MutableClock.at("2026-01-01T00:00:00Z"));

  @AfterEach
  void close() {
    dataSource.close();
  }

  private void load(String servers) {
    inventory.sync(
        InventoryLoader.parse(
            "test",
            new StringReader(
                """
                clusters:
                  - id: 1
                    name: c1
                    tags: [prod]
                    ssh_user: admin
                    home_path: /home/admin/ob
                    zones:
                      - name: z1
                        servers: [%s]
                """
                    .formatted(servers))));
  }

  @Test
  void loadingTheSameInventoryTwiceKeepsTheStatusesTheDatabaseHolds() {
    load("{ id: 1, ip: 10.0.0.1 }, { id: 2, ip: 10.0.0.2 }");
    inventory.setServerStatus(1, ObServerStatus.PROCESS_STOPPED);
    String hash = inventory.find(1).orElseThrow().inventoryHash();

    load("{ id: 1, ip: 10.0.0.1 }, { id: 2, ip: 10.0.0.2 }");

    ObCluster c = inventory.find(1).orElseThrow();
    assertThat(c.servers())
        .extracting(ObServer::status)
        .containsExactly(ObServerStatus.PROCESS_STOPPED, ObServerStatus.RUNNING);
    assertThat(c.inventoryHash()).isEqualTo(hash);
    assertThat(c.tags()).containsExactly("prod");
  }

  @Test
  void aChangedServerChangesTheInventoryHashAndRemovedServersDisappear() {
    load("{ id: 1, ip: 10.0.0.1 }, { id: 2, ip: 10.0.0.2 }");
    String before = inventory.find(1).orElseThrow().inventoryHash();

    load("{ id: 1, ip: 10.0.0.9 }");

    ObCluster c = inventory.find(1).orElseThrow();
    assertThat(c.inventoryHash()).isNotEqualTo(before);
    assertThat(c.servers()).extracting(ObServer::ip).containsExactly("10.0.0.9");
  }

  @Test
  void aClusterGoneFromTheFileIsRemovedUnlessAnOperationHoldsIt() {
    load("{ id: 1, ip: 10.0.0.1 }");
    assertThat(inventory.acquireOperation(1, 99)).isTrue();

    inventory.sync(java.util.List.of());
    assertThat(inventory.find(1)).isPresent();

    inventory.setClusterStatus(1, 99, ObClusterStatus.STOPPED, true);
    inventory.sync(java.util.List.of());
    assertThat(inventory.find(1)).isEmpty();
  }

  @Test
  void onlyOneOperationCanHoldAClusterAtATime() {
    load("{ id: 1, ip: 10.0.0.1 }");
    assertThat(inventory.acquireOperation(1, 10)).isTrue();
    assertThat(inventory.acquireOperation(1, 11)).isFalse();
    assertThat(inventory.setClusterStatus(1, 11, ObClusterStatus.STOPPED, true)).isFalse();
    assertThat(inventory.find(1).orElseThrow().operationTaskId()).isEqualTo(10L);
  }

  @Test
  void aChangeToAHeldClusterWaitsForItsOperationToEndAndStartUpSaysSo(CapturedOutput output) {
    load("{ id: 1, ip: 10.0.0.1 }, { id: 2, ip: 10.0.0.2 }");
    assertThat(inventory.acquireOperation(1, 99)).isTrue();
    String hash = inventory.find(1).orElseThrow().inventoryHash();

    load("{ id: 1, ip: 10.0.0.9 }");

    ObCluster held = inventory.find(1).orElseThrow();
    assertThat(held.servers()).extracting(ObServer::ip).containsExactly("10.0.0.1", "10.0.0.2");
    assertThat(held.inventoryHash()).isEqualTo(hash);
    assertThat(output.getOut())
        .contains("cluster 1 (c1) changed in the inventory file, but task 99 holds it")
        .contains("deferred until that task ends");
    assertThat(inventory.latest(1).orElseThrow().servers())
        .extracting(ClusterSnapshot.Server::ip)
        .containsExactly("10.0.0.9");

    assertThat(inventory.setClusterStatus(1, 99, ObClusterStatus.STOPPED, true)).isTrue();

    ObCluster after = inventory.find(1).orElseThrow();
    assertThat(after.servers()).extracting(ObServer::ip).containsExactly("10.0.0.9");
    assertThat(after.status()).isEqualTo(ObClusterStatus.STOPPED);
    assertThat(after.inventoryHash()).isNotEqualTo(hash);
  }

  @Test
  void aDeferredChangeSurvivesARestartAndIsAppliedByWhoeverReleasesTheCluster() {
    load("{ id: 1, ip: 10.0.0.1 }");
    inventory.acquireOperation(1, 99);
    load("{ id: 1, ip: 10.0.0.9 }");

    // another instance (a new object on the same database) ends the operation
    var other =
        new ClusterInventory(
            JdbcClient.create(dataSource),
            new TransactionTemplate(new DataSourceTransactionManager(dataSource)),
            MutableClock.at("2026-01-01T00:05:00Z"));
    assertThat(other.releaseOperation(1, 99)).isTrue();

    assertThat(inventory.find(1).orElseThrow().servers())
        .extracting(ObServer::ip)
        .containsExactly("10.0.0.9");
    assertThat(inventory.find(1).orElseThrow().operationTaskId()).isNull();
  }

  @Test
  void revertingTheFileWhileHeldDropsTheDeferredChange() {
    load("{ id: 1, ip: 10.0.0.1 }");
    inventory.acquireOperation(1, 99);
    load("{ id: 1, ip: 10.0.0.9 }");
    load("{ id: 1, ip: 10.0.0.1 }");

    assertThat(inventory.latest(1).orElseThrow().servers())
        .extracting(ClusterSnapshot.Server::ip)
        .containsExactly("10.0.0.1");
    inventory.releaseOperation(1, 99);
    assertThat(inventory.find(1).orElseThrow().servers())
        .extracting(ObServer::ip)
        .containsExactly("10.0.0.1");
  }

  @Test
  void aClusterThatWouldTakeAServerOfAHeldClusterWaitsForThatOperation() {
    load("{ id: 1, ip: 10.0.0.1 }, { id: 2, ip: 10.0.0.2 }");
    inventory.acquireOperation(1, 99);

    inventory.sync(
        InventoryLoader.parse(
            "test",
            new StringReader(
                """
                clusters:
                  - id: 1
                    name: c1
                    ssh_user: admin
                    home_path: /home/admin/ob
                    zones: [{ name: z1, servers: [{ id: 1, ip: 10.0.0.1 }] }]
                  - id: 2
                    name: c2
                    ssh_user: admin
                    home_path: /home/admin/ob
                    zones: [{ name: z1, servers: [{ id: 2, ip: 10.0.0.2 }] }]
                """)));

    assertThat(inventory.server(2).orElseThrow().clusterId()).isEqualTo(1);
    assertThat(inventory.find(2)).isEmpty();

    inventory.releaseOperation(1, 99);

    assertThat(inventory.find(1).orElseThrow().servers())
        .extracting(ObServer::id)
        .containsExactly(1L);
    assertThat(inventory.find(2).orElseThrow().servers())
        .extracting(ObServer::id)
        .containsExactly(2L);
  }
}
