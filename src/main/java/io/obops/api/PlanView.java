package io.obops.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.obops.cluster.PreflightPlan;
import io.obops.ocp.OcpTime;
import java.time.ZoneId;
import java.util.List;

/**
 * A request's pre-flight plan on the API: what a read-only inspection found on every server, with
 * the anomalies first. {@code planHash} is what an approval is given for ({@code POST
 * /api/v2/approvals/{id}/approve} with {@code {"planHash": "..."}}).
 */
@JsonPropertyOrder(alphabetic = true)
record PlanView(
    long anomalies,
    String inspectedAt,
    String planHash,
    long reachable,
    long running,
    List<ServerView> servers,
    String summary,
    long tookMillis,
    int version) {

  /** One server's finding; {@code uptimeSeconds} -1 when unknown. */
  @JsonPropertyOrder(alphabetic = true)
  public record ServerView(
      String access,
      String address,
      List<AnomalyView> anomalies,
      String observer,
      long pid,
      List<PreflightPlan.Port> ports,
      String problem,
      long serverId,
      long uptimeSeconds,
      String zone) {}

  @JsonPropertyOrder(alphabetic = true)
  public record AnomalyView(String detail, String kind) {}

  static PlanView of(PreflightPlan p, ZoneId zone) {
    if (p == null) {
      return null;
    }
    return new PlanView(
        p.warnings(),
        OcpTime.format(p.inspectedAt(), zone),
        p.hash(),
        p.reachable(),
        p.running(),
        p.anomaliesFirst().stream()
            .map(
                f ->
                    new ServerView(
                        f.access().name(),
                        f.address(),
                        f.anomalies().stream()
                            .map(a -> new AnomalyView(a.detail(), a.kind().name()))
                            .toList(),
                        f.observer().name(),
                        f.pid(),
                        f.ports(),
                        f.problem(),
                        f.serverId(),
                        f.uptimeSeconds(),
                        f.zone()))
            .toList(),
        p.summary(),
        p.tookMillis(),
        p.version());
  }
}
