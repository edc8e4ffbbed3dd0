package io.obops.operations;

import io.obops.access.Actor;
import io.obops.cluster.ClusterInventory;
import io.obops.cluster.ObCluster;
import io.obops.cluster.ObServer;
import io.obops.cluster.ObZone;
import io.obops.core.ClusterId;
import io.obops.core.Ids;
import io.obops.core.Refusal;
import io.obops.core.Refused;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Reading clusters: the ones an actor may view ({@code cluster.view}), filtered ({@link
 * ClusterFilter}), by id or by name, and the observers of one of their zones.
 */
public final class ClusterOperations {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");

  private final Guard guard;
  private final ClusterInventory inventory;

  ClusterOperations(Guard guard, ClusterInventory inventory) {
    this.guard = guard;
    this.inventory = inventory;
  }

  /** The clusters the actor may view; others are left out, not refused. */
  public List<ObCluster> list(Actor actor) {
    return guard.visibleClusters(actor);
  }

  /** The clusters the actor may view that pass the filter, in its order. */
  public List<ObCluster> list(Actor actor, ClusterFilter filter) {
    return guard.visibleClusters(actor).stream()
        .filter(filter.matches())
        .sorted(filter.order())
        .toList();
  }

  /**
   * The observers of one zone of a cluster the actor may view; a zone the cluster does not have is
   * refused with the zones it has ({@link Refusal.UnknownValue}).
   */
  public List<ObServer> serversIn(Actor actor, ClusterId id, String zoneName) {
    Guard.Scope scope = new Guard.Scope();
    return guard.act(
        actor,
        "cluster.view",
        scope,
        () -> {
          ObCluster c = guard.visible(actor, id.value(), id.toString(), scope);
          List<String> zones = c.zones().stream().map(ObZone::name).toList();
          if (!zones.contains(zoneName)) {
            throw new Refused(new Refusal.UnknownValue("zone", zoneName, zones));
          }
          return c.serversIn(zoneName);
        });
  }

  /**
   * Whether the actor may view the cluster (a cluster not in the inventory is seen by nobody), for
   * surfaces that filter what they show (the console's messages); not audited, it only filters.
   */
  public boolean mayView(Actor actor, ClusterId id) {
    return inventory.find(id.value()).map(c -> guard.mayView(actor, Guard.ref(c))).orElse(false);
  }

  /** One cluster; {@link Refusal.ClusterNotFound} when it does not exist or is not visible. */
  public ObCluster view(Actor actor, ClusterId id) {
    Guard.Scope scope = new Guard.Scope();
    return guard.act(
        actor, "cluster.view", scope, () -> guard.visible(actor, id.value(), id.toString(), scope));
  }

  /**
   * The cluster a person named: its id (the one spelling of ids) or its name. A name the actor may
   * not view is refused like one that does not exist.
   */
  public ClusterId resolve(Actor actor, String idOrName) {
    Guard.Scope scope = new Guard.Scope();
    return guard.act(
        actor,
        "cluster.view",
        scope,
        () -> {
          String key = idOrName == null ? "" : idOrName.strip();
          if (Ids.isId(key)) {
            return new ClusterId(guard.visible(actor, Long.parseLong(key), key, scope).id());
          }
          if (!NAME.matcher(key).matches()) {
            throw new Refused(new Refusal.Malformed("cluster", key, Refusal.Expected.CLUSTER));
          }
          ObCluster named =
              inventory.all().stream()
                  .filter(c -> c.name().equals(key))
                  .findFirst()
                  .orElseThrow(() -> new Refused(new Refusal.ClusterNotFound(key)));
          return new ClusterId(guard.visible(actor, named.id(), key, scope).id());
        });
  }

  /**
   * Up to 25 clusters the actor may view whose id starts with, or name contains, {@code partial}
   * (case-insensitive), for autocompletion.
   */
  public List<ObCluster> suggest(Actor actor, String partial) {
    String p = partial == null ? "" : partial.strip().toLowerCase(Locale.ROOT);
    return guard.visibleClusters(actor).stream()
        .filter(
            c ->
                p.isEmpty()
                    || String.valueOf(c.id()).startsWith(p)
                    || c.name().toLowerCase(Locale.ROOT).contains(p))
        .limit(25)
        .toList();
  }
}
