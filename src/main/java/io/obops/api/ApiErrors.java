package io.obops.api;

import io.obops.obcluster.ClusterOperationException;
import io.obops.task.TaskOperationException;
import io.obops.task.TaskStoreException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every refusal and failure in OCP's error envelope, with a message that says what to do. Never a
 * stack trace in a response: unexpected errors are logged with the trace id, which the response
 * quotes.
 */
@RestControllerAdvice
public class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private final OcpResponses responses;

  public ApiErrors(OcpResponses responses) {
    this.responses = responses;
  }

  private ResponseEntity<OcpErrorResponse> error(
      HttpServletRequest request, HttpStatus status, String message) {
    return ResponseEntity.status(status).body(responses.error(request, status, message));
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<OcpErrorResponse> api(ApiException e, HttpServletRequest request) {
    return error(request, e.status(), e.getMessage());
  }

  @ExceptionHandler(TaskOperationException.class)
  ResponseEntity<OcpErrorResponse> task(TaskOperationException e, HttpServletRequest request) {
    return error(
        request,
        e.reason() == TaskOperationException.Reason.NOT_FOUND
            ? HttpStatus.NOT_FOUND
            : HttpStatus.CONFLICT,
        e.getMessage());
  }

  @ExceptionHandler(ClusterOperationException.class)
  ResponseEntity<OcpErrorResponse> cluster(
      ClusterOperationException e, HttpServletRequest request) {
    return error(
        request,
        e.reason() == ClusterOperationException.Reason.NOT_FOUND
            ? HttpStatus.NOT_FOUND
            : HttpStatus.CONFLICT,
        e.getMessage());
  }

  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<OcpErrorResponse> malformed(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    return error(
        request,
        HttpStatus.BAD_REQUEST,
        "malformed "
            + e.getName()
            + " '"
            + e.getValue()
            + "': expected a whole number, e.g. /api/v2/tasks/instances/1000");
  }

  @ExceptionHandler(MissingServletRequestParameterException.class)
  ResponseEntity<OcpErrorResponse> missing(
      MissingServletRequestParameterException e, HttpServletRequest request) {
    return error(
        request,
        HttpStatus.BAD_REQUEST,
        "missing parameter '" + e.getParameterName() + "' (" + e.getParameterType() + ")");
  }

  @ExceptionHandler(HttpMessageNotReadableException.class)
  ResponseEntity<OcpErrorResponse> unreadable(
      HttpMessageNotReadableException e, HttpServletRequest request) {
    return error(
        request,
        HttpStatus.BAD_REQUEST,
        "the request body is not valid JSON of the expected shape");
  }

  @ExceptionHandler(HttpMediaTypeNotSupportedException.class)
  ResponseEntity<OcpErrorResponse> mediaType(
      HttpMediaTypeNotSupportedException e, HttpServletRequest request) {
    return error(
        request,
        HttpStatus.UNSUPPORTED_MEDIA_TYPE,
        "send the body as application/json (was " + e.getContentType() + ")");
  }

  @ExceptionHandler(NoResourceFoundException.class)
  ResponseEntity<OcpErrorResponse> noSuchPath(
      NoResourceFoundException e, HttpServletRequest request) {
    return error(
        request,
        HttpStatus.NOT_FOUND,
        "no API at " + request.getMethod() + " " + request.getRequestURI() + "; see README");
  }

  @ExceptionHandler(HttpRequestMethodNotSupportedException.class)
  ResponseEntity<OcpErrorResponse> method(
      HttpRequestMethodNotSupportedException e, HttpServletRequest request) {
    return error(
        request,
        HttpStatus.METHOD_NOT_ALLOWED,
        request.getMethod()
            + " is not supported on "
            + request.getRequestURI()
            + "; use "
            + String.join(
                " or ", e.getSupportedMethods() == null ? new String[0] : e.getSupportedMethods()));
  }

  @ExceptionHandler({TaskStoreException.class, DataAccessException.class})
  ResponseEntity<OcpErrorResponse> store(RuntimeException e, HttpServletRequest request) {
    log.error("database error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return error(
        request,
        HttpStatus.SERVICE_UNAVAILABLE,
        "the database is unavailable; try again shortly, and check obops' health endpoint");
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<OcpErrorResponse> unexpected(Exception e, HttpServletRequest request) {
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return error(
        request,
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal error; report the traceId "
            + request.getAttribute(RequestTrace.TRACE_ID)
            + " to obops' operators");
  }
}
