package io.obops.operations;

import io.obops.access.AccessControl;
import io.obops.access.Actor;
import io.obops.access.ClusterRef;
import io.obops.access.Permission;
import io.obops.audit.AuditEntry;
import io.obops.audit.AuditLog;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObCluster;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * What every operation does before it acts: find the cluster, decide what the actor may see of it
 * and do to it, and audit a refusal. Existence is not revealed: a cluster (or a task, request on
 * it) the actor may not view is refused exactly like one that does not exist.
 */
final class Guard {

  private final AccessControl access;
  private final ClusterInventory inventory;
  private final AuditLog audit;

  Guard(AccessControl access, ClusterInventory inventory, AuditLog audit) {
    this.access = access;
    this.inventory = inventory;
    this.audit = audit;
  }

  /** What an audit entry of an operation is about; filled in as the operation finds things. */
  static final class Scope {
    Long cluster;
    Long request;
    Long task;

    Scope cluster(long id) {
      cluster = id;
      return this;
    }

    Scope request(long id) {
      request = id;
      return this;
    }

    Scope task(long id) {
      task = id;
      return this;
    }
  }

  /**
   * Runs one operation of an actor. A refusal is audited ({@code action}, outcome REFUSED, the
   * scope found so far, the refusal's code and description) and rethrown; successes are audited by
   * the operation itself, in the transaction of its change.
   */
  <T> T act(Actor actor, String action, Scope scope, Supplier<T> work) {
    try {
      return work.get();
    } catch (Refused e) {
      audit.record(
          new AuditEntry(
              actor.principal(),
              actor.surface().wire(),
              action,
              "REFUSED",
              scope.cluster,
              scope.request,
              scope.task,
              e.refusal().code() + ": " + e.refusal().describe()));
      throw e;
    }
  }

  static ClusterRef ref(ObCluster c) {
    return new ClusterRef(c.id(), c.name(), c.tags());
  }

  /**
   * The cluster by id for selectors: the inventory's, or, for a cluster gone from it, its id and
   * last known name without tags.
   */
  ClusterRef ref(long clusterId, String lastKnownName) {
    return inventory
        .find(clusterId)
        .map(Guard::ref)
        .orElseGet(() -> new ClusterRef(clusterId, lastKnownName, List.of()));
  }

  boolean mayView(Actor actor, ClusterRef cluster) {
    return access.has(actor, Permission.CLUSTER_VIEW, cluster);
  }

  /** The clusters of the inventory the actor may view, by id. */
  List<ObCluster> visibleClusters(Actor actor) {
    return inventory.all().stream().filter(c -> mayView(actor, ref(c))).toList();
  }

  /** The cluster if it exists and the actor may view it; {@link Refusal.ClusterNotFound} else. */
  ObCluster visible(Actor actor, long clusterId, String asNamed, Scope scope) {
    ObCluster c =
        inventory
            .find(clusterId)
            .orElseThrow(() -> new Refused(new Refusal.ClusterNotFound(asNamed)));
    scope.cluster(c.id());
    if (!mayView(actor, ref(c))) {
      throw new Refused(new Refusal.ClusterNotFound(asNamed));
    }
    return c;
  }

  /** Refuses with {@link Refusal.NotPermitted} unless the actor holds every permission. */
  void require(Actor actor, ClusterRef cluster, String operation, Permission... needed) {
    Set<Permission> held = access.permissions(actor, cluster);
    Set<Permission> missing = EnumSet.noneOf(Permission.class);
    for (Permission p : needed) {
      if (!held.contains(p)) {
        missing.add(p);
      }
    }
    if (!missing.isEmpty()) {
      throw new Refused(
          new Refusal.NotPermitted(
              actor.principal(), missing, cluster, operation, access.config().source()));
    }
  }

  /**
   * The bound principals (users and roles, as the access file names them) holding every permission
   * in {@code needed} on the cluster, other than {@code except}'s person; in the file's order.
   */
  List<String> holders(Set<Permission> needed, ClusterRef cluster, String except) {
    String skip = except == null ? null : access.person(except);
    return access.config().bindings().stream()
        .map(b -> b.principal())
        .distinct()
        .filter(p -> skip == null || !access.person(p).equals(skip))
        .filter(p -> access.config().permissions(Set.of(p), cluster).containsAll(needed))
        .toList();
  }
}
