package io.obops.remote;

/**
 * A remote command could not be run or confirmed: the host is unreachable, its host key is unknown,
 * changed or revoked, it refused our key, the connection broke, or the command timed out. The
 * message says which host and what to do next; it never holds key material.
 */
final class RemoteExecutionException extends Exception {

  /** Why the command could not run; lets callers and tests tell the failures apart. */
  public enum Reason {
    UNREACHABLE,
    HOST_KEY_UNKNOWN,
    HOST_KEY_CHANGED,
    HOST_KEY_REVOKED,
    AUTHENTICATION_FAILED,
    CONNECTION_LOST,
    TIMED_OUT,
    CLOSED
  }

  private final Reason reason;

  public RemoteExecutionException(Reason reason, String message, Throwable cause) {
    super(message, cause);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
