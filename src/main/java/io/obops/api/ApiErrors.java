package io.obops.api;

import io.obops.core.Refusal;
import io.obops.core.Refused;
import io.obops.task.TaskStoreException;
import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.ErrorResponse;
import org.springframework.web.HttpMediaTypeNotSupportedException;
import org.springframework.web.HttpRequestMethodNotSupportedException;
import org.springframework.web.bind.MissingServletRequestParameterException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.resource.NoResourceFoundException;

/**
 * Every refusal and failure in OCP's error envelope, with a message that says what to do. The
 * core's refusals are worded by {@link RestRefusals}; Spring's own (no such path, wrong method,
 * unreadable body, a value it could not convert) keep their 4xx status. Never a stack trace in a
 * response: unexpected errors are logged with the trace id, which the response quotes. A 5xx caused
 * by input is a defect.
 */
@RestControllerAdvice
class ApiErrors {

  private static final Logger log = LoggerFactory.getLogger(ApiErrors.class);

  private final OcpResponses responses;
  private final RestRefusals refusals;

  public ApiErrors(OcpResponses responses) {
    this.responses = responses;
    this.refusals = new RestRefusals(responses.zone());
  }

  /** The envelope as JSON whatever the client's Accept header says (a refusal is always said). */
  private ResponseEntity<OcpErrorResponse> error(
      HttpServletRequest request, HttpStatus status, String message) {
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(responses.error(request, status, message));
  }

  @ExceptionHandler(Refused.class)
  ResponseEntity<OcpErrorResponse> refused(Refused e, HttpServletRequest request) {
    return refusal(e.refusal(), request);
  }

  private ResponseEntity<OcpErrorResponse> refusal(Refusal r, HttpServletRequest request) {
    return error(request, RestRefusals.status(r), refusals.message(r));
  }

  @ExceptionHandler(ApiException.class)
  ResponseEntity<OcpErrorResponse> api(ApiException e, HttpServletRequest request) {
    return error(request, e.status(), e.getMessage());
  }

  /** A path variable or parameter the strict id codec (or Spring) could not convert. */
  @ExceptionHandler(MethodArgumentTypeMismatchException.class)
  ResponseEntity<OcpErrorResponse> malformed(
      MethodArgumentTypeMismatchException e, HttpServletRequest request) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof Refused r && r.refusal() instanceof Refusal.Malformed m) {
        return refusal(new Refusal.Malformed(e.getName(), m.value(), m.expected()), request);
      }
    }
    return refusal(
        new Refusal.Malformed(e.getName(), String.valueOf(e.getValue()), Refusal.Expected.ID),
        request);
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
        "the request body is not valid JSON; send a JSON object such as {\"reason\": \"…\"}");
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
    return error(request, HttpStatus.NOT_FOUND, noApiAt(request));
  }

  static String noApiAt(HttpServletRequest request) {
    return "no API at " + request.getMethod() + " " + request.getRequestURI() + "; see README";
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

  /**
   * Anything else. Spring MVC's own exceptions carry their status ({@link ErrorResponse}): a 4xx
   * stays a 4xx in the envelope; the rest is a defect, logged with the trace id.
   */
  @ExceptionHandler(Exception.class)
  ResponseEntity<OcpErrorResponse> unexpected(Exception e, HttpServletRequest request) {
    if (e instanceof ErrorResponse spring && spring.getStatusCode().is4xxClientError()) {
      HttpStatus status = HttpStatus.valueOf(spring.getStatusCode().value());
      return error(
          request,
          status,
          status.getReasonPhrase() + ": " + request.getMethod() + " " + request.getRequestURI());
    }
    log.error("unexpected error on {} {}", request.getMethod(), request.getRequestURI(), e);
    return error(
        request,
        HttpStatus.INTERNAL_SERVER_ERROR,
        "internal error; report the traceId "
            + request.getAttribute(RequestTrace.TRACE_ID)
            + " to obops' operators");
  }
}
