package io.obops.core;

import io.obops.access.ClusterRef;
import io.obops.access.Permission;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Why the core refused something, as a code (the record's type) with typed parameters. The core
 * never words a refusal for a person: each surface does, in its own words (REST: OCP's error
 * envelope with an HTTP status and a message that may name REST paths; chat: a sentence that names
 * the chat command to run next). The interface is sealed, so a new refusal does not compile until
 * every surface words it.
 *
 * <p>{@link #describe()} is a neutral description for the audit log and the server's own log: it
 * names permissions and states, never a REST path or a chat command.
 *
 * <p>One file, longer than most, on purpose: the sealed set of records and its {@link Words}
 * visitor are the whole vocabulary of refusals, read together when a surface words them (Java 17
 * has no pattern switch, so the visitor is what makes a new refusal fail to compile until every
 * surface words it).
 */
public sealed interface Refusal {

  /** The family of a refusal, which decides its HTTP status and audit outcome. */
  enum Kind {
    /** The input is not well-formed (400). */
    BAD_INPUT,
    /** Well-formed, but not acceptable for this object (422). */
    UNPROCESSABLE,
    /** No such object, or one the actor may not view (404): existence is not revealed. */
    NOT_FOUND,
    /** The actor may view the object but not do this to it (403). */
    FORBIDDEN,
    /** The object's state does not allow it now (409). */
    CONFLICT
  }

  /** What a malformed value should have looked like. */
  enum Expected {
    ID("a whole number from 1, digits only (no sign, leading zero, spaces or encoding)"),
    CLUSTER("a cluster id (digits) or a cluster name (letters, digits, '_', '.', '-')"),
    PRINCIPAL("a principal: discord-user:<id>, discord-role:<id>, web:<name> or api:<name>"),
    TIME("an ISO-8601 time with its offset, e.g. 2026-03-02T10:00:00+08:00"),
    PLAN_HASH("a pre-flight plan hash: 12 to 64 lowercase hex digits, as the request shows it");

    private final String words;

    Expected(String words) {
      this.words = words;
    }

    public String words() {
      return words;
    }
  }

  Kind kind();

  /**
   * Words one surface has for every refusal: one method per refusal type, so a new refusal does not
   * compile until every surface words it.
   */
  interface Words<T> {
    T malformed(Malformed r);

    T outOfRange(OutOfRange r);

    T unknownValue(UnknownValue r);

    T forbiddenCharacter(ForbiddenCharacter r);

    T tooLong(TooLong r);

    T reasonRequired(ReasonRequired r);

    T clusterNotFound(ClusterNotFound r);

    T taskNotFound(TaskNotFound r);

    T subtaskNotFound(SubtaskNotFound r);

    T requestNotFound(RequestNotFound r);

    T notPermitted(NotPermitted r);

    T ownRequest(OwnRequest r);

    T notRequester(NotRequester r);

    T alreadyDecided(AlreadyDecided r);

    T requestClosed(RequestClosed r);

    T alreadyPending(AlreadyPending r);

    T clusterBusy(ClusterBusy r);

    T clusterNotReady(ClusterNotReady r);

    T taskConflict(TaskConflict r);

    T awaitingApproval(AwaitingApproval r);

    T neverRuns(NeverRuns r);

    T serversChanged(ServersChanged r);

    T planOutdated(PlanOutdated r);

    T planChanged(PlanChanged r);
  }

  /** The surface's words for this refusal. */
  <T> T accept(Words<T> words);

  /** A neutral English description (audit, logs). */
  String describe();

  /** The refusal's code, e.g. {@code NotPermitted}: stable, for machines and the audit log. */
  default String code() {
    return getClass().getSimpleName();
  }

  // ---------------------------------------------------------------- input

  /** {@code value} of {@code field} is not {@code expected}. */
  record Malformed(String field, String value, Expected expected) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.malformed(this);
    }

    public Malformed {
      value = Texts.shown(value);
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }

    @Override
    public String describe() {
      return "malformed " + field + " '" + value + "': expected " + expected.words();
    }
  }

  /** A number outside its bounds (page, size). */
  record OutOfRange(String field, String value, long min, long max) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.outOfRange(this);
    }

    public OutOfRange {
      value = Texts.shown(value);
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }

    @Override
    public String describe() {
      return field + " '" + value + "' must be a whole number from " + min + " to " + max;
    }
  }

  /** A value that is not one of the allowed ones (a state, an action). */
  record UnknownValue(String field, String value, List<String> allowed) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.unknownValue(this);
    }

    public UnknownValue {
      value = Texts.shown(value);
      allowed = List.copyOf(allowed);
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }

    @Override
    public String describe() {
      return "unknown " + field + " '" + value + "'; use one of " + String.join(", ", allowed);
    }
  }

  /** Text with a control character, a bidi override or an unpaired surrogate. */
  record ForbiddenCharacter(String field, int codePoint, int position) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.forbiddenCharacter(this);
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }

    @Override
    public String describe() {
      return field
          + " contains the character "
          + String.format("U+%04X", codePoint)
          + " at position "
          + position
          + "; control characters, bidirectional overrides and unpaired surrogates are refused"
          + " (a newline is allowed)";
    }
  }

  /** Text longer than the one limit of every surface. */
  record TooLong(String field, int length, int max) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.tooLong(this);
    }

    @Override
    public Kind kind() {
      return Kind.BAD_INPUT;
    }

    @Override
    public String describe() {
      return field + " has " + length + " characters; at most " + max + " are allowed";
    }
  }

  /** The policy wants a reason and none was given. */
  record ReasonRequired(ClusterRef cluster, String action) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.reasonRequired(this);
    }

    @Override
    public Kind kind() {
      return Kind.UNPROCESSABLE;
    }

    @Override
    public String describe() {
      return "a reason is required for " + action + " of cluster " + Texts.cluster(cluster);
    }
  }

  // ---------------------------------------------------------------- existence

  /** No cluster by that id or name that the actor may view. */
  record ClusterNotFound(String cluster) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.clusterNotFound(this);
    }

    public ClusterNotFound {
      cluster = Texts.shown(cluster);
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }

    @Override
    public String describe() {
      return "no cluster " + cluster + " visible to the actor";
    }
  }

  /** No task by that id that the actor may view (a task without a cluster is nobody's). */
  record TaskNotFound(TaskId task) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.taskNotFound(this);
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }

    @Override
    public String describe() {
      return "no task " + task + " visible to the actor";
    }
  }

  /** The task is visible, but has no such subtask. */
  record SubtaskNotFound(TaskId task, SubtaskId subtask) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.subtaskNotFound(this);
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }

    @Override
    public String describe() {
      return "task " + task + " has no subtask " + subtask;
    }
  }

  /** No approval request by that id that the actor may view. */
  record RequestNotFound(RequestId request) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.requestNotFound(this);
    }

    @Override
    public Kind kind() {
      return Kind.NOT_FOUND;
    }

    @Override
    public String describe() {
      return "no approval request #" + request + " visible to the actor";
    }
  }

  // ---------------------------------------------------------------- permission

  /**
   * The actor may view the cluster but lacks permissions for {@code operation} (an audit action
   * name such as {@code approval.request} or {@code task.retry}). {@code accessFile} names where
   * bindings are configured.
   */
  record NotPermitted(
      String principal,
      Set<Permission> missing,
      ClusterRef cluster,
      String operation,
      String accessFile)
      implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.notPermitted(this);
    }

    public NotPermitted {
      missing = Set.copyOf(missing);
    }

    @Override
    public Kind kind() {
      return Kind.FORBIDDEN;
    }

    /** The missing permissions' wire names, sorted: {@code approval.decide, cluster.view}. */
    public String missingWire() {
      return missing.stream().map(Permission::wire).sorted().collect(Collectors.joining(", "));
    }

    @Override
    public String describe() {
      return principal + " lacks " + missingWire() + " on cluster " + Texts.cluster(cluster);
    }
  }

  /** The requester (as a person, resolved now) may not decide their own request. */
  record OwnRequest(RequestId request, String verb) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.ownRequest(this);
    }

    @Override
    public Kind kind() {
      return Kind.FORBIDDEN;
    }

    @Override
    public String describe() {
      return "the requester of #" + request + " may not " + verb + " it";
    }
  }

  /** Only the requester (as a person) may cancel. */
  record NotRequester(RequestId request, String requester) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.notRequester(this);
    }

    @Override
    public Kind kind() {
      return Kind.FORBIDDEN;
    }

    @Override
    public String describe() {
      return "only the requester (" + requester + ") may cancel #" + request;
    }
  }

  // ---------------------------------------------------------------- state

  /** This person (resolved now) already decided the request, possibly as another principal. */
  record AlreadyDecided(RequestId request, String verdict, OffsetDateTime at, String principal)
      implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.alreadyDecided(this);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return "already decided #"
          + request
          + " ("
          + verdict
          + " at "
          + at
          + " as "
          + principal
          + ")";
    }
  }

  /**
   * The request is no longer PENDING. {@code at} is when it closed (for EXPIRED: its expiry), and
   * {@code task} its task, if any.
   */
  record RequestClosed(
      RequestId request,
      String state,
      String closeReason,
      String detail,
      OffsetDateTime at,
      TaskId task,
      String action)
      implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.requestClosed(this);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return "request #"
          + request
          + " is already "
          + state
          + (closeReason == null ? "" : " (" + closeReason + ")")
          + (detail == null ? "" : ": " + detail);
    }
  }

  /** Another request already holds the cluster and is PENDING until {@code until}. */
  record AlreadyPending(
      ClusterRef cluster,
      RequestId request,
      String requester,
      OffsetDateTime until,
      String action,
      TaskId task)
      implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.alreadyPending(this);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return "cluster "
          + Texts.cluster(cluster)
          + " already has a pending request #"
          + request
          + " by "
          + requester
          + ", open until "
          + until;
    }
  }

  /** Another operation (task) holds the cluster. */
  record ClusterBusy(ClusterRef cluster, TaskId holder) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.clusterBusy(this);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return "cluster " + Texts.cluster(cluster) + " is held by task " + holder;
    }
  }

  /** The cluster's status does not allow the action (e.g. stopping a STOPPED cluster). */
  record ClusterNotReady(ClusterRef cluster, String status, String required, String action)
      implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.clusterNotReady(this);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return "cluster "
          + Texts.cluster(cluster)
          + " is "
          + status
          + "; "
          + action
          + " needs it "
          + required;
    }
  }

  /** The engine's precondition for a task operation failed; {@code detail} is its rule. */
  record TaskConflict(TaskId task, SubtaskId subtask, String detail) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.taskConflict(this);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return detail;
    }
  }

  /** The task waits for its approval request: nothing ran, nothing to retry. */
  record AwaitingApproval(TaskId task, RequestId request) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.awaitingApproval(this);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return "task " + task + " waits for approval request #" + request;
    }
  }

  /** The task was refused at its approval (rejected, expired, cancelled) and never runs. */
  record NeverRuns(TaskId task, RequestId request, String state) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.neverRuns(this);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return "task " + task + " never runs: its approval request #" + request + " is " + state;
    }
  }

  /** Servers the retry would act on differ from what was approved. */
  record ServersChanged(TaskId task, List<String> changes) implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.serversChanged(this);
    }

    public ServersChanged {
      changes = List.copyOf(changes);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return "task "
          + task
          + " was approved for other servers than the inventory now describes: "
          + String.join("; ", changes);
    }
  }

  /**
   * The request's pre-flight plan was inspected longer ago than approvals accept ({@code maxAge}):
   * the servers must be inspected again (refresh) before anyone approves.
   */
  record PlanOutdated(RequestId request, OffsetDateTime inspectedAt, Duration maxAge)
      implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.planOutdated(this);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return "the pre-flight plan of #"
          + request
          + " was inspected at "
          + inspectedAt
          + ", longer ago than "
          + maxAge
          + "; it must be refreshed before approval";
    }
  }

  /**
   * The approver was shown another pre-flight plan ({@code shown}, a hash prefix) than the one in
   * force now ({@code current}, version {@code version}): they must look at the current one.
   */
  record PlanChanged(RequestId request, String shown, String current, int version)
      implements Refusal {
    @Override
    public <T> T accept(Words<T> words) {
      return words.planChanged(this);
    }

    @Override
    public Kind kind() {
      return Kind.CONFLICT;
    }

    @Override
    public String describe() {
      return "the pre-flight plan of #"
          + request
          + " changed since it was shown ("
          + shown
          + " shown, "
          + current.substring(0, Math.min(12, current.length()))
          + " now, version "
          + version
          + ")";
    }
  }
}
