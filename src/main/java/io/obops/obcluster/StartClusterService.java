package io.obops.obcluster;

import io.obops.access.Permission;
import io.obops.cluster.ApprovedServers;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObClusterStatus;
import io.obops.task.TaskClient;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * "Start OB cluster" ({@code cluster.start}) of a STOPPED cluster, as {@link ClusterTaskService}:
 * the way back after a stop. Its own permission and policy; the approval flow is stop's.
 */
public class StartClusterService extends ClusterTaskService {

  public static final String ACTION = "cluster.start";

  public StartClusterService(
      ClusterInventory inventory,
      ApprovedServers approved,
      TaskClient engine,
      TransactionTemplate tx) {
    this(inventory, approved, engine, tx, null, null);
  }

  /** With a pre-flight inspection (both null: no plan is made); see {@link ClusterTaskService}. */
  public StartClusterService(
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
        StartClusterTemplate.TEMPLATE,
        ObClusterStatus.STOPPED,
        preflight,
        plans);
  }

  @Override
  public String name() {
    return ACTION;
  }

  @Override
  public Permission permission() {
    return Permission.CLUSTER_START;
  }
}
