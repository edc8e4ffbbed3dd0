package io.obops.approval;

/** Why a request left PENDING; {@code closeDetail} says it in words. */
public enum CloseReason {
  /** Enough distinct people approved; the task started. */
  APPROVED,
  /** A permitted person rejected it. */
  REJECTED,
  /** Its pending TTL passed. */
  EXPIRED,
  /** The requester withdrew it. */
  CANCELLED_BY_REQUESTER,
  /** The cluster's inventory (zones, servers, hosts, ports) changed since the request. */
  INVENTORY_CHANGED,
  /** The cluster could no longer be stopped when approved (not RUNNING, or gone). */
  CLUSTER_NOT_STOPPABLE
}
