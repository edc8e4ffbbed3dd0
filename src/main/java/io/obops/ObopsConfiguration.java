package io.obops;

import io.micrometer.core.instrument.MeterRegistry;
import io.obops.access.AccessProperties;
import io.obops.api.OcpResponses;
import io.obops.api.RequestTrace;
import io.obops.chat.web.ConsoleProperties;
import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.InventoryException;
import io.obops.cluster.InventoryLoader;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObServerStatus;
import io.obops.obcluster.ApprovedTargets;
import io.obops.obcluster.NoRemoteExecutor;
import io.obops.obcluster.ObserverProcessControl;
import io.obops.obcluster.PreflightConfiguration;
import io.obops.obcluster.PreflightPlans;
import io.obops.obcluster.StartClusterHandlers;
import io.obops.obcluster.StartClusterService;
import io.obops.obcluster.StopClusterHandlers;
import io.obops.obcluster.StopClusterService;
import io.obops.ocp.OcpEnvelopes;
import io.obops.sandbox.Sandbox;
import io.obops.task.DatabaseClock;
import io.obops.task.TaskClient;
import io.obops.task.TaskEngine;
import io.obops.task.TaskMetrics;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Clock;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.stream.Collectors;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The composition root: assembles the inventory, the task engine with the stop and start graphs'
 * handlers, and the API's helpers. Capabilities know nothing of Spring beyond their constructors.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(ObopsProperties.class)
public class ObopsConfiguration {

  private static final Logger log = LoggerFactory.getLogger(ObopsConfiguration.class);

  /** The cluster id of the sandbox's demo cluster: {@code /obcluster stop 1}. */
  public static final long SANDBOX_CLUSTER_ID = 1;

  /**
   * THE clock: the database's time (the system clock plus its measured offset from the database),
   * so that every instance sharing the database stamps and compares heartbeats, deadlines and
   * approval expiry in one time, however wrong its own clock is.
   */
  @Bean
  Clock clock(ObopsProperties properties, DataSource dataSource) {
    return new DatabaseClock(Clock.system(zone(properties)), dataSource);
  }

  static ZoneId zone(ObopsProperties properties) {
    return properties.timeZone() == null || properties.timeZone().isBlank()
        ? ZoneId.systemDefault()
        : ZoneId.of(properties.timeZone());
  }

