package io.obops.chat;

import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalState;
import io.obops.cluster.ClusterSnapshot;
import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Turns requests and tasks into chat messages: the approval card through its lifecycle, the
 * progress board, thread posts. Pure functions of a snapshot (the request, the task as read once,
 * names, the time); nothing here reads a store or calls a platform.
 *
 * <p>Why one file: the card, the board and the thread lines share the wording helpers (times,
 * relative times, fields, fitting a platform's length limit); {@code TaskProgress}, {@code
 * PlanRendering} and {@code TaskGraphImage} already carry the parts that stand alone.
 */
final class Rendering {

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss xxx", Locale.ROOT);

  private final ZoneId zone;

  Rendering(ZoneId zone) {
    this.zone = zone;
  }

  String time(OffsetDateTime t) {
    return t == null ? "-" : TIME.format(t.atZoneSameInstant(zone));
  }

  /** An absolute time with how far it is from {@code now}: "… +08:00 (in 14 min)". */
  String time(OffsetDateTime t, OffsetDateTime now) {
    return t == null ? "-" : time(t) + " (" + relative(Duration.between(now, t)) + ")";
  }

  /** "in 14 min", "3 min ago", "in 40 s", "in 2 h 5 min", "now". */
  static String relative(Duration d) {
    long s = Math.abs(d.toSeconds());
    String amount;
    if (s < 1) {
      return "now";
    } else if (s < 60) {
      amount = s + " s";
    } else if (s < 3600) {
      amount = (s + 30) / 60 + " min";
    } else {
      long minutes = (s + 30) / 60;
      amount = minutes / 60 + " h" + (minutes % 60 == 0 ? "" : " " + minutes % 60 + " min");
    }
    return d.isNegative() ? amount + " ago" : "in " + amount;
  }

  // ---------------------------------------------------------------- approval card

  private static ChatMessage.Field field(String name, String value, boolean inline) {
    return new ChatMessage.Field(name, value, inline);
  }

  /**
   * What the card shows, read from one snapshot: the request, its task (null before it exists or
   * when unknown), the requester's and approvers' mentions as the platform writes them, and extra
   * sections another part adds below the reason (a pre-flight plan).
   */
  record CardView(
      ApprovalRequest request,
      TaskInstance task,
      Map<Long, String> serverNames,
      String requesterMention,
      List<String> approverMentions,
      String notifyMention,
      List<ChatMessage.Field> sections,
      OffsetDateTime now) {
    CardView {
      serverNames = serverNames == null ? Map.of() : serverNames;
      approverMentions = approverMentions == null ? List.of() : List.copyOf(approverMentions);
      sections = sections == null ? List.of() : List.copyOf(sections);
    }
  }

