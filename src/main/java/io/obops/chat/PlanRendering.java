package io.obops.chat;

import io.obops.cluster.PreflightPlan;
import io.obops.cluster.PreflightPlan.Finding;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The pre-flight plan on an approval card: a summary field ("3/3 reachable · 3 observers running ·
 * 0 warnings"), the servers with anomalies first and highlighted, then the others. Each field stays
 * within Discord's 1024 characters and the plan's fields within about 2,500 of the 6,000 a message
 * may carry, whatever the cluster's size: when the servers do not fit, the card shows counts and
 * the anomalies, and the full plan goes to the request's thread as a file ({@link #file}). Pure
 * functions of their inputs.
 */
final class PlanRendering {

  /** Discord's limit for one field's value. */
  static final int FIELD_MAX = 1024;

  private PlanRendering() {}

  /** The file the full plan is posted as in the request's thread. */
  static String fileName(long requestId, PreflightPlan plan) {
    return "preflight-" + requestId + "-v" + plan.version() + ".txt";
  }

  /** The card's plan fields; {@code time} formats a timestamp the card's way. */
  static List<ChatMessage.Field> fields(
      long requestId, PreflightPlan plan, Function<java.time.OffsetDateTime, String> time) {
    List<ChatMessage.Field> fields = new ArrayList<>();
    fields.add(
        new ChatMessage.Field(
            "Pre-flight plan v" + plan.version() + " · " + plan.shortHash(),
            (plan.warnings() > 0 ? "⚠ " : "")
                + plan.summary()
                + "\ninspected "
                + time.apply(plan.inspectedAt())
                + String.format(Locale.ROOT, " in %.1f s", plan.tookMillis() / 1000.0)
                + "; Approve approves this plan, Refresh inspects again"
                + kinds(plan),
            false));
    List<Finding> odd = plan.servers().stream().filter(Finding::anomalous).toList();
    List<Finding> fine = plan.servers().stream().filter(f -> !f.anomalous()).toList();
    boolean cut = false;
    if (!odd.isEmpty()) {
      Lines l = lines(odd, true, FIELD_MAX);
      cut |= l.left() > 0;
      fields.add(
          new ChatMessage.Field(
              "⚠ Anomalies on " + odd.size() + " of " + plan.servers().size() + " servers",
              l.text()
                  + (l.left() > 0
                      ? "\n… and " + l.left() + " more: see " + fileName(requestId, plan)
                      : ""),
              false));
    }
    if (!fine.isEmpty()) {
      Lines l = lines(fine, false, FIELD_MAX);
      String value;
      if (l.left() == 0) {
        value = l.text();
      } else {
        cut = true;
        value =
            counts(fine)
                + "\nevery server: "
                + fileName(requestId, plan)
                + " in this request's thread";
      }
      fields.add(
          new ChatMessage.Field(
              (odd.isEmpty() ? "Servers (" : "Other servers (") + fine.size() + ")", value, false));
    }
    if (cut) {
      fields.set(
          0,
          new ChatMessage.Field(
              fields.get(0).name(),
              fields.get(0).value() + "\nfull plan: " + fileName(requestId, plan) + " (thread)",
              false));
    }
    return fields;
  }

  /** Whether the card cannot show every server, so the full plan must be posted as a file. */
  static boolean needsFile(long requestId, PreflightPlan plan) {
    return fields(requestId, plan, t -> "").get(0).value().contains("full plan: ");
  }

  /** The full plan as text: every server, anomalies first. */
  static byte[] file(
      long requestId, PreflightPlan plan, Function<java.time.OffsetDateTime, String> time) {
    StringBuilder sb = new StringBuilder();
    sb.append("Pre-flight plan v")
        .append(plan.version())
        .append(" of request #")
        .append(requestId)
        .append(" — ")
        .append(plan.summary())
        .append('\n')
        .append("inspected ")
        .append(time.apply(plan.inspectedAt()))
        .append(", took ")
        .append(plan.tookMillis())
        .append(" ms; plan hash ")
        .append(plan.hash())
        .append("\n\n");
    for (Finding f : plan.anomaliesFirst()) {
      sb.append(line(f, true)).append('\n');
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  /** "zone1 127.0.0.1:2882 — running, pid 4242, up 3 min, ports 2881, 2882 held". */
  static String line(Finding f, boolean anomalies) {
    StringBuilder sb = new StringBuilder();
    sb.append(f.anomalous() ? "⚠ " : "").append(f.zone()).append(' ').append(f.address());
    sb.append(" — ");
    switch (f.access()) {
      case REACHABLE -> {
        switch (f.observer()) {
          case RUNNING -> {
            sb.append("running, pid ").append(f.pid());
            if (f.uptimeSeconds() >= 0) {
              sb.append(", up ").append(uptime(f.uptimeSeconds()));
            }
          }
          case NOT_RUNNING -> sb.append("not running");
          default -> sb.append("observer state unknown");
        }
        sb.append(ports(f));
      }
      case UNREACHABLE -> sb.append("unreachable over SSH");
      case HOST_KEY_REJECTED -> sb.append("host key not the expected one: nothing was run");
      case LOGIN_REFUSED -> sb.append("refused our SSH key");
      default -> sb.append("not inspected");
    }
    if (anomalies && f.anomalous()) {
      sb.append(": ")
          .append(
              f.anomalies().stream()
                  .map(PreflightPlan.Anomaly::detail)
                  .collect(Collectors.joining("; ")));
    }
    return sb.toString();
  }

  private static String ports(Finding f) {
    if (f.ports().isEmpty()) {
      return "";
    }
    List<String> held = new ArrayList<>();
    List<String> free = new ArrayList<>();
    f.ports().forEach(p -> (p.held() ? held : free).add(String.valueOf(p.port())));
    return (held.isEmpty() ? "" : ", port " + String.join("/", held) + " held")
        + (free.isEmpty() ? "" : ", port " + String.join("/", free) + " free");
  }

  static String uptime(long seconds) {
    if (seconds < 60) {
      return seconds + " s";
    }
    if (seconds < 3600) {
      return seconds / 60 + " min";
    }
    if (seconds < 86400) {
      return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
    }
    return seconds / 86400 + " d " + seconds % 86400 / 3600 + " h";
  }

  /** "\nanomalies: 20 unreachable · 3 stale pid file", by kind, most frequent first; "" if none. */
  private static String kinds(PreflightPlan plan) {
    Map<PreflightPlan.AnomalyKind, Long> byKind =
        plan.servers().stream()
            .flatMap(f -> f.anomalies().stream())
            .collect(
                Collectors.groupingBy(
                    PreflightPlan.Anomaly::kind,
                    () -> new EnumMap<>(PreflightPlan.AnomalyKind.class),
                    Collectors.counting()));
    if (byKind.isEmpty()) {
      return "";
    }
    return "\nanomalies: "
        + byKind.entrySet().stream()
            .sorted(Map.Entry.<PreflightPlan.AnomalyKind, Long>comparingByValue().reversed())
            .map(e -> e.getValue() + " " + words(e.getKey()))
            .collect(Collectors.joining(" · "));
  }

  static String words(PreflightPlan.AnomalyKind kind) {
    return switch (kind) {
      case UNREACHABLE -> "unreachable";
      case HOST_KEY_REJECTED -> "unexpected host key";
      case LOGIN_REFUSED -> "SSH login refused";
      case NOT_INSPECTED -> "not inspected";
      case STALE_PID_FILE -> "stale pid file";
      case FOREIGN_PID_FILE -> "foreign pid file";
      case PORT_HELD_BY_OTHER -> "port held by another process";
      case PORT_NOT_LISTENING -> "observer not listening";
    };
  }

  private static String counts(List<Finding> fine) {
    long running =
        fine.stream().filter(f -> f.observer() == PreflightPlan.Observer.RUNNING).count();
    long stopped = fine.size() - running;
    return running
        + " running as expected (pid file verified, ports held)"
        + (stopped == 0 ? "" : " · " + stopped + " not running (no pid file, ports free)");
  }

  private record Lines(String text, int left) {}

  /** As many whole lines as fit in {@code max} characters, leaving room for the "… more" line. */
  private static Lines lines(List<Finding> servers, boolean anomalies, int max) {
    StringBuilder sb = new StringBuilder();
    int reserve = 80;
    int shown = 0;
    for (Finding f : servers) {
      String line = line(f, anomalies);
      if (line.length() > 300) {
        line = line.substring(0, 299) + "…";
      }
      int room = max - (shown + 1 < servers.size() ? reserve : 0);
      if (sb.length() + (sb.length() == 0 ? 0 : 1) + line.length() > room) {
        break;
      }
      if (sb.length() > 0) {
        sb.append('\n');
      }
      sb.append(line);
      shown++;
    }
    return new Lines(sb.toString(), servers.size() - shown);
  }
}
