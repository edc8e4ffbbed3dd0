package io.obops.operations;

import io.obops.access.Actor;
import io.obops.audit.AuditEvent;
import io.obops.audit.AuditLog;
import io.obops.audit.AuditQuery;
import io.obops.cluster.ObCluster;
import io.obops.core.PageRequest;
import java.util.Set;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Reading the audit log: an actor sees the events on clusters it may view ({@code cluster.view})
 * and its own events on no cluster.
 */
public final class AuditOperations {

  private final Guard guard;
  private final AuditLog audit;

  AuditOperations(Guard guard, AuditLog audit) {
    this.guard = guard;
    this.audit = audit;
  }

  /** One page, newest first. */
  public AuditLog.Page query(Actor actor, AuditFilter filter, PageRequest page) {
    return audit.find(query(actor, filter), page.page(), page.size());
  }

  /** Every matching event, oldest first. */
  public void export(Actor actor, AuditFilter filter, Consumer<AuditEvent> sink) {
    audit.export(query(actor, filter), sink);
  }

  private AuditQuery query(Actor actor, AuditFilter f) {
    Set<Long> visible =
        guard.visibleClusters(actor).stream().map(ObCluster::id).collect(Collectors.toSet());
    return new AuditQuery(
        f.clusterId(), f.principal(), f.from(), f.to(), f.requestId(), visible, actor.principal());
  }
}
