package io.obops.testsupport;

import io.obops.access.AccessControl;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.InventoryLoader;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.assertj.core.api.ThrowableAssert;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Import;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the approval, audit and API tests: the whole application on a fresh PostgreSQL database
 * (one context shared by every subclass), the inventory of {@code approval/clusters.yml} (cluster 1
 * "demo", cluster 2 "prod1" tagged prod, cluster 3 "stage1" tagged staging), a {@link MutableClock}
 * in place of the system clock, and the engine stopped. Every test starts with no approval
 * requests, every cluster RUNNING and free, and the access file of {@code access-test.yml} (a copy,
 * which a test may edit with {@link #editAccess}).
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
@Import(TestClockConfiguration.class)
public abstract class ApprovalSpringTest extends PostgresSpringTest {

  public static final Path INVENTORY = Path.of("src/test/resources/approval/clusters.yml");
  private static final Path ACCESS = TestTokens.ACCESS_TEMPLATE;
  private static final Path ACCESS_COPY = TestTokens.ACCESS_FILE;

  @DynamicPropertySource
  static void inventory(DynamicPropertyRegistry registry) {
    registry.add("obops.inventory.file", INVENTORY::toString);
  }

  @Autowired protected JdbcClient jdbc;
  @Autowired protected MutableClock clock;
  @Autowired protected ClusterInventory inventory;
  @Autowired protected AccessControl access;

  @BeforeEach
  void freshApprovalState() {
    jdbc.sql("delete from chat_outbox").update();
    jdbc.sql("delete from chat_conversation").update();
    jdbc.sql("delete from approval_decision").update();
    jdbc.sql("delete from approval_request").update();
    jdbc.sql("delete from inventory_deferred").update();
    jdbc.sql("update ob_cluster set status = 'RUNNING', operation_task_id = null").update();
    inventory.sync(InventoryLoader.load(INVENTORY));
    jdbc.sql("update ob_zone set status = 'RUNNING'").update();
    jdbc.sql("update ob_server set status = 'RUNNING'").update();
  }

  @AfterEach
  void restoreAccess() throws IOException {
    if (Files.mismatch(ACCESS, ACCESS_COPY) != -1) {
      Files.copy(ACCESS, ACCESS_COPY, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
      access.reloadIfChanged(); // a new content is applied once it is seen twice
      access.reloadIfChanged();
    }
  }

  /** Replaces {@code from} by {@code to} in the access file in force, and reloads it now. */
  protected void editAccess(String from, String to) throws IOException {
    String yaml = Files.readString(ACCESS_COPY);
    if (!yaml.contains(from)) {
      throw new IllegalArgumentException("the access file has no '" + from + "'");
    }
    Files.writeString(ACCESS_COPY, yaml.replace(from, to));
    access.reloadIfChanged(); // a new content is applied once it is seen twice
    if (!access.reloadIfChanged()) {
      throw new IllegalStateException("the edited access file did not load");
    }
  }

  /** The refusal the call throws (it must throw {@link Refused}). */
  public static Refusal refusal(ThrowableAssert.ThrowingCallable call) {
    try {
      call.call();
    } catch (Refused e) {
      return e.refusal();
    } catch (Throwable t) {
      throw new AssertionError("expected a refusal, got " + t, t);
    }
    throw new AssertionError("expected a refusal, the call succeeded");
  }
}
