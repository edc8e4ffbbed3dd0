package io.obops.obcluster;

import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObClusterStatus;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObServerStatus;
import io.obops.cluster.ObZoneStatus;
import io.obops.task.SubtaskExecution;
import io.obops.task.SubtaskHandler;
import java.util.Map;

/**
 * The subtasks of "Stop OB cluster" (reference §1.2). Each is idempotent: running it again after a
 * crash finds the work done and succeeds.
 *
 * <p>The remote steps act on the servers as the task was approved for ({@link ApprovedServers}),
 * never on a live lookup of addresses: a retry, or the reaper's re-run after a restart, reaches
 * exactly the hosts, users and paths the approvers were shown. Statuses are still the inventory's.
 */
public final class StopClusterHandlers {

  private final ClusterInventory inventory;
  private final TaskServers servers;
  private final ObserverProcessControl observers;

  public StopClusterHandlers(
      ClusterInventory inventory, ApprovedServers approved, ObserverProcessControl observers) {
    this.inventory = inventory;
    this.servers = new TaskServers(inventory, approved);
    this.observers = observers;
  }

  /** The handlers by the keys {@link StopClusterTemplate} names. */
  public Map<String, SubtaskHandler> all() {
    return Map.of(
        StopClusterTemplate.PREPARE_CLUSTER.handler(), this::prepareCluster,
        StopClusterTemplate.PREPARE_ZONE.handler(), this::prepareZone,
        StopClusterTemplate.PREPARE_OBSERVER.handler(), this::prepareObserver,
        StopClusterTemplate.STOP_PROCESS.handler(), this::stopProcess,
        StopClusterTemplate.UPDATE_OBSERVER.handler(), this::updateObserver,
        StopClusterTemplate.UPDATE_ZONE.handler(), this::updateZone,
        StopClusterTemplate.UPDATE_CLUSTER.handler(), this::updateCluster);
  }

  /**
   * Refuses a cluster that is not RUNNING (or already STOPPING for this very task, on a re-run) or
   * that another operation holds; records the former status; marks the cluster STOPPING.
   */
  void prepareCluster(SubtaskExecution e) {
    TaskServers.moveCluster(
        e, cluster(e), inventory, ObClusterStatus.RUNNING, ObClusterStatus.STOPPING, "stopped");
  }

  void prepareZone(SubtaskExecution e) {
    TaskServers.moveZone(e, inventory, ObZoneStatus.STOPPING);
  }

  void prepareObserver(SubtaskExecution e) throws Exception {
    ObServer server = server(e);
    inventory.setServerStatus(server.id(), ObServerStatus.PROCESS_STOPPING);
    ObserverProcessControl.ObserverState state = observers.inspect(server, e.log());
    e.log()
        .append(
            "observer "
                + server.address()
                + " (zone "
                + server.zoneName()
                + "): "
                + (state.running() ? "running, pid " + state.pid() : "not running")
                + (state.detail() == null || state.detail().isBlank()
                    ? ""
                    : "; " + state.detail()));
  }

  /**
   * Stops the observer, then records how it went as the typed {@link ObserverStopped} milestone
   * (what any replica's reporter reads) and says the same in the subtask's log.
   */
  void stopProcess(SubtaskExecution e) throws Exception {
    ObServer server = server(e);
    ObserverStopped stopped = ObserverStopped.of(server, observers.stop(server, e.log()));
    e.milestone(ObserverStopped.KIND, stopped.data());
    e.log().append(stopped.describe());
  }

  void updateObserver(SubtaskExecution e) {
    ObServer server = server(e);
    inventory.setServerStatus(server.id(), ObServerStatus.PROCESS_STOPPED);
    e.log().append("observer " + server.address() + " -> PROCESS_STOPPED");
  }

  void updateZone(SubtaskExecution e) {
    TaskServers.moveZone(e, inventory, ObZoneStatus.STOPPED);
  }

  void updateCluster(SubtaskExecution e) {
    TaskServers.finishCluster(e, cluster(e), inventory, ObClusterStatus.STOPPED);
  }

  private ObCluster cluster(SubtaskExecution e) {
    return servers.cluster(e, "stop");
  }

  private ObServer server(SubtaskExecution e) {
    return servers.server(e);
  }
}
