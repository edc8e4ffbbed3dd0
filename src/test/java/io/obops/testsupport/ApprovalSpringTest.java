package io.obops.testsupport;

import io.obops.cluster.ClusterInventory;
import io.obops.cluster.InventoryLoader;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the approval, audit and stop-API tests: the whole application on a fresh PostgreSQL
 * database (one context shared by every subclass), the inventory of {@code approval/clusters.yml}
 * (cluster 1 "demo", cluster 2 "prod1" tagged prod), a {@link MutableClock} in place of the system
 * clock, and the engine stopped. Every test starts with no approval requests and both clusters
 * RUNNING and free.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
public abstract class ApprovalSpringTest extends PostgresSpringTest {

  public static final Path INVENTORY = Path.of("src/test/resources/approval/clusters.yml");

  @DynamicPropertySource
  static void inventory(DynamicPropertyRegistry registry) {
    registry.add("obops.inventory.file", INVENTORY::toString);
  }

  @Autowired protected JdbcClient jdbc;
  @Autowired protected MutableClock clock;
  @Autowired protected ClusterInventory inventory;

  @BeforeEach
  void freshApprovalState() {
    jdbc.sql("delete from chat_conversation").update();
    jdbc.sql("delete from approval_decision").update();
    jdbc.sql("delete from approval_request").update();
    inventory.sync(InventoryLoader.load(INVENTORY));
    jdbc.sql("update ob_cluster set status = 'RUNNING', operation_task_id = null").update();
    jdbc.sql("update ob_zone set status = 'RUNNING'").update();
    jdbc.sql("update ob_server set status = 'RUNNING'").update();
  }
}
