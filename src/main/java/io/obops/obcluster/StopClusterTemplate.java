package io.obops.obcluster;

import io.obops.task.TaskTemplate;
import io.obops.task.TaskTemplate.Node;

/**
 * OCP's "Stop OB cluster" graph. With one zone and one server it is exactly the 11 nodes of OCP's
 * published sample; with Z zones and S servers it fans out per zone and per server, in parallel,
 * with a Wait node between split stages (3 zones × 2 servers = 30 subtasks).
 */
public final class StopClusterTemplate {

  public static final String NAME = "Stop OB cluster";
  public static final String ZONE_NAMES = "zone_names";
  public static final String SERVER_IDS = "server_ids";
  public static final String CLUSTER_ID = "cluster_id";
  public static final String CLUSTER_NAME = "cluster_name";
  public static final String FORMER_CLUSTER_STATUS = "former_cluster_status";

  static final Node PREPARE_CLUSTER =
      new Node("Prepare stop cluster", "Prepare stop cluster", "stop.prepare-cluster", 60);
  static final Node PREPARE_ZONE =
      new Node("Prepare stop OB zone", "Prepare stop OB zone", "stop.prepare-zone", 60);
  static final Node PREPARE_OBSERVER =
      new Node("Prepare stop observer", "Prepare stop observer", "stop.prepare-observer", 300);
  static final Node STOP_PROCESS =
      new Node("Stop observer process", "Stop observer process", "stop.observer-process", 900);
  static final Node UPDATE_OBSERVER =
      new Node("Update observer status", "Update observer status", "stop.update-observer", 60);
  static final Node UPDATE_ZONE =
      new Node("Update zone status", "Update zone status", "stop.update-zone", 60);
  static final Node UPDATE_CLUSTER =
      new Node("Update OB cluster status", "Update OB cluster status", "stop.update-cluster", 60);

  public static final TaskTemplate TEMPLATE =
      TaskTemplate.builder(NAME)
          .andThen(PREPARE_CLUSTER)
          .andThen(PREPARE_ZONE, ZONE_NAMES)
          .andThenWait()
          .andThen(PREPARE_OBSERVER, SERVER_IDS)
          .andThenWait()
          .andThen(STOP_PROCESS, SERVER_IDS)
          .andThenWait()
          .andThen(UPDATE_OBSERVER, SERVER_IDS)
          .andThenWait()
          .andThen(UPDATE_ZONE, ZONE_NAMES)
          .andThen(UPDATE_CLUSTER)
          .build();

  private StopClusterTemplate() {}
}
