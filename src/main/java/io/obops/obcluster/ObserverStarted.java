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
    long readyAfterMillis,
    int mysqlPort,
    int rpcPort) {

  public static final String KIND = "observer-started";

  static ObserverStarted of(ObServer server, ObserverProcessControl.StartReport report) {
    return new ObserverStarted(
        server.id(),
        server.ip(),
        server.zoneName(),
        report.alreadyRunning(),
        report.pid(),
        report.readyAfterMillis(),
        server.mysqlPort(),
        server.rpcPort());
  }

  /**
   * In words, for a log or a chat thread: "observer on 10.0.0.5 started: pid 1234, alive and
   * listening on 2881 and 2882 in 3.2 s", or "observer on 10.0.0.5 already running (pid 1234)".
   */
  public String describe() {
    if (alreadyRunning) {
      return "observer on " + ip + " already running (pid " + pid + ")";
    }
    return String.format(
        java.util.Locale.ROOT,
        "observer on %s started: pid %d, alive and listening on %d and %d in %.1f s",
        ip,
        pid,
        mysqlPort,
        rpcPort,
        readyAfterMillis / 1000.0);
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
    data.put("mysql_port", String.valueOf(mysqlPort));
    data.put("rpc_port", String.valueOf(rpcPort));
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
            Long.parseLong(d.get("ready_after_ms")),
            Integer.parseInt(d.getOrDefault("mysql_port", "0")),
            Integer.parseInt(d.getOrDefault("rpc_port", "0"))));
  }
}
