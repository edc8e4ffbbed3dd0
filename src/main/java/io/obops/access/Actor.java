package io.obops.access;

import java.util.Objects;
import java.util.Set;

/**
 * Someone acting now: their principal, the role principals the surface vouches for at this moment
 * (for Discord, the {@code discord-role:<id>}s in the interaction's payload; empty elsewhere), and
 * the surface they act from. The surface adapter builds it from an authenticated source; nothing
 * here trusts user input.
 */
public record Actor(String principal, Set<String> rolePrincipals, Surface surface) {

  public Actor {
    Principals.require(principal);
    if (principal.startsWith("discord-role:")) {
      throw new IllegalArgumentException("a role (" + principal + ") cannot act; a user does");
    }
    rolePrincipals = Set.copyOf(rolePrincipals);
    for (String role : rolePrincipals) {
      if (!Principals.isDiscordRole(role)) {
        throw new IllegalArgumentException(
            "role principal '" + role + "' must have the form discord-role:<id>");
      }
    }
    Objects.requireNonNull(surface, "surface");
  }

  public static Actor api(String name) {
    return new Actor("api:" + name, Set.of(), Surface.API);
  }

  public static Actor web(String name) {
    return new Actor("web:" + name, Set.of(), Surface.WEB);
  }

  public static Actor discord(String userId, Set<String> roleIds) {
    return new Actor(
        "discord-user:" + userId,
        roleIds.stream()
            .map(id -> "discord-role:" + id)
            .collect(java.util.stream.Collectors.toSet()),
        Surface.DISCORD);
  }
}
