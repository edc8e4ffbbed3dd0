package io.obops.cluster;

/** OCP's observer statuses (ocp-express {@code ObServerStatus}). */
public enum ObServerStatus {
  RUNNING,
  UNAVAILABLE,
  SERVICE_STOPPED,
  PROCESS_STOPPED,
  DELETED,
  CREATING,
  SERVICE_STOPPING,
  PROCESS_STOPPING,
  STARTING,
  RESTARTING,
  DELETING
}
