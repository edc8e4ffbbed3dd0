package io.obops.api;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The container's error page in OCP's error envelope (in place of Spring Boot's), for errors that
 * happen outside a controller: the status the container chose, and a 404 when someone calls {@code
 * /error} directly (there is nothing there), never a 5xx without a cause.
 */
@RestController
class ApiErrorController implements ErrorController {

  private final OcpResponses responses;

  ApiErrorController(OcpResponses responses) {
    this.responses = responses;
  }

  @RequestMapping("/error")
  ResponseEntity<OcpErrorResponse> error(HttpServletRequest request) {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    HttpStatus status =
        code instanceof Integer c && HttpStatus.resolve(c) != null
            ? HttpStatus.valueOf(c)
            : HttpStatus.NOT_FOUND;
    String message =
        code == null
            ? ApiErrors.noApiAt(request)
            : status.getReasonPhrase()
                + " on "
                + request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI)
                + (status.is5xxServerError()
                    ? "; report the traceId to obops' operators"
                    : "; see README for the API");
    return ResponseEntity.status(status)
        .contentType(MediaType.APPLICATION_JSON)
        .body(responses.error(request, status, message));
  }
}
