package io.obops.task;

/**
 * The log of one subtask execution (OCP's subtask log). Lines are persisted and announced as
 * events.
 *
 * <p>Never pass a secret (key, password, token) to it: the log is served over the API and posted to
 * chat.
 */
@FunctionalInterface
public interface SubtaskLog {

  void append(String line);
}
