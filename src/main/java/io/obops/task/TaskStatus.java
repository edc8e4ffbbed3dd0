package io.obops.task;

/**
 * OCP's task status: only {@code FAILED} and {@code SUCCESSFUL} are final, and FAILED can be
 * retried.
 */
public enum TaskStatus {
  RUNNING,
  FAILED,
  SUCCESSFUL
}
