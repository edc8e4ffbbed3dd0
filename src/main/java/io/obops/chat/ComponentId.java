package io.obops.chat;

import io.obops.core.Ids;
import java.util.Locale;
import java.util.Optional;

/**
 * The id of a button (a Discord component, a console button) as one typed value with one codec,
 * shared by every adapter: {@code obops:<action>:<ids>} on the wire, ids in the one spelling of
 * {@link Ids}. Approve / Reject / Cancel carry a request id; Retry / Skip a task and a subtask id.
 * Approve may also carry the short hash of the pre-flight plan the card showed ({@code
 * obops:approve:12:3f9a0c1b2d4e}), so an approval binds to what the approver saw; Refresh carries a
 * request id; Start again a cluster id and the stop task's id. Adapters only ask {@link #isOurs}
 * and hand the raw id to the core, which {@link #decode}s it.
 */
public record ComponentId(Action action, long first, long second, String plan) {

  static final String PREFIX = "obops:";

  /** What a click asks for; the wire name is the lower-case constant. */
  public enum Action {
    APPROVE(1),
    REJECT(1),
    CANCEL(1),
    REFRESH(1),
    RETRY(2),
    SKIP(2),
    /** Start again on a stop's summary: the cluster and the stop task ({@code start-again}). */
    START_AGAIN(2);

    private final int ids;

    Action(int ids) {
      this.ids = ids;
    }

    String wire() {
      return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
  }

  private static final java.util.regex.Pattern PLAN =
      java.util.regex.Pattern.compile("[0-9a-f]{12,64}");

  public static ComponentId approve(long request) {
    return new ComponentId(Action.APPROVE, request, 0, null);
  }

  /** Approve the plan with this (short) hash, as the card showed it; null: no plan. */
  public static ComponentId approve(long request, String planHash) {
    return new ComponentId(Action.APPROVE, request, 0, planHash);
  }

  public static ComponentId reject(long request) {
    return new ComponentId(Action.REJECT, request, 0, null);
  }

  public static ComponentId cancel(long request) {
    return new ComponentId(Action.CANCEL, request, 0, null);
  }

  public static ComponentId refresh(long request) {
    return new ComponentId(Action.REFRESH, request, 0, null);
  }

  public static ComponentId retry(long task, long subtask) {
    return new ComponentId(Action.RETRY, task, subtask, null);
  }

  public static ComponentId skip(long task, long subtask) {
    return new ComponentId(Action.SKIP, task, subtask, null);
  }

  public static ComponentId startAgain(long cluster, long stopTask) {
    return new ComponentId(Action.START_AGAIN, cluster, stopTask, null);
  }

  /** The request id (Approve / Reject / Cancel) or the task id (Retry / Skip). */
  public long request() {
    return first;
  }

  public long task() {
    return first;
  }

  public long subtask() {
    return second;
  }

  /** {@code obops:approve:12}, {@code obops:retry:5:31}. */
  public String encode() {
    return PREFIX
        + action.wire()
        + ":"
        + first
        + (action.ids == 2 ? ":" + second : "")
        + (plan == null ? "" : ":" + plan);
  }

  @Override
  public String toString() {
    return encode();
  }

  /** True if the platform handed back an id obops posted (any version of it). */
  public static boolean isOurs(String raw) {
    return raw != null && raw.startsWith(PREFIX);
  }

  /** The id {@code raw} spells, or empty when it is not one (another bot's, an older version's). */
  public static Optional<ComponentId> decode(String raw) {
    if (!isOurs(raw)) {
      return Optional.empty();
    }
    String[] parts = raw.substring(PREFIX.length()).split(":", -1);
    Action action;
    try {
      action = Action.valueOf(parts[0].toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      return Optional.empty();
    }
    String plan = null;
    if (action == Action.APPROVE && parts.length == 3 && PLAN.matcher(parts[2]).matches()) {
      plan = parts[2];
      parts = java.util.Arrays.copyOf(parts, 2);
    }
    if (!parts[0].equals(action.wire()) || parts.length != 1 + action.ids) {
      return Optional.empty();
    }
    for (int i = 1; i < parts.length; i++) {
      if (!Ids.isId(parts[i])) {
        return Optional.empty();
      }
    }
    return Optional.of(
        new ComponentId(
            action,
            Long.parseLong(parts[1]),
            action.ids == 2 ? Long.parseLong(parts[2]) : 0,
            plan));
  }
}
