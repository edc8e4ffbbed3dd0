package io.obops.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObZone;
import java.util.List;

/** A zone as OCP's zone list shows it, with its observers ({@link ObServerView}). */
@JsonPropertyOrder(alphabetic = true)
public record ObZoneView(
    String name,
    String status,
    long clusterId,
    long obClusterId,
    int serverCount,
    List<ObServerView> servers) {

  static ObZoneView of(ObCluster c, ObZone z) {
    List<ObServerView> servers = c.serversIn(z.name()).stream().map(ObServerView::of).toList();
    return new ObZoneView(
        z.name(), z.status().name(), c.id(), c.obClusterId(), servers.size(), servers);
  }
}
