package io.obops.obcluster;

import io.obops.cluster.ObServer;
import io.obops.task.Milestone;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The milestone "Stop observer process" records for its server (kind {@value #KIND}): which
 * observer, and how it stopped: the pid signalled, the signal, and how long the process and its
 * ports took to go away, or that it was already stopped. Stored with the subtask, so whoever
 * reports the task reads it from the database.
 */
public record ObserverStopped(
    long serverId,
    String ip,
    String zone,
    boolean alreadyStopped,
    long pid,
    String signal,
    long releasedAfterMillis) {

  public static final String KIND = "observer-stopped";

  static ObserverStopped of(ObServer server, ObserverProcessControl.StopReport report) {
    return new ObserverStopped(
        server.id(),
        server.ip(),
        server.zoneName(),
        report.alreadyStopped(),
        report.pid(),
        report.signal(),
        report.releasedAfterMillis());
  }

  /**
   * In words, for a log or a chat thread: "observer on 10.0.0.5 stopped: pid 1234 killed (SIGTERM),
   * ports released in 0.1 s", or "observer on 10.0.0.5 already stopped".
   */
  public String describe() {
    if (alreadyStopped) {
      return "observer on " + ip + " already stopped";
    }
    return String.format(
        java.util.Locale.ROOT,
        "observer on %s stopped: pid %d killed (%s), ports released in %.1f s",
        ip,
        pid,
        signal,
        releasedAfterMillis / 1000.0);
  }

  /** The milestone's data: {@code server_id, ip, zone, already_stopped, pid, signal, …}. */
  Map<String, String> data() {
    var data = new LinkedHashMap<String, String>();
    data.put("server_id", String.valueOf(serverId));
    data.put("ip", ip);
    data.put("zone", zone);
    data.put("already_stopped", String.valueOf(alreadyStopped));
    data.put("pid", String.valueOf(pid));
    data.put("signal", signal == null ? "" : signal);
    data.put("released_after_ms", String.valueOf(releasedAfterMillis));
    return data;
  }

  /** Reads a milestone of kind {@value #KIND}; empty for any other kind. */
  public static Optional<ObserverStopped> from(Milestone m) {
    if (!KIND.equals(m.kind())) {
      return Optional.empty();
    }
    Map<String, String> d = m.data();
    String signal = d.getOrDefault("signal", "");
    return Optional.of(
        new ObserverStopped(
            Long.parseLong(d.get("server_id")),
            d.get("ip"),
            d.get("zone"),
            Boolean.parseBoolean(d.get("already_stopped")),
            Long.parseLong(d.get("pid")),
            signal.isEmpty() ? null : signal,
            Long.parseLong(d.get("released_after_ms"))));
  }
}
