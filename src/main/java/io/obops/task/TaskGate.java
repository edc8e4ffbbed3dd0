package io.obops.task;

/**
 * Whether a task waits for something outside the engine (an approval) before its root subtasks may
 * run. {@link #NONE}: an ordinary task. {@link #HELD}: created gated, nothing runs until {@link
 * TaskEngine#openGate}. {@link #OPEN}: opened, the task runs as any other. {@link #REFUSED}: {@link
 * TaskEngine#refuseGate} ended it FAILED; it can never be retried or its subtasks retried or
 * skipped.
 */
public enum TaskGate {
  NONE,
  HELD,
  OPEN,
  REFUSED
}
