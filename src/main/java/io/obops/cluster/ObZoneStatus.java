package io.obops.cluster;

/** OCP's zone statuses (ocp-express {@code ObZoneStatus}). */
public enum ObZoneStatus {
  RUNNING,
  UNAVAILABLE,
  SERVICE_STOPPED,
  STOPPED,
  DELETED,
  CREATING,
  STOPPING,
  STARTING,
  RESTARTING,
  DELETING,
  OPERATING
}
