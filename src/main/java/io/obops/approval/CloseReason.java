package io.obops.approval;

/** Why a request left PENDING; {@code closeDetail} says it in words. */
public enum CloseReason {
  /** Enough distinct people approved; the task's gate opened. */
  APPROVED,
  /** A permitted person rejected it. */
  REJECTED,
  /** Its pending TTL passed. */
  EXPIRED,
  /** The requester withdrew it. */
  CANCELLED_BY_REQUESTER,
  /** The cluster's inventory (zones, servers, hosts, ports) changed since the request. */
  INVENTORY_CHANGED,
  /** The cluster could no longer undergo the action (gone from the inventory). */
  CLUSTER_NOT_STOPPABLE,
  /** The requester no longer holds the permission to request the action. */
  REQUESTER_NOT_PERMITTED,
  /**
   * Its approval card could not be posted in chat before the request would expire (the platform
   * kept refusing or was unreachable); the detail carries the platform's last error.
   */
  NOT_ANNOUNCED,
  /** Made by an older obops whose requests had no task; closed by the upgrade (V81). */
  SUPERSEDED
}
