package io.obops.chat.web;

import io.obops.access.Actor;

/**
 * The one question the console asks before it shows a card, a thread message or a file: may this
 * actor view this cluster? The console finds the cluster of each message itself (from the approval
 * request its card or thread belongs to); this answers for the cluster.
 *
 * <p>The default bean asks {@link io.obops.access.AccessControl} for {@code cluster.view}; define
 * another bean of this type to answer from elsewhere (e.g. the operations layer). Implementations
 * must be thread-safe and fast: the console asks once per message it shows or streams.
 */
@FunctionalInterface
interface ClusterVisibility {

  /** True when {@code actor} may see what obops posts about cluster {@code clusterId}. */
  boolean mayView(Actor actor, long clusterId);
}
