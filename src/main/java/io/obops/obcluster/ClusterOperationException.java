package io.obops.obcluster;

/**
 * An operation on a cluster was refused before anything started: the cluster does not exist ({@link
 * Reason#NOT_FOUND}) or its state does not allow it ({@link Reason#CONFLICT}). The message says
 * what to do.
 */
public class ClusterOperationException extends RuntimeException {

  public enum Reason {
    NOT_FOUND,
    CONFLICT
  }

  private final Reason reason;
  private final Long blockingTaskId;

  public ClusterOperationException(Reason reason, String message, Long blockingTaskId) {
    super(message);
    this.reason = reason;
    this.blockingTaskId = blockingTaskId;
  }

  public Reason reason() {
    return reason;
  }

  /** The task already holding the cluster, when that is why the operation was refused. */
  public Long blockingTaskId() {
    return blockingTaskId;
  }
}
