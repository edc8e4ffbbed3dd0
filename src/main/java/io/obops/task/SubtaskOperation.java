package io.obops.task;

/** OCP's subtask operation: why the subtask is (or was last) made READY. */
public enum SubtaskOperation {
  EXECUTE,
  RETRY,
  ROLLBACK,
  SKIP,
  ROLLBACK_SKIP,
  CANCEL
}
