package io.obops.task;

/**
 * An operation on a task was refused: the task or subtask does not exist ({@link Reason#NOT_FOUND})
 * or is in a state that does not allow it ({@link Reason#CONFLICT}). The message says which state
 * would allow it.
 */
public class TaskOperationException extends RuntimeException {

  public enum Reason {
    NOT_FOUND,
    CONFLICT
  }

  private final Reason reason;

  public TaskOperationException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
