package io.obops.api;

import io.obops.approval.ApprovalService;
import io.obops.approval.ApprovalState;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The stop API behind the two-person rule: {@code POST /api/v2/ob/clusters/{id}/stop} asks for a
 * stop and answers 202 with the approval request; approvers decide it under {@code
 * /api/v2/approvals}. Delegates to {@link ApprovalService}; refusals become OCP errors through
 * {@link ApprovalErrors}.
 */
@RestController
public class ApprovalController {

  /** Body of a stop request. */
  public record StopBody(String reason) {}

  /** Body of a rejection. */
  public record RejectBody(String comment) {}

  private final ApprovalService approvals;
  private final OcpResponses responses;

  public ApprovalController(ApprovalService approvals, OcpResponses responses) {
    this.approvals = approvals;
    this.responses = responses;
  }

  @PostMapping("/api/v2/ob/clusters/{id}/stop")
  ResponseEntity<OcpResponse<ApprovalView>> stop(
      @PathVariable long id,
      @RequestBody(required = false) StopBody body,
      HttpServletRequest request,
      Principal principal) {
    var created =
        approvals.request(ApiActors.of(principal), id, body == null ? null : body.reason());
    return responses.status(request, HttpStatus.ACCEPTED, view(created));
  }

  @GetMapping("/api/v2/approvals/{id}")
  ResponseEntity<OcpResponse<ApprovalView>> get(
      @PathVariable long id, HttpServletRequest request, Principal principal) {
    return responses.ok(request, view(approvals.find(ApiActors.of(principal), id)));
  }

  @GetMapping("/api/v2/approvals")
  ResponseEntity<OcpResponse<Page<ApprovalView>>> list(
      @RequestParam(required = false) String state,
      @RequestParam(defaultValue = "1") int page,
      @RequestParam(defaultValue = "20") int size,
      HttpServletRequest request,
      Principal principal) {
    ApprovalState wanted = state(state);
    int p = Math.max(page, 1);
    int s = Math.min(Math.max(size, 1), 500);
    List<ApprovalView> all =
        approvals.list(ApiActors.of(principal), wanted, 1000).stream().map(this::view).toList();
    int from = Math.min((p - 1) * s, all.size());
    List<ApprovalView> contents = all.subList(from, Math.min(from + s, all.size()));
    return responses.ok(
        request, new Page<>(contents, new Page.Info(all.size(), (all.size() + s - 1) / s, p, s)));
  }

  @PostMapping("/api/v2/approvals/{id}/approve")
  ResponseEntity<OcpResponse<ApprovalView>> approve(
      @PathVariable long id, HttpServletRequest request, Principal principal) {
    return responses.ok(request, view(approvals.approve(ApiActors.of(principal), id)));
  }

  @PostMapping("/api/v2/approvals/{id}/reject")
  ResponseEntity<OcpResponse<ApprovalView>> reject(
      @PathVariable long id,
      @RequestBody(required = false) RejectBody body,
      HttpServletRequest request,
      Principal principal) {
    return responses.ok(
        request,
        view(approvals.reject(ApiActors.of(principal), id, body == null ? null : body.comment())));
  }

  @PostMapping("/api/v2/approvals/{id}/cancel")
  ResponseEntity<OcpResponse<ApprovalView>> cancel(
      @PathVariable long id, HttpServletRequest request, Principal principal) {
    return responses.ok(request, view(approvals.cancel(ApiActors.of(principal), id)));
  }

  private ApprovalView view(io.obops.approval.ApprovalRequest r) {
    return ApprovalView.of(r, responses.zone());
  }

  private static ApprovalState state(String state) {
    if (state == null || state.isBlank()) {
      return null;
    }
    try {
      return ApprovalState.valueOf(state.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new ApiException(
          HttpStatus.BAD_REQUEST,
          "unknown state '" + state + "'; use one of " + Arrays.toString(ApprovalState.values()));
    }
  }
}
