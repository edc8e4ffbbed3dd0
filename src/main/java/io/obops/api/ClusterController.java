package io.obops.api;

import io.obops.access.AccessControl;
import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.Permission;
import io.obops.cluster.ClusterInventory;
import io.obops.obcluster.ClusterOperationException;
import jakarta.servlet.http.HttpServletRequest;
import java.security.Principal;
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
  private final AccessControl access;

  public ClusterController(
      ClusterInventory inventory, OcpResponses responses, AccessControl access) {
    this.inventory = inventory;
    this.responses = responses;
    this.access = access;
  }

  /** The clusters the caller may view ({@code cluster.view}); others are left out, not refused. */
  @GetMapping
  ResponseEntity<OcpResponse<Page<ClusterView>>> list(
      HttpServletRequest request, Principal principal) {
    Actor actor = ApiActors.of(principal);
    return responses.ok(
        request,
        Page.of(
            inventory.all().stream()
                .filter(
                    c ->
                        access.has(
                            actor,
                            Permission.CLUSTER_VIEW,
                            new ClusterRef(c.id(), c.name(), c.tags())))
                .map(ClusterView::of)
                .toList()));
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