  /**
   * The card for the request's state and its task's progress: PENDING (who can approve, when it
   * expires, the buttons), APPROVED, RUNNING k/n; once finished (STOPPED ✓, FAILED with the failing
   * servers, REJECTED, EXPIRED, CANCELLED) one line, the thread holding the rest.
   */
  ChatMessage card(CardView v) {
    ApprovalRequest r = v.request();
    String verb = r.verb();
    String cluster = r.cluster().name();
    switch (r.state()) {
      case PENDING:
        return pendingCard(v);
      case APPROVED:
        break;
      case REJECTED:
        return line(
            ChatMessage.Colour.FAILURE,
            "✗ "
                + capital(verb)
                + " "
                + cluster
                + " rejected by "
                + decider(r, false)
                + comment(r)
                + " — request #"
                + r.id());
      case EXPIRED:
        return line(
            ChatMessage.Colour.NEUTRAL,
            "⌛ " + capital(verb) + " " + cluster + " expired unapproved — request #" + r.id());
      case CANCELLED:
        return line(
            ChatMessage.Colour.NEUTRAL,
            "⊘ "
                + capital(verb)
                + " "
                + cluster
                + " cancelled"
                + (r.closeDetail() == null ? "" : " (" + r.closeDetail() + ")")
                + " — request #"
                + r.id());
      default:
        return line(ChatMessage.Colour.NEUTRAL, r.state() + " — request #" + r.id());
    }
    TaskInstance t = v.task();
    String approved = "approved by " + decider(r, true);
    if (t == null || t.startTime() == null) {
      return new ChatMessage(
          "",
          new ChatMessage.Card(
              capital(verb) + " " + cluster + " — request #" + r.id(),
              ChatMessage.Colour.PENDING,
              List.of(field("Reason", orDash(r.reason()), false)),
              "APPROVED · " + approved + " · task " + r.taskId() + " starting"),
          List.of());
    }
    TaskProgress p = TaskProgress.of(t, v.serverNames(), Map.of(), v.now());
    String progress = p.headline();
    if (!t.finished()) {
      return new ChatMessage(
          "",
          new ChatMessage.Card(
              capital(ing(verb))
                  + " "
                  + cluster
                  + " — RUNNING "
                  + p.count(TaskProgress.State.DONE)
                  + "/"
                  + p.servers().size()
                  + " — request #"
                  + r.id(),
              ChatMessage.Colour.PENDING,
              List.of(field("Reason", orDash(r.reason()), false)),
              "RUNNING · "
                  + progress
                  + " · "
                  + approved
                  + " · task "
                  + t.id()
                  + " · progress in the thread"),
          List.of());
    }
    if (p.failed()) {
      List<String> failing =
          p.servers().stream()
              .filter(s -> s.state() == TaskProgress.State.FAILED)
              .map(TaskProgress.Server::address)
              .toList();
      String who =
          failing.isEmpty()
              ? ""
              : ": "
                  + String.join(", ", failing.subList(0, Math.min(3, failing.size())))
                  + (failing.size() > 3 ? " and " + (failing.size() - 3) + " more" : "");
      return line(
          ChatMessage.Colour.FAILURE,
          "✗ "
              + capital(verb)
              + " "
              + cluster
              + " FAILED — "
              + progress
              + who
              + " — request #"
              + r.id()
              + ", task "
              + t.id());
    }
    return line(
        ChatMessage.Colour.SUCCESS,
        "✓ "
            + cluster
            + " "
            + p.verb().toUpperCase(Locale.ROOT)
            + " — "
            + progress
            + " — request #"
            + r.id()
            + " by "
            + v.requesterMention()
            + ", "
            + approved);
  }

  private ChatMessage pendingCard(CardView v) {
    ApprovalRequest r = v.request();
    ClusterSnapshot snap = r.snapshot();
    List<ChatMessage.Field> fields = new ArrayList<>();
    fields.add(field("Requested by", v.requesterMention(), true));
    fields.add(field("Approvals", r.approvals() + " of " + r.approvalsRequired(), true));
    fields.add(field("Who can approve", approvers(v.approverMentions()), true));
    fields.add(field("Reason", orDash(r.reason()), false));
    if (r.plan() != null) {
      // the pre-flight plan stands for the servers: what was found on each, anomalies first
      fields.addAll(PlanRendering.fields(r.id(), r.plan(), this::time));
    } else {
      fields.add(
          field(
              (r.verb().equals("start") ? "Servers to start (" : "Servers to stop (")
                  + snap.servers().size()
                  + ")",
              servers(snap),
              false));
    }
    fields.addAll(v.sections());
    String footer =
        "PENDING · expires "
            + relative(Duration.between(v.now(), r.expireTime()))
            + " ("
            + time(r.expireTime())
            + ")"
            + (r.taskId() == null ? "" : " · task " + r.taskId() + " runs once approved");
    List<Button> buttons =
        new ArrayList<>(
            List.of(
                new Button(
                    ComponentId.approve(r.id(), r.plan() == null ? null : r.plan().shortHash())
                        .encode(),
                    "Approve",
                    Button.Style.SUCCESS,
                    false),
                new Button(
                    ComponentId.reject(r.id()).encode(), "Reject", Button.Style.DANGER, false),
                new Button(
                    ComponentId.cancel(r.id()).encode(),
                    "Cancel (requester)",
                    Button.Style.SECONDARY,
                    false)));
    if (r.plan() != null) {
      buttons.add(
          new Button(
              ComponentId.refresh(r.id()).encode(), "Refresh plan", Button.Style.PRIMARY, false));
    }
    String title = capital(r.verb()) + " cluster " + r.cluster().name() + "? — request #" + r.id();
    return new ChatMessage(
        v.notifyMention() == null || v.notifyMention().isBlank()
            ? ""
            : v.notifyMention() + " approval needed",
        new ChatMessage.Card(title, ChatMessage.Colour.PENDING, fields, footer),
        buttons);
  }

