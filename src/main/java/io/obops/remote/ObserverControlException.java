package io.obops.remote;

/**
 * The observer's state could not be told, or its stop could not be confirmed, on a host that was
 * reached. The message names the host and the port or pid at fault, e.g. {@code "port 2881 not
 * released on 10.0.0.5"}.
 */
final class ObserverControlException extends Exception {

  public ObserverControlException(String message) {
    super(message);
  }
}
