package io.obops.cluster;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.OffsetDateTime;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The pre-flight plan of an action on a cluster: what a read-only inspection found on every server
 * it will act on, when, and how long that took. Approvers are shown it and approve it: {@link
 * #hash()} covers what was found (not when, nor uptimes), so a plan inspected again that found the
 * same is the same plan, and one that found something else is not.
 *
 * @param version 1 for the plan made with the request, one more per refresh
 * @param inspectedAt when the inspection started (the database's clock)
 * @param tookMillis how long the inspection of every server took
 * @param servers one finding per server, in the snapshot's order
 */
public record PreflightPlan(
    int version, OffsetDateTime inspectedAt, long tookMillis, List<Finding> servers) {

  /** How far the inspection got with a host. */
  public enum Access {
    REACHABLE,
    UNREACHABLE,
    HOST_KEY_REJECTED,
    LOGIN_REFUSED,
    NOT_INSPECTED
  }

  /** Whether the server's observer runs, by its pid file verified against the process. */
  public enum Observer {
    RUNNING,
    NOT_RUNNING,
    UNKNOWN
  }

  /** Something the approver should know before approving. */
  public enum AnomalyKind {
    UNREACHABLE,
    HOST_KEY_REJECTED,
    LOGIN_REFUSED,
    NOT_INSPECTED,
    STALE_PID_FILE,
    FOREIGN_PID_FILE,
    PORT_HELD_BY_OTHER,
    PORT_NOT_LISTENING
  }

  /** One anomaly, with the sentence that explains it. */
  public record Anomaly(AnomalyKind kind, String detail) {}

  /** A port of the server and whether something listens on it. */
  public record Port(int port, boolean held) {}

  /**
   * What was found on one server. {@code pid} is the observer's (0 when not running); {@code
   * uptimeSeconds} how long it has run (-1 when unknown); {@code problem} why the host could not be
   * inspected, else null.
   */
  public record Finding(
      long serverId,
      String zone,
      String address,
      Access access,
      String problem,
      Observer observer,
      long pid,
      long uptimeSeconds,
      List<Port> ports,
      List<Anomaly> anomalies) {

    public Finding {
      ports = List.copyOf(ports);
      anomalies = List.copyOf(anomalies);
    }

    public boolean anomalous() {
      return !anomalies.isEmpty();
    }
  }

  public PreflightPlan {
    servers = List.copyOf(servers);
  }

  public long reachable() {
    return servers.stream().filter(f -> f.access() == Access.REACHABLE).count();
  }

  public long running() {
    return servers.stream().filter(f -> f.observer() == Observer.RUNNING).count();
  }

  /** How many anomalies in all (a server may have several). */
  public long warnings() {
    return servers.stream().mapToLong(f -> f.anomalies().size()).sum();
  }

  /** "3/3 reachable · 3 observers running · 0 warnings". */
  public String summary() {
    long w = warnings();
    long r = running();
    return reachable()
        + "/"
        + servers.size()
        + " reachable · "
        + r
        + (r == 1 ? " observer" : " observers")
        + " running · "
        + w
        + (w == 1 ? " warning" : " warnings");
  }

  /** The servers with anomalies first (in snapshot order), then the others. */
  public List<Finding> anomaliesFirst() {
    return servers.stream()
        .sorted(Comparator.comparing((Finding f) -> !f.anomalous()))
        .collect(Collectors.toList());
  }

  /**
   * SHA-256 of what was found, server by server: access, observer, pid, ports and anomaly kinds.
   * Not the time, the duration, uptimes or wording, so re-inspecting an unchanged cluster gives the
   * same hash.
   */
  public String hash() {
    StringBuilder sb = new StringBuilder("preflight-v1\n");
    for (Finding f : servers) {
      sb.append(f.serverId())
          .append('|')
          .append(f.access())
          .append('|')
          .append(f.observer())
          .append('|')
          .append(f.pid())
          .append('|');
      f.ports().forEach(p -> sb.append(p.port()).append(p.held() ? "+" : "-").append(','));
      sb.append('|');
      f.anomalies().forEach(a -> sb.append(a.kind()).append(','));
      sb.append('\n');
    }
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The first 12 hex digits of {@link #hash()}: what a card shows and its Approve button names. */
  public String shortHash() {
    return hash().substring(0, 12);
  }

  /**
   * Whether {@code shown} (a full hash or a prefix of at least 12 digits, as a card carries it)
   * names this plan.
   */
  public boolean isNamedBy(String shown) {
    return shown != null && shown.length() >= 12 && hash().startsWith(shown);
  }
}