  /** Every server by zone when few; per zone a count and the first and last address when many. */
  static String servers(ClusterSnapshot snap) {
    Map<String, List<String>> byZone = new LinkedHashMap<>();
    snap.zones().forEach(z -> byZone.put(z, new ArrayList<>()));
    snap.servers()
        .forEach(s -> byZone.computeIfAbsent(s.zone(), z -> new ArrayList<>()).add(s.address()));
    boolean few = snap.servers().size() <= 12;
    StringBuilder out = new StringBuilder();
    byZone.forEach(
        (zone, list) -> {
          if (list.isEmpty()) {
            return;
          }
          out.append(out.length() == 0 ? "" : "\n").append(zone).append(": ");
          if (few) {
            out.append(String.join(", ", list));
          } else {
            out.append(list.size())
                .append(" servers (")
                .append(list.get(0))
                .append(list.size() > 1 ? " … " + list.get(list.size() - 1) : "")
                .append(')');
          }
        });
    return fit(out.length() == 0 ? "-" : out.toString(), 1024);
  }

  private static String approvers(List<String> mentions) {
    if (mentions.isEmpty()) {
      return "nobody yet: ask an obops administrator";
    }
    int shown = Math.min(5, mentions.size());
    return String.join(", ", mentions.subList(0, shown))
        + (mentions.size() > shown ? " and " + (mentions.size() - shown) + " more" : "");
  }

  private static ChatMessage line(ChatMessage.Colour colour, String title) {
    return new ChatMessage(
        "", new ChatMessage.Card(fit(title, 256), colour, List.of(), null), List.of());
  }

  private static String capital(String s) {
    return s.isEmpty() ? s : Character.toUpperCase(s.charAt(0)) + s.substring(1);
  }

  private static String ing(String verb) {
    return verb.equals("stop")
        ? "stopping"
        : verb.endsWith("e") ? verb.substring(0, verb.length() - 1) + "ing" : verb + "ing";
  }

  private static String orDash(String s) {
    return s == null || s.isBlank() ? "-" : s;
  }

  /** Who decided: the approvers or the rejecter, principals joined. */
  private static String decider(ApprovalRequest r, boolean approve) {
    String by =
        r.decisions().stream()
            .filter(
                d ->
                    d.verdict()
                        == (approve
                            ? ApprovalRequest.Verdict.APPROVE
                            : ApprovalRequest.Verdict.REJECT))
            .map(ApprovalRequest.Decision::principal)
            .collect(Collectors.joining(", "));
    return by.isEmpty() ? "REST or policy" : by;
  }

  private static String comment(ApprovalRequest r) {
    return r.decisions().stream()
        .filter(d -> d.verdict() == ApprovalRequest.Verdict.REJECT)
        .map(ApprovalRequest.Decision::comment)
        .filter(c -> c != null && !c.isBlank())
        .findFirst()
        .map(c -> ": " + c)
        .orElse("");
  }

  /** "Approved by web:bob at …", "Rejected by …: comment", "Expired at …", "Cancelled …". */
  String decision(ApprovalRequest r) {
    String by =
        r.decisions().stream()
            .filter(
                d ->
                    d.verdict()
                        == (r.state() == ApprovalState.REJECTED
                            ? ApprovalRequest.Verdict.REJECT
                            : ApprovalRequest.Verdict.APPROVE))
            .map(d -> d.principal() + " at " + time(d.time()))
            .collect(Collectors.joining(", "));
    switch (r.state()) {
      case APPROVED:
        return (by.isEmpty()
                ? "Approved as requested: its policy needs no approval"
                : "Approved by " + by)
            + (r.taskId() == null ? "" : " — task " + r.taskId());
      case REJECTED:
        return "Rejected by " + by + comment(r);
      case EXPIRED:
        return "Expired at " + time(r.finishTime()) + " without enough approvals";
      case CANCELLED:
        return "Cancelled at "
            + time(r.finishTime())
            + (r.closeDetail() == null ? "" : " (" + r.closeDetail() + ")");
      default:
        return r.state().name();
    }
  }

  // ---------------------------------------------------------------- progress board

  /** Servers listed one by one up to this many; above it, per zone counts and the anomalies. */
  static final int LIST_SERVERS_UP_TO = 30;

