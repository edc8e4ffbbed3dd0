package io.obops.chat;

import io.obops.access.Actor;
import io.obops.approval.ApprovableAction;
import io.obops.approval.ApprovalRequest;
import io.obops.approval.ApprovalState;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObServer;
import io.obops.core.ClusterId;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import io.obops.core.RequestId;
import io.obops.core.TaskId;
import io.obops.operations.ApprovalOperations;
import io.obops.operations.ClusterOperations;
import io.obops.operations.TaskOperations;
import io.obops.task.TaskInstance;
import java.time.Clock;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The {@code /obcluster} commands: each one translated into an operations-layer call and its answer
 * into chat text. A cluster is named by id or by name wherever one is named ({@code stop demo},
 * {@code stop 1}; the option keeps the name {@code id}).
 */
final class ChatCommands {

  static final String USAGE =
      "Commands: /obcluster list · /obcluster status <cluster> · /obcluster task <task id> ·"
          + " /obcluster stop <cluster> <why> · /obcluster help (a cluster is its id or its name)";

  static final String HELP =
      String.join(
          "\n",
          "**/obcluster** commands (a cluster is its name or its id, e.g. `demo` or `1`):",
          "`/obcluster list` — the clusters you may see",
          "`/obcluster status demo` — a cluster's zones and servers",
          "`/obcluster stop demo disk swap on zone1` — ask to stop a cluster; the words after the"
              + " cluster are the reason (or `reason:<why>`). Someone else approves on the card;"
              + " progress goes to the card's thread.",
          "`/obcluster task 12` — a task's board",
          "`/obcluster help` — this list");

  /** The subcommands, for "did you mean". */
  static final java.util.List<String> KNOWN =
      java.util.List.of(
          ChatCommand.STOP,
          ChatCommand.START,
          ChatCommand.STATUS,
          ChatCommand.LIST,
          ChatCommand.TASK,
          ChatCommand.HELP);

  private final ClusterOperations clusters;
  private final ApprovalOperations approvals;
  private final TaskOperations tasks;
  private final ApprovalCards cards;
  private final ServerNames serverNames;
  private final Rendering rendering;
  private final Clock clock;

  private final Runnable deliverNow;

  ChatCommands(
      ClusterOperations clusters,
      ApprovalOperations approvals,
      TaskOperations tasks,
      ApprovalCards cards,
      ServerNames serverNames,
      Rendering rendering,
      Clock clock,
      Runnable deliverNow) {
    this.deliverNow = deliverNow;
    this.clusters = clusters;
    this.approvals = approvals;
    this.tasks = tasks;
    this.cards = cards;
    this.serverNames = serverNames;
    this.rendering = rendering;
    this.clock = clock;
  }

  /** The answer to a command; throws {@link io.obops.core.Refused} for the caller to word. */
  ChatReply run(ChatPlatform platform, ChatUser user, ChannelRef channel, ChatCommand command) {
    Actor actor = user.actor(platform.surface());
    switch (command.subcommand()) {
      case ChatCommand.STOP:
        return request(platform, user, actor, channel, command, "cluster.stop");
      case ChatCommand.START:
        return request(platform, user, actor, channel, command, "cluster.start");
      case ChatCommand.STATUS:
        return status(actor, cluster(actor, command));
      case ChatCommand.LIST:
        return list(actor);
      case ChatCommand.TASK:
        return task(
            actor,
            TaskId.parse(
                "task id",
                command
                    .option("id")
                    .orElseThrow(() -> new Usage("Which task? Write /obcluster task <task id>."))));
      case ChatCommand.HELP:
        return ChatReply.ephemeral(HELP);
      default:
        if (command.subcommand().isEmpty()) {
          return ChatReply.ephemeral(HELP);
        }
        String guess =
            DidYouMean.closest(command.subcommand(), KNOWN)
                .map(k -> " Did you mean `/obcluster " + k + "`?")
                .orElse("");
        return ChatReply.ephemeral(
            "Unknown command '" + command.subcommand() + "'." + guess + "\n" + USAGE);
    }
  }

  private ClusterId cluster(Actor actor, ChatCommand command) {
    String named =
        command
            .option("id")
            .orElseThrow(
                () ->
                    new Usage(
                        "Which cluster? Write /obcluster "
                            + command.subcommand()
                            + " <cluster id or name>; /obcluster list shows them."));
    try {
      return clusters.resolve(actor, named);
    } catch (io.obops.core.Refused e) {
      if (!(e.refusal() instanceof io.obops.core.Refusal.ClusterNotFound)) {
        throw e;
      }
      java.util.List<String> names = new java.util.ArrayList<>();
      clusters.suggest(actor, "").forEach(c -> names.add(c.name()));
      String guess = DidYouMean.closest(named, names).orElse(null);
      if (guess == null) {
        throw e;
      }
      throw new Usage(
          "No cluster '"
              + named
              + "' that you may see. Did you mean `"
              + guess
              + "`? /obcluster list shows them.");
    }
  }

