package io.obops.obcluster;

import io.obops.access.Permission;
import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObClusterStatus;
import io.obops.task.TaskClient;
import org.springframework.transaction.support.TransactionTemplate;

/** "Stop OB cluster" ({@code cluster.stop}) of a RUNNING cluster, as {@link ClusterTaskService}. */
public class StopClusterService extends ClusterTaskService {

  public static final String ACTION = "cluster.stop";

  public StopClusterService(
      ClusterInventory inventory,
      ApprovedServers approved,
      TaskClient engine,
      TransactionTemplate tx) {
    this(inventory, approved, engine, tx, null, null);
  }

  /** With a pre-flight inspection (both null: no plan is made); see {@link ClusterTaskService}. */
  public StopClusterService(
      ClusterInventory inventory,
      ApprovedServers approved,
      TaskClient engine,
      TransactionTemplate tx,
      Preflight preflight,
      PreflightPlans plans) {
    super(
        inventory,
        approved,
        engine,
        tx,
        StopClusterTemplate.TEMPLATE,
        ObClusterStatus.RUNNING,
        preflight,
        plans);
  }

  @Override
  public String name() {
    return ACTION;
  }

  @Override
  public Permission permission() {
    return Permission.CLUSTER_STOP;
  }
}
