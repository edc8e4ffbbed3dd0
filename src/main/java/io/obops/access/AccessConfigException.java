package io.obops.access;

/**
 * The access configuration is invalid. The message names the file, the entry and the field, and
 * what a valid value looks like.
 */
class AccessConfigException extends RuntimeException {

  public AccessConfigException(String message) {
    super(message);
  }

  public AccessConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