  /** A stop or a start: the request (card and thread posted), and what happens next. */
  private ChatReply request(
      ChatPlatform platform,
      ChatUser user,
      Actor actor,
      ChannelRef channel,
      ChatCommand command,
      String action) {
    ClusterId id = cluster(actor, command);
    // Before anything is created: a request nobody can follow (no card, no thread) is refused.
    List<String> missing = platform.missingPermissions(channel);
    if (!missing.isEmpty()) {
      throw new Refused(new Refusal.BotLacksPermissions(platform.channelLabel(channel), missing));
    }
    // The card, its thread and first line are recorded with the request, in its transaction:
    // both exist or neither; the outbox posts them (now, on this replica, or later on another).
    ApprovalOperations.Requested r =
        approvals.request(
            actor,
            id,
            action,
            command.option("reason").orElse(null),
            made -> cards.record(platform.surface(), channel, user, made));
    cards.showPlan(r.request().id()); // the plan was made after the request committed
    return unannounced(actor, r).orElseGet(() -> requested(r));
  }

  /**
   * Delivers the card and its thread now; if the platform refused them for good (the bot's
   * permissions, despite its cache), the outbox has cancelled the request, and the requester hears
   * that nothing will run instead of "posted".
   */
  Optional<ChatReply> unannounced(Actor actor, ApprovalOperations.Requested r) {
    deliverNow.run();
    ApprovalRequest now = approvals.view(actor, new RequestId(r.request().id()));
    if (now.state() != ApprovalState.CANCELLED
        || now.closeReason() != io.obops.approval.CloseReason.NOT_ANNOUNCED) {
      return Optional.empty();
    }
    return Optional.of(
        ChatReply.ephemeral(
            "Request #"
                + now.id()
                + " could not be posted here, so it was cancelled and nothing will run ("
                + now.closeDetail()
                + "). Ask an administrator to check the bot's permissions in this channel, then"
                + " try again."));
  }

  /** The requester's answer: the request is posted and when it needs its approvals. */
  ChatReply requested(ApprovalOperations.Requested r) {
    if (r.request().state() == io.obops.approval.ApprovalState.APPROVED) {
      return ChatReply.ephemeral(
          "Request #"
              + r.request().id()
              + " to "
              + ApprovableAction.verb(r.request().action())
              + " "
              + r.request().cluster().name()
              + " needs no approval: task "
              + r.task().id()
              + " runs now.");
    }
    return ChatReply.ephemeral(
        "Request #"
            + r.request().id()
            + " to "
            + ApprovableAction.verb(r.request().action())
            + " "
            + r.request().cluster().name()
            + " is posted (task "
            + r.task().id()
            + " runs once approved); it needs "
            + r.request().approvalsRequired()
            + " approval(s) by someone else before "
            + rendering.time(r.request().expireTime(), OffsetDateTime.now(clock))
            + ".");
  }

  private ChatReply status(Actor actor, ClusterId id) {
    ObCluster c = clusters.view(actor, id);
    StringBuilder text =
        new StringBuilder("**")
            .append(c.name())
            .append("** (id ")
            .append(c.id())
            .append("): ")
            .append(c.status());
    if (c.operationTaskId() != null) {
      text.append(" — task ").append(c.operationTaskId()).append(" holds it");
    }
    for (var z : c.zones()) {
      text.append("\n").append(z.name()).append(": ").append(z.status());
      for (ObServer s : c.serversIn(z.name())) {
        text.append("\n  ").append(s.address()).append(" ").append(s.status());
      }
    }
    return ChatReply.ephemeral(text.toString());
  }

  private ChatReply list(Actor actor) {
    String lines =
        clusters.list(actor).stream()
            .map(
                c ->
                    c.id()
                        + " — "
                        + c.name()
                        + " — "
                        + c.status()
                        + " ("
                        + c.servers().size()
                        + " servers)")
            .collect(Collectors.joining("\n"));
    return ChatReply.ephemeral(
        lines.isEmpty()
            ? "You may not see any cluster; ask an obops administrator for a role."
            : lines);
  }

  private ChatReply task(Actor actor, TaskId id) {
    TaskInstance t = tasks.view(actor, id);
    return ChatReply.ephemeral(
        rendering
            .board(t, serverNames.of(t), serverNames.zones(t), OffsetDateTime.now(clock), 4000)
            .text());
  }

  /** A command that is missing what it needs; the message says how to write it. */
  static final class Usage extends RuntimeException {
    Usage(String message) {
      super(message, null, false, false);
    }
  }
}
