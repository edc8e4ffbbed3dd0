package io.obops.access;

/** An actor lacks a permission; the message says which, on what, and whom to ask. */
public class NotPermittedException extends RuntimeException {

  public NotPermittedException(String message) {
    super(message);
  }
}
