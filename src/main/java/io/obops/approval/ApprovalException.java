package io.obops.approval;

/**
 * A refused approval operation. The message says what happened and what to do; {@link #reason} maps
 * to the HTTP status (NOT_FOUND 404, FORBIDDEN 403, CONFLICT 409, INVALID 422).
 */
public class ApprovalException extends RuntimeException {

  public enum Reason {
    NOT_FOUND,
    FORBIDDEN,
    CONFLICT,
    INVALID
  }

  private final Reason reason;
  private final Long existingRequestId;

  public ApprovalException(Reason reason, String message) {
    this(reason, message, null);
  }

  public ApprovalException(Reason reason, String message, Long existingRequestId) {
    super(message);
    this.reason = reason;
    this.existingRequestId = existingRequestId;
  }

  public Reason reason() {
    return reason;
  }

  /** The pending request that blocks a new one, when that is why it was refused. */
  public Long existingRequestId() {
    return existingRequestId;
  }
}
