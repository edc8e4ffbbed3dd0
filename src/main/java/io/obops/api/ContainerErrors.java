package io.obops.api;

import java.io.IOException;
import java.util.HexFormat;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.core.Ordered;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import tools.jackson.databind.ObjectMapper;

/**
 * Errors the servlet container answers itself, before any filter or controller runs (a path with an
 * encoded {@code /}, {@code \} or NUL, a malformed request line): OCP's error envelope in place of
 * Tomcat's HTML page. Replaces the host's error report valve, after Spring Boot configured its own
 * (hence the lowest precedence).
 */
final class ContainerErrors
    implements WebServerFactoryCustomizer<TomcatServletWebServerFactory>, Ordered {

  private final OcpResponses responses;
  private final ObjectMapper json;

  ContainerErrors(OcpResponses responses, ObjectMapper json) {
    this.responses = responses;
    this.json = json;
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  @Override
  public void customize(TomcatServletWebServerFactory factory) {
    factory.addContextCustomizers(
        context -> {
          var host = (org.apache.catalina.core.StandardHost) context.getParent();
          for (Valve v : host.getPipeline().getValves()) {
            if (v instanceof ErrorReportValve) {
              host.getPipeline().removeValve(v);
            }
          }
          host.setErrorReportValveClass(OcpErrorReportValve.class.getName());
          host.getPipeline().addValve(new OcpErrorReportValve(responses, json));
        });
  }

  /** Writes OCP's error envelope for an error no part of obops has answered. */
  static final class OcpErrorReportValve extends ErrorReportValve {

    private final OcpResponses responses;
    private final ObjectMapper json;

    /** Tomcat's reflective constructor; never used, the instance above is in the pipeline. */
    public OcpErrorReportValve() {
      this(null, null);
    }

    OcpErrorReportValve(OcpResponses responses, ObjectMapper json) {
      this.responses = responses;
      this.json = json;
    }

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
      int code = response.getStatus();
      if (code < 400 || response.getContentWritten() > 0 || responses == null) {
        return;
      }
      if (!response.setErrorReported()) {
        return;
      }
      // The container's "not implemented" (a method such as CONNECT) and "version not supported"
      // answer the client's request line, not a fault of obops: they are the client's to fix.
      if (code == 501) {
        code = 405;
        response.setStatus(code);
      } else if (code == 505) {
        code = 400;
        response.setStatus(code);
      }
      HttpStatus status = HttpStatus.resolve(code);
      if (status == null) {
        status = code < 500 ? HttpStatus.BAD_REQUEST : HttpStatus.INTERNAL_SERVER_ERROR;
      }
      if (request.getAttribute(RequestTrace.TRACE_ID) == null) {
        request.setAttribute(
            RequestTrace.TRACE_ID,
            HexFormat.of().toHexDigits(ThreadLocalRandom.current().nextLong()));
      }
      String message =
          status.is4xxClientError()
              ? "the request was rejected before obops read it ("
                  + status.getReasonPhrase()
                  + "): write the path plainly, without encoded '/', '\\' or NUL, e.g."
                  + " /api/v2/tasks/instances/1000"
              : "the server could not handle the request; report the traceId to obops' operators";
      try {
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding("UTF-8");
        json.writeValue(response.getOutputStream(), responses.error(request, status, message));
        response.finishResponse();
      } catch (IOException | RuntimeException e) {
        // the client went away; nothing more to say
      }
    }
  }
}
