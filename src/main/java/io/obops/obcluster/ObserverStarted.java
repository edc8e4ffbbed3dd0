package io.obops.obcluster;

import io.obops.cluster.ObServer;
import io.obops.task.Milestone;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The milestone "Start observer process" records for its server (kind {@value #KIND}): which
 * observer, its pid, and how long after the launch it was alive and listening, or that it was
 * already running. Stored with the subtask, so whoever reports the task reads it from the database.
 */
public record ObserverStarted(
    long serverId,
    String ip,
    String zone,
    boolean alreadyRunning,
    long pid,
    long readyAfterMillis) {

  public static final String KIND = "observer-started";

  static ObserverStarted of(ObServer server, ObserverProcessControl.StartReport report) {
    return new ObserverStarted(
        server.id(),
        server.ip(),
        server.zoneName(),
        report.alreadyRunning(),
        report.pid(),
        report.readyAfterMillis());
  }

  /** The milestone's data: {@code server_id, ip, zone, already_running, pid, ready_after_ms}. */
  Map<String, String> data() {
    var data = new LinkedHashMap<String, String>();
    data.put("server_id", String.valueOf(serverId));
    data.put("ip", ip);
    data.put("zone", zone);
    data.put("already_running", String.valueOf(alreadyRunning));
    data.put("pid", String.valueOf(pid));
    data.put("ready_after_ms", String.valueOf(readyAfterMillis));
    return data;
  }

  /** Reads a milestone of kind {@value #KIND}; empty for any other kind. */
  public static Optional<ObserverStarted> from(Milestone m) {
    if (!KIND.equals(m.kind())) {
      return Optional.empty();
    }
    Map<String, String> d = m.data();
    return Optional.of(
        new ObserverStarted(
            Long.parseLong(d.get("server_id")),
            d.get("ip"),
            d.get("zone"),
            Boolean.parseBoolean(d.get("already_running")),
            Long.parseLong(d.get("pid")),
            Long.parseLong(d.get("ready_after_ms"))));
  }
}
