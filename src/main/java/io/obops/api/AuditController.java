package io.obops.api;

import io.obops.access.AccessControl;
import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.Permission;
import io.obops.audit.AuditEvent;
import io.obops.audit.AuditLog;
import io.obops.audit.AuditQuery;
import io.obops.cluster.ClusterInventory;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.security.Principal;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.Set;
import java.util.stream.Collectors;
import org.springframework.format.annotation.DateTimeFormat;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.ObjectMapper;

/**
 * The audit log: {@code GET /api/v2/audit} pages it newest first (OCP's {@code contents/page});
 * {@code GET /api/v2/audit/export} streams every match oldest first as JSON Lines. Filters:
 * clusterId, principal, from (inclusive), to (exclusive), requestId. A caller sees events on the
 * clusters it may view ({@code cluster.view}) and its own cluster-less events.
 */
@RestController
@RequestMapping("/api/v2/audit")
public class AuditController {

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

  private final AuditLog audit;
  private final AccessControl access;
  private final ClusterInventory inventory;
  private final OcpResponses responses;
  private final ObjectMapper json;

  public AuditController(
      AuditLog audit,
      AccessControl access,
      ClusterInventory inventory,
      OcpResponses responses,
      ObjectMapper json) {
    this.audit = audit;
    this.access = access;
    this.inventory = inventory;
    this.responses = responses;
    this.json = json;
  }

  @GetMapping
  ResponseEntity<OcpResponse<Page<AuditView>>> list(
      @RequestParam(required = false) Long clusterId,
      @RequestParam(required = false) String principal,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          OffsetDateTime from,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          OffsetDateTime to,
      @RequestParam(required = false) Long requestId,
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int size,
      HttpServletRequest request,
      Principal caller) {
    if (page < 1 || size < 1 || size > 500) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "page starts at 1 and size is 1 to 500 (was " + page + ", " + size + ")");
    }
    AuditQuery q = query(ApiActors.of(caller), clusterId, principal, from, to, requestId);
    AuditLog.Page result = audit.find(q, page, size);
    return responses.ok(
        request,
        new Page<>(
            result.contents().stream().map(e -> AuditView.of(e, responses.zone())).toList(),
            new Page.Info(
                result.totalElements(),
                (int) ((result.totalElements() + size - 1) / size),
                page,
                size)));
  }

  @GetMapping("/export")
  void export(
      @RequestParam(required = false) Long clusterId,
      @RequestParam(required = false) String principal,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          OffsetDateTime from,
      @RequestParam(required = false) @DateTimeFormat(iso = DateTimeFormat.ISO.DATE_TIME)
          OffsetDateTime to,
      @RequestParam(required = false) Long requestId,
      Principal caller,
      HttpServletResponse response)
      throws IOException {
    AuditQuery q = query(ApiActors.of(caller), clusterId, principal, from, to, requestId);
    response.setStatus(200);
    response.setContentType("application/x-ndjson");
    response.setCharacterEncoding("UTF-8");
    response.setHeader("Content-Disposition", "attachment; filename=\"obops-audit.jsonl\"");
    OutputStream out = response.getOutputStream();
    try {
      audit.export(
          q,
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

  private AuditQuery query(
      Actor actor,
      Long clusterId,
      String principal,
      OffsetDateTime from,
      OffsetDateTime to,
      Long requestId) {
    Set<Long> visible =
        inventory.all().stream()
            .filter(
                c ->
                    access.has(
                        actor, Permission.CLUSTER_VIEW, new ClusterRef(c.id(), c.name(), c.tags())))
            .map(c -> c.id())
            .collect(Collectors.toSet());
    return new AuditQuery(clusterId, principal, from, to, requestId, visible, actor.principal());
  }
}
