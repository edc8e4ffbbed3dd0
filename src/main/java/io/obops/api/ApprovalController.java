package io.obops.api;

import io.obops.approval.ApprovalRequest;
import io.obops.core.ClusterId;
import io.obops.core.PageRequest;
import io.obops.core.RequestId;
import io.obops.ocp.OcpResponse;
import io.obops.operations.ApprovalOperations;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Map;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * The two-person rule on the API: {@code POST /api/v2/approvals} asks for an action and answers 202
 * with the request (OCP clients use {@code POST /api/v2/ob/clusters/{id}/stop}, which answers with
 * the task); approvers list, read and decide requests under {@code /api/v2/approvals}. Translates
 * only; the operations layer decides.
 */
@RestController
class ApprovalController {

  private final ApprovalOperations approvals;
  private final OcpResponses responses;

  public ApprovalController(ApprovalOperations approvals, OcpResponses responses) {
    this.approvals = approvals;
    this.responses = responses;
  }

  /** {@code {"action": "cluster.stop", "clusterId": 1, "reason": "..."}}: 202 with the request. */
  @PostMapping("/api/v2/approvals")
  ResponseEntity<OcpResponse<ApprovalView>> request(
      @RequestBody(required = false) JsonNode body,
      HttpServletRequest request,
      Principal principal) {
    Map<String, String> f =
        ApiInput.fields(body, Set.of("action", "clusterId", "reason"), Set.of("clusterId"));
    ClusterId cluster = ClusterId.parse("clusterId", f.get("clusterId"));
    String action = f.get("action") == null ? "cluster.stop" : f.get("action");
    var r = approvals.request(ApiActors.of(principal), cluster, action, f.get("reason"));
    ResponseEntity<OcpResponse<ApprovalView>> accepted =
        responses.status(request, HttpStatus.ACCEPTED, view(r.request()));
    return ResponseEntity.status(accepted.getStatusCode())
        .header(ClusterController.APPROVAL_HEADER, String.valueOf(r.request().id()))
        .body(accepted.getBody());
  }

  @GetMapping("/api/v2/approvals/{id}")
  ResponseEntity<OcpResponse<ApprovalView>> get(
      @PathVariable RequestId id, HttpServletRequest request, Principal principal) {
    return responses.ok(request, view(approvals.view(ApiActors.of(principal), id)));
  }

  /** Requests on clusters the caller may view, newest first; {@code state} filters. */
  @GetMapping("/api/v2/approvals")
  ResponseEntity<OcpResponse<Page<ApprovalView>>> list(
      @RequestParam(required = false) String state,
      @RequestParam(required = false) String page,
      @RequestParam(required = false) String size,
      HttpServletRequest request,
      Principal principal) {
    PageRequest p = PageRequest.parse(page, size);
    ApprovalOperations.Listed listed = approvals.list(ApiActors.of(principal), state, p);
    return responses.ok(
        request, Page.of(listed.contents().stream().map(this::view).toList(), listed.total(), p));
  }

  /**
   * {@code {"planHash": "..."}} (optional): the pre-flight plan the approver read; refused when it
   * is no longer the plan in force. Without it the plan in force is approved, if recent enough.
   */
  @PostMapping("/api/v2/approvals/{id}/approve")
  ResponseEntity<OcpResponse<ApprovalView>> approve(
      @PathVariable RequestId id,
      @RequestBody(required = false) JsonNode body,
      HttpServletRequest request,
      Principal principal) {
    Map<String, String> f = ApiInput.fields(body, Set.of("planHash"), Set.of());
    return responses.ok(
        request, view(approvals.approve(ApiActors.of(principal), id, f.get("planHash"))));
  }

  /** Inspects the request's servers again; answers with the request and its new plan. */
  @PostMapping("/api/v2/approvals/{id}/refresh")
  ResponseEntity<OcpResponse<ApprovalView>> refresh(
      @PathVariable RequestId id, HttpServletRequest request, Principal principal) {
    return responses.ok(request, view(approvals.refreshPlan(ApiActors.of(principal), id)));
  }

  /** {@code {"comment": "..."}} (optional): final. */
  @PostMapping("/api/v2/approvals/{id}/reject")
  ResponseEntity<OcpResponse<ApprovalView>> reject(
      @PathVariable RequestId id,
      @RequestBody(required = false) JsonNode body,
      HttpServletRequest request,
      Principal principal) {
    Map<String, String> f = ApiInput.fields(body, Set.of("comment"), Set.of());
    return responses.ok(
        request, view(approvals.reject(ApiActors.of(principal), id, f.get("comment"))));
  }

  @PostMapping("/api/v2/approvals/{id}/cancel")
  ResponseEntity<OcpResponse<ApprovalView>> cancel(
      @PathVariable RequestId id, HttpServletRequest request, Principal principal) {
    return responses.ok(request, view(approvals.cancel(ApiActors.of(principal), id)));
  }

  private ApprovalView view(ApprovalRequest r) {
    return ApprovalView.of(r, responses.zone());
  }
}
