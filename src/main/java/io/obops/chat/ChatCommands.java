package io.obops.chat;

import io.obops.access.Actor;
import io.obops.approval.ApprovableAction;
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
import java.util.stream.Collectors;

/**
 * The {@code /obcluster} commands: each one translated into an operations-layer call and its answer
 * into chat text. A cluster is named by id or by name wherever one is named ({@code stop demo},
 * {@code stop 1}; the option keeps the name {@code id}).
 */
final class ChatCommands {

  static final String USAGE =
      "Commands: /obcluster list · /obcluster status <cluster> · /obcluster task <task id> ·"
          + " /obcluster stop <cluster> reason:<why> · /obcluster start <cluster> reason:<why> (a"
          + " cluster is its id or its name)";

  private final ClusterOperations clusters;
  private final ApprovalOperations approvals;
  private final TaskOperations tasks;
  private final ApprovalCards cards;
  private final ServerNames serverNames;
  private final Rendering rendering;
  private final Clock clock;

  ChatCommands(
      ClusterOperations clusters,
      ApprovalOperations approvals,
      TaskOperations tasks,
      ApprovalCards cards,
      ServerNames serverNames,
      Rendering rendering,
      Clock clock) {
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
      default:
        return ChatReply.ephemeral(
            (command.subcommand().isEmpty()
                    ? ""
                    : "Unknown command '" + command.subcommand() + "'. ")
                + USAGE);
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
    return clusters.resolve(actor, named);
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
    ApprovalOperations.Requested r =
        approvals.request(actor, id, action, command.option("reason").orElse(null));
    try {
      cards.post(platform, channel, user, r.request());
    } catch (ChatPlatformException e) {
      // The platform refused what its own check allowed (a stale cache, an outage): a request
      // nobody can see must not stay PENDING, holding the cluster until it expires.
      approvals.cancel(actor, new RequestId(r.request().id()));
      return ChatReply.ephemeral(
          "Request #"
              + r.request().id()
              + " could not be posted here, so it was cancelled and nothing will run ("
              + e.getMessage()
              + "). Ask an administrator to check the bot's permissions in this channel, then"
              + " try again.");
    }
    return requested(r);
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
        rendering.board(t, serverNames.of(t), OffsetDateTime.now(clock)).text());
  }

  /** A command that is missing what it needs; the message says how to write it. */
  static final class Usage extends RuntimeException {
    Usage(String message) {
      super(message, null, false, false);
    }
  }
}
