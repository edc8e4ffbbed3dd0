package io.obops.api;

import io.obops.audit.AuditEvent;
import io.obops.audit.AuditLog;
import io.obops.core.PageRequest;
import io.obops.ocp.OcpResponse;
import io.obops.ocp.OcpTime;
import io.obops.operations.AuditFilter;
import io.obops.operations.AuditOperations;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.Principal;
import java.time.ZoneId;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * The audit log: {@code GET /api/v2/audit} pages it newest first (OCP's {@code contents/page});
 * {@code GET /api/v2/audit/export} streams every match oldest first as JSON Lines. Filters:
 * clusterId, principal, from (inclusive), to (exclusive), requestId (parsed strictly: ids by the id
 * codec, times ISO-8601 with an offset), page from 1, size 1 to 100. A caller sees events on the
 * clusters it may view ({@code cluster.view}) and its own cluster-less events.
 */
@RestController
@RequestMapping("/api/v2/audit")
class AuditController {

  /** An audit event on the API, with an OCP timestamp. */
  public record AuditView(
      long id,
      String time,
      String principal,
      String surface,
      String action,
      String outcome,
      Long clusterId,
      Long requestId,
      Long taskId,
      String detail) {

    static AuditView of(AuditEvent e, ZoneId zone) {
      return new AuditView(
          e.id(),
          OcpTime.format(e.time(), zone),
          e.principal(),
          e.surface(),
          e.action(),
          e.outcome(),
          e.clusterId(),
          e.requestId(),
          e.taskId(),
          e.detail());
    }
  }

  private final AuditOperations audit;
  private final OcpResponses responses;
  private final ObjectMapper json;

  public AuditController(AuditOperations audit, OcpResponses responses, ObjectMapper json) {
    this.audit = audit;
    this.responses = responses;
    this.json = json;
  }

  @GetMapping
  ResponseEntity<OcpResponse<Page<AuditView>>> list(
      @RequestParam(required = false) String clusterId,
      @RequestParam(required = false) String principal,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String requestId,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      HttpServletRequest request,
      Principal caller) {
    PageRequest p = PageRequest.parse(page, size);
    AuditFilter filter = AuditFilter.parse(clusterId, principal, from, to, requestId);
    AuditLog.Page result = audit.query(ApiActors.of(caller), filter, p);
    return responses.ok(
        request,
        Page.of(
            result.contents().stream().map(e -> AuditView.of(e, responses.zone())).toList(),
            result.totalElements(),
            p));
  }

  @GetMapping("/export")
  void export(
      @RequestParam(required = false) String clusterId,
      @RequestParam(required = false) String principal,
      @RequestParam(required = false) String from,
      @RequestParam(required = false) String to,
      @RequestParam(required = false) String requestId,
      Principal caller,
      HttpServletResponse response)
      throws IOException {
    AuditFilter filter = AuditFilter.parse(clusterId, principal, from, to, requestId);
    var actor = ApiActors.of(caller);
    response.setStatus(200);
    response.setContentType("application/x-ndjson");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"obops-audit.jsonl\"");
    OutputStream out = response.getOutputStream();
    try {
      audit.export(
          actor,
          filter,
          e -> {
            try {
              out.write(json.writeValueAsBytes(AuditView.of(e, responses.zone())));
              out.write('\n');
            } catch (IOException ex) {
              throw new UncheckedIOException(ex);
            }
          });
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
    out.flush();
  }
}
