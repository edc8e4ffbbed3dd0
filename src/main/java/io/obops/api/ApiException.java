package io.obops.api;

import org.springframework.http.HttpStatus;

/** A refusal the API answers in OCP's error envelope with this status and message. */
class ApiException extends RuntimeException {

  private final HttpStatus status;

  public ApiException(HttpStatus status, String message) {
    super(message);
    this.status = status;
  }

  public HttpStatus status() {
    return status;
  }
}
