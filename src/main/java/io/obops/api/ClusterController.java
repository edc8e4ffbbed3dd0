package io.obops.api;

import io.obops.cluster.ObCluster;
import io.obops.core.ClusterId;
import io.obops.core.PageRequest;
import io.obops.ocp.OcpResponse;
import io.obops.ocp.TaskView;
import io.obops.operations.ApprovalOperations;
import io.obops.operations.ClusterFilter;
import io.obops.operations.ClusterOperations;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * OCP's cluster API: the clusters the caller may view (filtered and paged as OCP does), one
 * cluster, its zones and observers, and the stop. {@code POST .../stop} answers like OCP, with the
 * task (RUNNING, every subtask PENDING: it waits for its approval) and the approval request's id in
 * the {@value #APPROVAL_HEADER} header. Translates only; the operations layer decides.
 */
@RestController
@RequestMapping("/api/v2/ob/clusters")
class ClusterController {

  /** The response header that carries the approval request of a stop. */
  public static final String APPROVAL_HEADER = "X-Obops-Approval-Request";

  private final ClusterOperations clusters;
  private final ApprovalOperations approvals;
  private final OcpResponses responses;

  public ClusterController(
      ClusterOperations clusters, ApprovalOperations approvals, OcpResponses responses) {
    this.clusters = clusters;
    this.approvals = approvals;
    this.responses = responses;
  }

  /**
   * The clusters the caller may view ({@code cluster.view}); others are left out, not refused.
   * OCP's filters: {@code name} (contains, any case), {@code status} (comma-separated), {@code
   * sort} ({@code name,asc}), {@code page}, {@code size}.
   */
  @GetMapping
  ResponseEntity<OcpResponse<Page<ClusterView>>> list(
      @RequestParam(required = false) String name,
      @RequestParam(required = false) String status,
      @RequestParam(required = false) String sort,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      HttpServletRequest request,
      Principal principal) {
    PageRequest p = PageRequest.parse(page, size);
    ClusterFilter filter = ClusterFilter.parse(name, status, sort);
    List<ClusterView> all =
        clusters.list(ApiActors.of(principal), filter).stream().map(ClusterView::of).toList();
    return responses.ok(request, Page.of(all, p));
  }

  /** OCP's zone list of a cluster, each zone with its observers. */
  @GetMapping("/{id}/zones")
  ResponseEntity<OcpResponse<Page<ObZoneView>>> zones(
      @PathVariable ClusterId id,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      HttpServletRequest request,
      Principal principal) {
    PageRequest p = PageRequest.parse(page, size);
    ObCluster c = clusters.view(ApiActors.of(principal), id);
    return responses.ok(
        request, Page.of(c.zones().stream().map(z -> ObZoneView.of(c, z)).toList(), p));
  }

  /** OCP's observer list of a cluster, zone by zone. */
  @GetMapping("/{id}/servers")
  ResponseEntity<OcpResponse<Page<ObServerView>>> servers(
      @PathVariable ClusterId id,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      HttpServletRequest request,
      Principal principal) {
    PageRequest p = PageRequest.parse(page, size);
    ObCluster c = clusters.view(ApiActors.of(principal), id);
    List<ObServerView> all =
        c.zones().stream()
            .flatMap(z -> c.serversIn(z.name()).stream())
            .map(ObServerView::of)
            .toList();
    return responses.ok(request, Page.of(all, p));
  }

  /**
   * OCP's observer list of one zone; a zone the cluster does not have is a 400 naming its zones.
   */
  @GetMapping("/{id}/zones/{zoneName}/servers")
  ResponseEntity<OcpResponse<Page<ObServerView>>> zoneServers(
      @PathVariable ClusterId id,
      @PathVariable String zoneName,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      HttpServletRequest request,
      Principal principal) {
    PageRequest p = PageRequest.parse(page, size);
    List<ObServerView> all =
        clusters.serversIn(ApiActors.of(principal), id, zoneName).stream()
            .map(ObServerView::of)
            .toList();
    return responses.ok(request, Page.of(all, p));
  }

  @GetMapping("/{id}")
  ResponseEntity<OcpResponse<ClusterView>> get(
      @PathVariable ClusterId id, HttpServletRequest request, Principal principal) {
    return responses.ok(request, ClusterView.of(clusters.view(ApiActors.of(principal), id)));
  }

  /**
   * OCP's stop ({@code {"reason": "..."}}): creates the approval request and the task, gated, in
   * one transaction; the task runs once the policy's approvals are in.
   */
  @PostMapping("/{id}/stop")
  ResponseEntity<OcpResponse<TaskView>> stop(
      @PathVariable ClusterId id,
      @RequestBody(required = false) JsonNode body,
      HttpServletRequest request,
      Principal principal) {
    return request(id, "cluster.stop", body, request, principal);
  }

  /**
   * OCP's start ({@code {"reason": "..."}}) of a STOPPED cluster: the same request, gate and answer
   * as {@link #stop}, under the {@code cluster.start} permission and policy.
   */
  @PostMapping("/{id}/start")
  ResponseEntity<OcpResponse<TaskView>> start(
      @PathVariable ClusterId id,
      @RequestBody(required = false) JsonNode body,
      HttpServletRequest request,
      Principal principal) {
    return request(id, "cluster.start", body, request, principal);
  }

  /** The task, gated, in OCP's shape; the approval request's id in {@value #APPROVAL_HEADER}. */
  private ResponseEntity<OcpResponse<TaskView>> request(
      ClusterId id, String action, JsonNode body, HttpServletRequest request, Principal principal) {
    Map<String, String> fields = ApiInput.fields(body, Set.of("reason"), Set.of());
    ApprovalOperations.Requested r =
        approvals.request(ApiActors.of(principal), id, action, fields.get("reason"));
    ResponseEntity<OcpResponse<TaskView>> ok =
        responses.ok(request, TaskView.of(r.task(), responses.zone()));
    return ResponseEntity.status(ok.getStatusCode())
        .header(APPROVAL_HEADER, String.valueOf(r.request().id()))
        .body(ok.getBody());
  }
}
