package io.obops.obcluster;

import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObClusterStatus;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObServerStatus;
import io.obops.cluster.ObZoneStatus;
import io.obops.task.SubtaskExecution;
import io.obops.task.SubtaskHandler;
import java.util.Map;

/**
 * The subtasks of "Start OB cluster", the stop's mirror. Each is idempotent: running it again after
 * a crash or a fix finds the work done and succeeds (an observer already running and listening is
 * left alone). The remote steps act on the servers as approved ({@link TaskServers}).
 */
public final class StartClusterHandlers {

  private final ClusterInventory inventory;
  private final TaskServers servers;
  private final ObserverProcessControl observers;

  public StartClusterHandlers(
      ClusterInventory inventory, ApprovedServers approved, ObserverProcessControl observers) {
    this.inventory = inventory;
    this.servers = new TaskServers(inventory, approved);
    this.observers = observers;
  }

  /** The handlers by the keys {@link StartClusterTemplate} names. */
  public Map<String, SubtaskHandler> all() {
    return Map.of(
        StartClusterTemplate.PREPARE_CLUSTER.handler(), this::prepareCluster,
        StartClusterTemplate.PREPARE_ZONE.handler(), this::prepareZone,
        StartClusterTemplate.PREPARE_OBSERVER.handler(), this::prepareObserver,
        StartClusterTemplate.START_PROCESS.handler(), this::startProcess,
        StartClusterTemplate.UPDATE_OBSERVER.handler(), this::updateObserver,
        StartClusterTemplate.UPDATE_ZONE.handler(), this::updateZone,
        StartClusterTemplate.UPDATE_CLUSTER.handler(), this::updateCluster);
  }

  /**
   * Refuses a cluster that is not STOPPED (or already STARTING for this very task, on a re-run) or
   * that another operation holds; records the former status; marks the cluster STARTING.
   */
  void prepareCluster(SubtaskExecution e) {
    TaskServers.moveCluster(
        e,
        servers.cluster(e, "start"),
        inventory,
        ObClusterStatus.STOPPED,
        ObClusterStatus.STARTING,
        "started");
  }

  void prepareZone(SubtaskExecution e) {
    TaskServers.moveZone(e, inventory, ObZoneStatus.STARTING);
  }

  /** "Prepare start observer": the host answers over SSH and the observer's state is known. */
  void prepareObserver(SubtaskExecution e) throws Exception {
    ObServer server = servers.server(e);
    inventory.setServerStatus(server.id(), ObServerStatus.STARTING);
    ObserverProcessControl.ObserverState state = observers.inspect(server, e.log());
    e.log()
        .append(
            "observer "
                + server.address()
                + " (zone "
                + server.zoneName()
                + "): "
                + (state.running()
                    ? "already running, pid " + state.pid() + "; the start leaves it alone"
                    : "not running; it will be started")
                + (state.detail() == null || state.detail().isBlank()
                    ? ""
                    : "; " + state.detail()));
  }

  /**
   * Starts the observer and records how it went once, as the typed {@link ObserverStarted}
   * milestone (what chat reports, read from the database), and in its own words in the log.
   */
  void startProcess(SubtaskExecution e) throws Exception {
    ObServer server = servers.server(e);
    ObserverProcessControl.StartReport report = observers.start(server, e.log());
    ObserverStarted started = ObserverStarted.of(server, report);
    e.milestone(ObserverStarted.KIND, started.data());
    e.log().append(started.describe());
  }

  void updateObserver(SubtaskExecution e) {
    ObServer server = servers.server(e);
    inventory.setServerStatus(server.id(), ObServerStatus.RUNNING);
    e.log().append("observer " + server.address() + " -> RUNNING");
  }

  void updateZone(SubtaskExecution e) {
    TaskServers.moveZone(e, inventory, ObZoneStatus.RUNNING);
  }

  void updateCluster(SubtaskExecution e) {
    TaskServers.finishCluster(e, servers.cluster(e, "start"), inventory, ObClusterStatus.RUNNING);
  }
}