  static String serverName(ObopsProperties properties) {
    if (properties.serverName() != null && !properties.serverName().isBlank()) {
      return properties.serverName();
    }
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      return "obops";
    }
  }

  /**
   * The inventory, synchronised from the inventory file before anything else uses it. With the
   * sandbox enabled, its cluster (id {@link #SANDBOX_CLUSTER_ID}, "demo") is part of it, in place
   * of a file entry with the same id.
   */
  @Bean
  ClusterInventory clusterInventory(
      JdbcClient jdbc,
      TransactionTemplate tx,
      Clock clock,
      ObopsProperties properties,
      ObjectProvider<Sandbox> sandbox) {
    var inventory = new ClusterInventory(jdbc, tx, clock);
    var specs = new ArrayList<>(InventoryLoader.load(properties.inventory().file()));
    Sandbox demo = sandbox.getIfAvailable();
    if (demo != null) {
      if (specs.removeIf(c -> c.id() == SANDBOX_CLUSTER_ID)) {
        log.warn(
            "the sandbox cluster replaces cluster {} of {}",
            SANDBOX_CLUSTER_ID,
            properties.inventory().file());
      }
      InventoryLoader.ClusterSpec spec = demo.clusterSpec(SANDBOX_CLUSTER_ID, "demo");
      Set<Long> ids =
          spec.servers().stream().map(InventoryLoader.ServerSpec::id).collect(Collectors.toSet());
      specs.forEach(
          c ->
              c.servers().stream()
                  .filter(s -> ids.contains(s.id()))
                  .findFirst()
                  .ifPresent(
                      s -> {
                        throw new InventoryException(
                            properties.inventory().file()
                                + ": server id "
                                + s.id()
                                + " of cluster "
                                + c.id()
                                + " is also a sandbox server id; use ids above "
                                + ids.size()
                                + " for other clusters while the sandbox is enabled");
                      }));
      specs.add(spec);
    }
    inventory.sync(specs);
    if (demo != null) {
      // a restart keeps a stopped demo cluster stopped, and never starts an observer under a stop
      demo.resume(
          s -> inventory.server(s.id()).map(ObServer::status).orElse(ObServerStatus.RUNNING));
    }
    log.info(
        "inventory {}: {} cluster(s), {} server(s)",
        properties.inventory().file(),
        specs.size(),
        specs.stream().mapToInt(c -> c.servers().size()).sum());
    return inventory;
  }

  /** The servers each task was approved for: what its remote steps act on. */
  @Bean
  ApprovedServers approvedServers(JdbcClient jdbc) {
    return new ApprovedServers(jdbc);
  }

  @Bean
  ApprovedTargets approvedTargets(ApprovedServers approved, ClusterInventory inventory) {
    return new ApprovedTargets(approved, inventory);
  }

  @Bean
  StopClusterHandlers stopClusterHandlers(
      ClusterInventory inventory,
      ApprovedServers approved,
      ObjectProvider<ObserverProcessControl> observers) {
    ObserverProcessControl control = observers.getIfAvailable(NoRemoteExecutor::new);
    if (control instanceof NoRemoteExecutor) {
      log.warn(
          "no remote executor configured: 'Stop observer process' and 'Start observer process'"
              + " will fail until SSH is set up (obops.remote.*)");
    }
    return new StopClusterHandlers(inventory, approved, control);
  }

  @Bean
  StartClusterHandlers startClusterHandlers(
      ClusterInventory inventory,
      ApprovedServers approved,
      ObjectProvider<ObserverProcessControl> observers) {
    return new StartClusterHandlers(
        inventory, approved, observers.getIfAvailable(NoRemoteExecutor::new));
  }

  /**
   * The engine works on a transaction-aware proxy of the data source, so that a task created inside
   * a Spring transaction (an approval) commits or rolls back with it.
   */
  @Bean
  @DependsOnDatabaseInitialization
  TaskEngine taskEngine(
      DataSource dataSource,
      Clock clock,
      ObopsProperties properties,
      StopClusterHandlers stopHandlers,
      StartClusterHandlers startHandlers,
      MeterRegistry meters) {
    var handlers = new HashMap<>(stopHandlers.all());
    handlers.putAll(startHandlers.all());
    var engine =
        new TaskEngine(
            new TransactionAwareDataSourceProxy(dataSource),
            clock,
            properties.engine().settings(serverName(properties)),
            handlers);
    engine.addListener(new TaskMetrics(meters));
    return engine;
  }

  /** What the rest of obops uses of the engine: submit, read, retry, skip, cancel. */
  @Bean
  TaskClient taskClient(TaskEngine engine) {
    return engine.client();
  }

  /** Starts the engine once the context is up; lets running subtasks finish on shutdown. */
  @Bean
  SmartLifecycle taskEngineLifecycle(TaskEngine engine, ObopsProperties properties) {
    return new SmartLifecycle() {
      private volatile boolean running;

      @Override
      public void start() {
        if (properties.engine().start()) {
          engine.start();
        }
        running = true;
      }

      @Override
      public void stop() {
        // An engine that was never started (obops.engine.start=false: tests drive it with
        // runUntilIdle) keeps its workers: a test context paused between test classes and
        // resumed must still be able to run due work.
        if (properties.engine().start()) {
          engine.close();
        }
        running = false;
      }

      @Override
      public boolean isRunning() {
        return running;
      }
    };
  }

  /** "Stop OB cluster", the approvable action the approval flow runs for {@code cluster.stop}. */
  @Bean
  StopClusterService stopClusterService(
      ClusterInventory inventory,
      ApprovedServers approved,
      TaskClient tasks,
      TransactionTemplate tx,
      PreflightConfiguration.PreflightSupplier preflight,
      PreflightPlans plans) {
    return new StopClusterService(inventory, approved, tasks, tx, preflight.preflight(), plans);
  }

  /** "Start OB cluster", the approvable action for {@code cluster.start}: the way back. */
  @Bean
  StartClusterService startClusterService(
      ClusterInventory inventory,
      ApprovedServers approved,
      TaskClient tasks,
      TransactionTemplate tx,
      PreflightConfiguration.PreflightSupplier preflight,
      PreflightPlans plans) {
    return new StartClusterService(inventory, approved, tasks, tx, preflight.preflight(), plans);
  }

  /** Says plainly at start-up when this is the embedded default, and how to leave it. */
  @Bean
  org.springframework.context.ApplicationListener<
          org.springframework.boot.context.event.ApplicationReadyEvent>
      embeddedDefaultNotice(
          org.springframework.core.env.Environment env,
          ObopsProperties properties,
          ConsoleProperties console,
          AccessProperties access,
          ObjectProvider<Sandbox> sandbox) {
    return event -> {
      if (!properties.embedded()) {
        return;
      }
      log.info(embeddedNotice(env, console, access, sandbox.getIfAvailable()));
    };
  }

  /** The embedded default's start-up notice; the datasource URL in it is redacted. */
  static String embeddedNotice(
      org.springframework.core.env.Environment env,
      ConsoleProperties settings,
      AccessProperties access,
      Sandbox sandbox) {
    String port = env.getProperty("local.server.port", env.getProperty("server.port", "8080"));
    String address = env.getProperty("server.address", "all interfaces");
    String console =
        !settings.enabled()
            ? "the web console off"
            : !settings.users().isEmpty()
                ? "the web console with logins (obops.console.users)"
                : settings.identityPicker()
                    ? "the web console with an identity picker and no login"
                    : "the web console off (no obops.console.users)";
    return "This is obops' EMBEDDED DEFAULT, a single-node trial: database "
        + UrlRedaction.redact(env.getProperty("spring.datasource.url", ""))
        + ", sandbox cluster 1 \"demo\" ("
        + (sandbox == null ? "off" : sandbox.servers().size() + " servers")
        + "), demo people web:alice (operator), web:bob (approver), web:carol (viewer) from "
        + access.file()
        + ", and "
        + console
        + " at http://localhost:"
        + port
        + "/, listening on "
        + address
        + " (server.address). For production set OBOPS_EMBEDDED=false,"
        + " OBOPS_SANDBOX_ENABLED=false, SPRING_DATASOURCE_URL=jdbc:postgresql://…"
        + " (+ _USERNAME/_PASSWORD), a real inventory (obops.inventory.file), SSH keys"
        + " (obops.remote.*), the Discord token and obops.console.users; see README.md.";
  }

  @Bean
  OcpResponses ocpResponses(Clock clock, ObopsProperties properties) {
    return new OcpResponses(clock, zone(properties), serverName(properties));
  }

  /** OCP's envelope outside a request (chat's final JSON), in the same zone and server name. */
  @Bean
  OcpEnvelopes ocpEnvelopes(Clock clock, ObopsProperties properties) {
    return new OcpEnvelopes(clock, zone(properties), serverName(properties));
  }

  @Bean
  RequestTrace requestTrace(Clock clock) {
    return new RequestTrace(clock);
  }
}
