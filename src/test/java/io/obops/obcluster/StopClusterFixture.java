package io.obops.obcluster;

import com.zaxxer.hikari.HikariDataSource;
import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.InventoryLoader;
import io.obops.task.Creator;
import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import io.obops.testsupport.MutableClock;
import io.obops.testsupport.TestDatabase;
import java.io.StringReader;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The stop and start graphs' parts assembled as the application assembles them, on a fresh
 * PostgreSQL database, without a Spring context: the inventory, the engine, the service.
 */
public final class StopClusterFixture implements AutoCloseable {

  public static final Creator ADMIN = new Creator(100, "admin");

  public final HikariDataSource dataSource = TestDatabase.dataSource();
  public final MutableClock clock = MutableClock.at("2021-03-02T02:29:04.849Z");
  public final TransactionTemplate tx =
      new TransactionTemplate(new DataSourceTransactionManager(dataSource));
  public final ClusterInventory inventory =
      new ClusterInventory(JdbcClient.create(dataSource), tx, clock);
  public final ApprovedServers approved = new ApprovedServers(JdbcClient.create(dataSource));
  public final TaskEngine engine;
  public final TaskClient tasks;
  public final StopClusterService service;
  public final StartClusterService startService;

  public StopClusterFixture(ObserverProcessControl observers) {
    engine =
        new TaskEngine(
            new TransactionAwareDataSourceProxy(dataSource),
            clock,
            new TaskEngine.Settings(
                "test",
                32,
                Duration.ofMillis(50),
                Duration.ofSeconds(5),
                Duration.ofSeconds(30),
                Duration.ofSeconds(5)),
            handlers(observers));
    tasks = engine.client();
    service = new StopClusterService(inventory, approved, tasks, tx);
    startService = new StartClusterService(inventory, approved, tasks, tx);
  }

  private java.util.Map<String, io.obops.task.SubtaskHandler> handlers(
      ObserverProcessControl observers) {
    var all =
        new java.util.HashMap<String, io.obops.task.SubtaskHandler>(
            new StopClusterHandlers(inventory, approved, observers).all());
    all.putAll(new StartClusterHandlers(inventory, approved, observers).all());
    return all;
  }

  /** Loads an inventory of one cluster (id 1, "c1") with these zones and servers per zone. */
  public void cluster(int zones, int serversPerZone) {
    inventory.sync(InventoryLoader.parse("test", new StringReader(yaml(zones, serversPerZone))));
  }

  static String yaml(int zones, int serversPerZone) {
    var lines = new ArrayList<String>();
    lines.add("clusters:");
    lines.add("  - id: 1");
    lines.add("    name: c1");
    lines.add("    ob_cluster_id: 11");
    lines.add("    ssh_user: admin");
    lines.add("    home_path: /home/admin/oceanbase");
    lines.add("    zones:");
    int id = 1;
    for (int z = 1; z <= zones; z++) {
      lines.add("      - name: zone" + z);
      lines.add("        servers:");
      for (int s = 1; s <= serversPerZone; s++, id++) {
        lines.add("          - { id: " + id + ", ip: 10.0." + z + "." + s + " }");
      }
    }
    return String.join("\n", lines) + "\n";
  }

  public List<String> names(long taskId) {
    return tasks.find(taskId).orElseThrow().subtasks().stream().map(s -> s.name()).toList();
  }

  @Override
  public void close() {
    engine.shutdown(Duration.ofSeconds(5));
    dataSource.close();
  }
}
