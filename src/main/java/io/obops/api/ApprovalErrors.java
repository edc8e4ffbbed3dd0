package io.obops.api;

import io.obops.access.NotPermittedException;
import io.obops.approval.ApprovalException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * Approval and access refusals in OCP's error envelope: 404, 403, 409 and 422, each with the
 * service's message (what happened, what to do). Ordered before {@link ApiErrors}, whose catch-all
 * would otherwise answer first.
 */
@RestControllerAdvice
@Order(Ordered.HIGHEST_PRECEDENCE)
public class ApprovalErrors {

  private final OcpResponses responses;

  public ApprovalErrors(OcpResponses responses) {
    this.responses = responses;
  }

  @ExceptionHandler(ApprovalException.class)
  ResponseEntity<OcpErrorResponse> approval(ApprovalException e, HttpServletRequest request) {
    HttpStatus status =
        switch (e.reason()) {
          case NOT_FOUND -> HttpStatus.NOT_FOUND;
          case FORBIDDEN -> HttpStatus.FORBIDDEN;
          case CONFLICT -> HttpStatus.CONFLICT;
          case INVALID -> HttpStatus.UNPROCESSABLE_CONTENT;
        };
    return ResponseEntity.status(status).body(responses.error(request, status, e.getMessage()));
  }

  @ExceptionHandler(NotPermittedException.class)
  ResponseEntity<OcpErrorResponse> notPermitted(
      NotPermittedException e, HttpServletRequest request) {
    return ResponseEntity.status(HttpStatus.FORBIDDEN)
        .body(responses.error(request, HttpStatus.FORBIDDEN, e.getMessage()));
  }
}
