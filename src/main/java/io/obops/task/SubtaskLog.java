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

  /**
   * Appends several lines, in order. The engine's log writes them in one round trip to the
   * database; the default appends them one by one.
   */
  default void appendAll(java.util.List<String> lines) {
    lines.forEach(this::append);
  }
}