  /**
   * The board: the headline ("2/3 observers stopped · 1 failed · 0:04"), the servers with their
   * state (or, for large clusters, per zone counts and the servers needing attention), then the
   * phases with Wait nodes left out. At most {@code limit} characters, code fences always closed.
   */
  ChatMessage board(
      TaskInstance t,
      Map<Long, String> serverNames,
      Map<Long, String> serverZones,
      OffsetDateTime now,
      int limit) {
    TaskProgress p = TaskProgress.of(t, serverNames, serverZones, now);
    String head =
        "**"
            + t.name()
            + (t.target() == null ? "" : " " + t.target().name())
            + "** · task "
            + t.id()
            + " · "
            + t.status()
            + "\n**"
            + p.headline()
            + "**\n";
    String phases = phases(p);
    int room = Math.max(200, limit - head.length() - phases.length() - 2);
    String servers = p.servers().size() <= LIST_SERVERS_UP_TO ? serverList(p, room) : null;
    if (servers == null || servers.length() > room) {
      servers = zoneSummary(p, t, room);
    }
    String text = head + servers + phases;
    ChatMessage.Colour colour =
        t.status() == TaskStatus.SUCCESSFUL
            ? ChatMessage.Colour.SUCCESS
            : t.status() == TaskStatus.FAILED
                ? ChatMessage.Colour.FAILURE
                : ChatMessage.Colour.PENDING;
    return new ChatMessage(
        text,
        new ChatMessage.Card(
            "Progress of task " + t.id(),
            colour,
            List.of(),
            "updated " + time(now) + (t.finished() ? "" : " (live)")),
        List.of());
  }

  private static String serverList(TaskProgress p, int room) {
    StringBuilder b = new StringBuilder("```\n");
    for (TaskProgress.Server s : p.servers()) {
      b.append(serverLine(p, s)).append('\n');
    }
    return b.append("```\n").toString();
  }

  private static String serverLine(TaskProgress p, TaskProgress.Server s) {
    String state;
    switch (s.state()) {
      case DONE:
        state = p.verb() + (meaningful(s.took()) ? " in " + seconds(s.took()) : "");
        break;
      case FAILED:
        state = "FAILED at " + s.step();
        break;
      case RUNNING:
        state = s.step() + " …" + (meaningful(s.took()) ? " " + seconds(s.took()) : "");
        break;
      default:
        state = "waiting";
    }
    return mark(s.state()) + " " + pad(s.zone(), 8) + " " + pad(s.address(), 21) + " " + state;
  }

  /** A duration worth showing: one that would not print as 0.0s. */
  private static boolean meaningful(Duration d) {
    return d != null && d.toMillis() >= 50;
  }

  private static String mark(TaskProgress.State s) {
    switch (s) {
      case DONE:
        return "✓";
      case FAILED:
        return "✗";
      case RUNNING:
        return "…";
      default:
        return "·";
    }
  }

  /** Per zone counts, then failed servers (and, once finished, unfinished ones) up to the room. */
  private static String zoneSummary(TaskProgress p, TaskInstance t, int room) {
    Map<String, long[]> zones = new LinkedHashMap<>();
    for (TaskProgress.Server s : p.servers()) {
      long[] c = zones.computeIfAbsent(s.zone(), z -> new long[4]);
      c[s.state().ordinal()]++;
    }
    StringBuilder b = new StringBuilder("```\n");
    zones.forEach(
        (zone, c) -> {
          long n = c[0] + c[1] + c[2] + c[3];
          b.append(pad(zone, 8))
              .append(' ')
              .append(c[0])
              .append('/')
              .append(n)
              .append(' ')
              .append(p.verb());
          if (c[1] > 0) {
            b.append(" · ").append(c[1]).append(" failed");
          }
          if (c[2] > 0) {
            b.append(" · ").append(c[2]).append(" running");
          }
          if (c[3] > 0) {
            b.append(" · ").append(c[3]).append(" waiting");
          }
          b.append('\n');
        });
    b.append("```\n");
    List<TaskProgress.Server> odd =
        p.servers().stream()
            .filter(
                s ->
                    s.state() == TaskProgress.State.FAILED
                        || (p.finished() && s.state() != TaskProgress.State.DONE))
            .toList();
    if (odd.isEmpty() || b.length() > room) {
      return b.toString();
    }
    String tail = "… and %d more: /obcluster task " + t.id() + " lists every step\n";
    StringBuilder a = new StringBuilder("Needs attention (" + odd.size() + "):\n```\n");
    int shown = 0;
    for (TaskProgress.Server s : odd) {
      String line = serverLine(p, s) + "\n";
      if (b.length() + a.length() + line.length() + 4 + tail.length() + 8 > room) {
        break;
      }
      a.append(line);
      shown++;
    }
    a.append("```\n");
    if (shown < odd.size()) {
      a.append(String.format(Locale.ROOT, tail, odd.size() - shown));
    }
    return shown == 0 && odd.size() > 0
        ? b
            + String.format(Locale.ROOT, tail, odd.size())
                .replace("… and", odd.size() + " need attention;")
                .replace(" more:", ":")
        : b.append(a).toString();
  }

