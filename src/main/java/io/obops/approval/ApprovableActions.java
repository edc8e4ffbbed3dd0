package io.obops.approval;

import io.obops.core.Refusal;
import io.obops.core.Refused;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The approvable actions by name, as the composition root registers them. */
public final class ApprovableActions {

  private final Map<String, ApprovableAction> byName = new LinkedHashMap<>();

  public ApprovableActions(List<ApprovableAction> actions) {
    for (ApprovableAction a : actions) {
      if (byName.put(a.name(), a) != null) {
        throw new IllegalArgumentException("two approvable actions are named " + a.name());
      }
    }
  }

  public Optional<ApprovableAction> find(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /** The action, or a refusal naming the known ones. */
  public ApprovableAction require(String name) {
    return find(name)
        .orElseThrow(
            () ->
                new Refused(
                    new Refusal.UnknownValue("action", name, List.copyOf(byName.keySet()))));
  }

  /** The action of a stored request (registered when it was made). */
  ApprovableAction of(String name) {
    return find(name)
        .orElseThrow(() -> new IllegalStateException("no approvable action '" + name + "'"));
  }
}
