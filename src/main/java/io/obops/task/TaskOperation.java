package io.obops.task;

/** OCP's task operation: how the task is being driven. */
public enum TaskOperation {
  EXECUTE,
  RETRY,
  ROLLBACK
}