  private static String phases(TaskProgress p) {
    StringBuilder b = new StringBuilder("Phases: ");
    boolean first = true;
    for (TaskProgress.Phase ph : p.phases()) {
      b.append(first ? "" : " · ");
      first = false;
      String mark = ph.failed() > 0 ? "✗" : ph.done() ? "✓" : ph.running() > 0 ? "…" : "·";
      b.append(mark).append(' ').append(ph.name());
      if (ph.total() > 1) {
        b.append(' ').append(ph.successful()).append('/').append(ph.total());
      }
    }
    return b.toString();
  }

  static String icon(SubtaskStatus s) {
    switch (s) {
      case SUCCESSFUL:
        return "[ok]";
      case FAILED:
        return "[!!]";
      case RUNNING:
      case CANCELING:
        return "[..]";
      default:
        return "[  ]";
    }
  }

  /**
   * The zone or server a split node works on ("zone1", "127.0.1.1:2882"), from the target stored
   * with the subtask when the plan was built; "" for an unsplit node.
   */
  static String target(TaskInstance t, SubtaskInstance s, Map<Long, String> serverNames) {
    if (s.target() == null) {
      return "";
    }
    if (s.target().key().equals("server_ids")) {
      try {
        return serverNames.getOrDefault(
            Long.parseLong(s.target().value()), "server " + s.target().value());
      } catch (NumberFormatException e) {
        return s.target().value();
      }
    }
    return s.target().value();
  }

  static String duration(SubtaskInstance s, OffsetDateTime now) {
    if (s.startTime() == null) {
      return "";
    }
    OffsetDateTime end = s.finishTime() == null ? now : s.finishTime();
    return seconds(Duration.between(s.startTime(), end));
  }

  static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", Math.max(0, d.toMillis()) / 1000.0);
  }

  private static String pad(String s, int width) {
    return s.length() >= width ? s : s + " ".repeat(width - s.length());
  }

  // ---------------------------------------------------------------- thread posts

  ChatMessage failure(
      TaskInstance t, SubtaskInstance s, String target, String error, List<String> logTail) {
    StringBuilder text = new StringBuilder();
    text.append("**")
        .append(s.name())
        .append(target.isEmpty() ? "" : " on " + target)
        .append("** failed (subtask ")
        .append(s.id())
        .append(" of task ")
        .append(t.id())
        .append("): ")
        .append(error == null ? "no error message" : error)
        .append('\n');
    if (!logTail.isEmpty()) {
      text.append("```\n").append(String.join("\n", logTail)).append("\n```\n");
    }
    text.append("Retry runs it again; Skip marks it done without running it.");
    return new ChatMessage(
        text.toString(),
        null,
        List.of(
            new Button(
                ComponentId.retry(t.id(), s.id()).encode(), "Retry", Button.Style.PRIMARY, false),
            new Button(
                ComponentId.skip(t.id(), s.id()).encode(), "Skip", Button.Style.DANGER, false)));
  }

  /** The summary with what may follow: "Start again" after a successful stop. */
  ChatMessage summaryMessage(TaskProgress p, String requesterMention) {
    return new ChatMessage(
        summary(p, requesterMention),
        null,
        StartAgain.button(p.task()).map(java.util.List::of).orElse(java.util.List.of()));
  }

  /** The end of a task in its thread: the requester mentioned, the headline, what to do next. */
  String summary(TaskProgress p, String requesterMention) {
    TaskInstance t = p.task();
    return requesterMention
        + " task "
        + t.id()
        + " ("
        + t.name()
        + (t.target() == null ? "" : " " + t.target().name())
        + ") "
        + t.status()
        + ": "
        + p.headline()
        + "."
        + (t.status() == TaskStatus.FAILED
            ? " Retry or skip the failed steps above, or see /obcluster task " + t.id() + "."
            : "");
  }

  /** Cuts text to a platform's limit, saying so. */
  static String fit(String text, int max) {
    if (text.length() <= max) {
      return text;
    }
    String more = "\n… (cut)";
    return text.substring(0, Math.max(0, max - more.length())) + more;
  }
}
