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
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Turns requests and tasks into chat messages. Pure functions of their inputs. */
final class Rendering {

  static final String APPROVE = "obops:approve:";
  static final String REJECT = "obops:reject:";
  static final String CANCEL = "obops:cancel:";
  static final String RETRY = "obops:retry:";
  static final String SKIP = "obops:skip:";
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

  /** The approval card as it should look for the request's current state. */
  ChatMessage card(ApprovalRequest r, String requesterMention, String approverMention) {
    ClusterSnapshot p = r.snapshot();
    List<ChatMessage.Field> fields = new ArrayList<>();
    fields.add(field("Cluster", r.cluster().name() + " (id " + r.cluster().id() + ")", true));
    fields.add(field("Requested by", requesterMention, true));
    fields.add(field("Approvals", r.approvals() + " of " + r.approvalsRequired(), true));
    fields.add(field("Reason", r.reason() == null ? "-" : r.reason(), false));
    fields.add(field("Zones", String.join(", ", p.zones()), false));
    if (r.plan() != null) {
      fields.addAll(PlanRendering.fields(r.id(), r.plan(), this::time));
    } else {
      fields.add(
          field(
              "Servers to " + r.verb() + " (" + p.servers().size() + ")",
              p.servers().stream()
                  .map(s -> s.zone() + ": " + s.address())
                  .collect(Collectors.joining("\n")),
              false));
    }
    fields.add(field("Expires", time(r.expireTime()), true));
    if (r.taskId() != null) {
      fields.add(
          field(
              "Task",
              r.taskId()
                  + (r.state() == ApprovalState.PENDING
                      ? " (runs once approved)"
                      : r.state() == ApprovalState.APPROVED ? "" : " (never runs)"),
              true));
    }
    String verb = r.verb();
    String title =
        Character.toUpperCase(verb.charAt(0))
            + verb.substring(1)
            + " cluster "
            + r.cluster().name()
            + "? — request #"
            + r.id();
    List<Button> buttons =
        new ArrayList<>(
            List.of(
                new Button(
                    PlanRendering.approveId(APPROVE, r.id(), r.plan()),
                    "Approve",
                    Button.Style.SUCCESS,
                    false),
                new Button(REJECT + r.id(), "Reject", Button.Style.DANGER, false),
                new Button(CANCEL + r.id(), "Cancel (requester)", Button.Style.SECONDARY, false)));
    if (r.plan() != null) {
      buttons.add(
          new Button(PlanRendering.REFRESH + r.id(), "Refresh plan", Button.Style.PRIMARY, false));
    }
    if (r.state() == ApprovalState.PENDING) {
      String who =
          approverMention == null || approverMention.isBlank()
              ? "An approver"
              : approverMention + ": an approver";
      return new ChatMessage(
          who
              + " must approve this "
              + verb
              + " (someone other than the requester"
              + (r.approvalsRequired() > 1 ? "; " + r.approvalsRequired() + " people" : "")
              + ").",
          new ChatMessage.Card(title, ChatMessage.Colour.PENDING, fields, "PENDING"),
          buttons);
    }
    fields.add(field("Decision", decision(r), false));
    ChatMessage.Colour colour =
        r.state() == ApprovalState.APPROVED
            ? ChatMessage.Colour.SUCCESS
            : r.state() == ApprovalState.REJECTED
                ? ChatMessage.Colour.FAILURE
                : ChatMessage.Colour.NEUTRAL;
    return new ChatMessage(
        decision(r),
        new ChatMessage.Card(title, colour, fields, r.state().name()),
        buttons.stream().map(Button::disable).toList());
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
        String comment =
            r.decisions().stream()
                .filter(d -> d.verdict() == ApprovalRequest.Verdict.REJECT)
                .map(ApprovalRequest.Decision::comment)
                .filter(c -> c != null && !c.isBlank())
                .findFirst()
                .map(c -> ": " + c)
                .orElse("");
        return "Rejected by " + by + comment;
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

  /** The board: every node with status, target and duration, under a progress bar. */
  ChatMessage board(TaskInstance t, Map<Long, String> serverNames, OffsetDateTime now) {
    long done = t.subtasks().stream().filter(s -> s.status() == SubtaskStatus.SUCCESSFUL).count();
    int total = t.subtasks().size();
    StringBuilder text = new StringBuilder();
    text.append("**")
        .append(t.name())
        .append("** — task ")
        .append(t.id())
        .append(" — ")
        .append(t.status())
        .append('\n');
    text.append(bar(done, total)).append(' ').append(done).append('/').append(total).append('\n');
    text.append("```\n");
    for (SubtaskInstance s : t.subtasks()) {
      String target = target(t, s, serverNames);
      text.append(icon(s.status()))
          .append(' ')
          .append(pad(s.name(), 26))
          .append(' ')
          .append(pad(target, 22))
          .append(' ')
          .append(pad(s.status().name(), 10))
          .append(' ')
          .append(duration(s, now))
          .append('\n');
    }
    text.append("```");
    ChatMessage.Colour colour =
        t.status() == TaskStatus.SUCCESSFUL
            ? ChatMessage.Colour.SUCCESS
            : t.status() == TaskStatus.FAILED
                ? ChatMessage.Colour.FAILURE
                : ChatMessage.Colour.PENDING;
    return new ChatMessage(
        text.toString(),
        new ChatMessage.Card(
            "Progress of task " + t.id(),
            colour,
            List.of(),
            "updated " + time(now) + (t.finished() ? "" : " (live)")),
        List.of());
  }

  static String bar(long done, int total) {
    int width = 20;
    int full = total == 0 ? width : (int) (done * width / total);
    return "[" + "#".repeat(full) + "-".repeat(width - full) + "]";
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

  /** The zone or server a split node works on ("zone1", "127.0.1.1:2882"), else "". */
  static String target(TaskInstance t, SubtaskInstance s, Map<Long, String> serverNames) {
    String name = s.name().toLowerCase(Locale.ROOT);
    if (name.contains("zone")) {
      return at(t.context().list("zone_names"), s.parallelIdx());
    }
    if (name.contains("observer")) {
      String id = at(t.context().list("server_ids"), s.parallelIdx());
      try {
        return serverNames.getOrDefault(Long.parseLong(id), "server " + id);
      } catch (NumberFormatException e) {
        return id;
      }
    }
    return "";
  }

  private static String at(List<String> values, int idx) {
    return values != null && idx >= 0 && idx < values.size() ? values.get(idx) : "";
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
            new Button(RETRY + t.id() + ":" + s.id(), "Retry", Button.Style.PRIMARY, false),
            new Button(SKIP + t.id() + ":" + s.id(), "Skip", Button.Style.DANGER, false)));
  }

  /** The summary with what may follow: "Start again" after a successful stop. */
  ChatMessage summaryMessage(TaskInstance t, String requesterMention, int servers) {
    return new ChatMessage(
        summary(t, requesterMention, servers),
        null,
        StartAgain.button(t).map(java.util.List::of).orElse(java.util.List.of()));
  }

  String summary(TaskInstance t, String requesterMention, int servers) {
    Duration d =
        t.startTime() == null || t.finishTime() == null
            ? Duration.ZERO
            : Duration.between(t.startTime(), t.finishTime());
    return requesterMention
        + " task "
        + t.id()
        + " ("
        + t.name()
        + " "
        + (t.target() == null ? "" : t.target().name())
        + ") "
        + t.status()
        + " in "
        + seconds(d)
        + ": "
        + servers
        + (io.obops.obcluster.StartClusterTemplate.NAME.equals(t.name())
            ? " server(s) running."
            : " server(s) stopped.")
        + (t.status() == TaskStatus.FAILED
            ? " Retry or skip the failed subtasks above, or see /obcluster task " + t.id()
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
