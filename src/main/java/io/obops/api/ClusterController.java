package io.obops.api;

import io.obops.cluster.ClusterInventory;
import io.obops.obcluster.ClusterOperationException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/** OCP's cluster reads: the inventory with its current statuses. */
@RestController
@RequestMapping("/api/v2/ob/clusters")
public class ClusterController {

  private final ClusterInventory inventory;
  private final OcpResponses responses;

  public ClusterController(ClusterInventory inventory, OcpResponses responses) {
    this.inventory = inventory;
    this.responses = responses;
  }

  @GetMapping
  ResponseEntity<OcpResponse<Page<ClusterView>>> list(HttpServletRequest request) {
    return responses.ok(request, Page.of(inventory.all().stream().map(ClusterView::of).toList()));
  }

  @GetMapping("/{id}")
  ResponseEntity<OcpResponse<ClusterView>> get(@PathVariable long id, HttpServletRequest request) {
    return responses.ok(
        request,
        inventory
            .find(id)
            .map(ClusterView::of)
            .orElseThrow(
                () ->
                    new ClusterOperationException(
                        ClusterOperationException.Reason.NOT_FOUND,
                        "cluster " + id + " does not exist; GET /api/v2/ob/clusters lists them",
                        null)));
  }
}
