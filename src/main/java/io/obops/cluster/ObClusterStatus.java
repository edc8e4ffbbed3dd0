package io.obops.cluster;

/** OCP's cluster statuses (ocp-express {@code ObClusterStatus}). */
public enum ObClusterStatus {
  RUNNING,
  UNAVAILABLE,
  STOPPED,
  CREATING,
  TAKINGOVER,
  DELETING,
  MOVINGOUT,
  RESTARTING,
  STARTING,
  STOPPING,
  UPGRADING,
  OPERATING,
  STARTING_IN_READ_ONLY
}
