package io.obops.task;

/**
 * OCP's subtask status. There is no CANCELED value: a cancelled subtask passes through CANCELING
 * and ends FAILED, exactly as in OCP.
 */
public enum SubtaskStatus {
  PENDING,
  READY,
  RUNNING,
  CANCELING,
  FAILED,
  SUCCESSFUL;

  /** True while an executor holds the subtask. */
  public boolean executing() {
    return this == RUNNING || this == CANCELING;
  }
}
