package io.obops.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import io.obops.testsupport.MutableClock;
import io.obops.testsupport.TestDatabase;
import java.io.StringReader;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

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
}
