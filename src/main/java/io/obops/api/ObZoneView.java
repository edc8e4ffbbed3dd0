package io.obops.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObZone;
import java.util.List;

/**
 * A zone as OCP's zone list shows it, with its observers ({@link ObServerView}); components in
 * alphabetical order, as the envelope's keys are.
 */
@JsonPropertyOrder(alphabetic = true)
record ObZoneView(
    long clusterId,
    String name,
    long obClusterId,
    int serverCount,
    List<ObServerView> servers,
    String status) {

  static ObZoneView of(ObCluster c, ObZone z) {
    List<ObServerView> servers = c.serversIn(z.name()).stream().map(ObServerView::of).toList();
    return new ObZoneView(
        c.id(), z.name(), c.obClusterId(), servers.size(), servers, z.status().name());
  }
}
