package io.obops.obcluster;

import io.obops.task.TaskTemplate;
import io.obops.task.TaskTemplate.Node;

/**
 * OCP's "Start OB cluster" graph, mirroring the stop: prepare the cluster, then per zone and per
 * server (in parallel, a Wait node between split stages) prepare, start the observer process,
 * update the observer's, the zone's and the cluster's status (STARTING → RUNNING). Its context keys
 * are stop's and OCP's: {@code cluster_name}, {@code cluster_id}, {@code server_ids}, {@code
 * zone_names}.
 */
final class StartClusterTemplate {

  public static final String NAME = "Start OB cluster";

  static final Node PREPARE_CLUSTER =
      new Node("Prepare start cluster", "Prepare start cluster", "start.prepare-cluster", 60);
  static final Node PREPARE_ZONE =
      new Node("Prepare start OB zone", "Prepare start OB zone", "start.prepare-zone", 60);
  static final Node PREPARE_OBSERVER =
      new Node("Prepare start observer", "Prepare start observer", "start.prepare-observer", 300);
  static final Node START_PROCESS =
      new Node("Start observer process", "Start observer process", "start.observer-process", 3600);
  static final Node UPDATE_OBSERVER =
      new Node("Update observer status", "Update observer status", "start.update-observer", 60);
  static final Node UPDATE_ZONE =
      new Node("Update zone status", "Update zone status", "start.update-zone", 60);
  static final Node UPDATE_CLUSTER =
      new Node("Update OB cluster status", "Update OB cluster status", "start.update-cluster", 60);

  public static final TaskTemplate TEMPLATE =
      TaskTemplate.builder(NAME)
          .andThen(PREPARE_CLUSTER)
          .andThen(PREPARE_ZONE, StopClusterTemplate.ZONE_NAMES)
          .andThenWait()
          .andThen(PREPARE_OBSERVER, StopClusterTemplate.SERVER_IDS)
          .andThenWait()
          .andThen(START_PROCESS, StopClusterTemplate.SERVER_IDS)
          .andThenWait()
          .andThen(UPDATE_OBSERVER, StopClusterTemplate.SERVER_IDS)
          .andThenWait()
          .andThen(UPDATE_ZONE, StopClusterTemplate.ZONE_NAMES)
          .andThen(UPDATE_CLUSTER)
          .build();

  private StartClusterTemplate() {}
}
