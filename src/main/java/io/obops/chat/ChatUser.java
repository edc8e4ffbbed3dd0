package io.obops.chat;

import io.obops.access.Actor;
import io.obops.access.Surface;
import java.util.Objects;
import java.util.Set;

/**
 * The person behind a command or a click, as the adapter authenticated them.
 *
 * @param principal {@code discord-user:<id>} or {@code web:<name>}
 * @param rolePrincipals the roles the platform vouches for in this very interaction ({@code
 *     discord-role:<id>} from the member in the interaction payload); empty on the web console
 * @param displayName how to name them in text ("alice", a Discord global name)
 * @param mention how to mention them on this platform ({@code <@123>}, {@code @alice}); what the
 *     core puts in messages that should notify them
 */
public record ChatUser(
    String principal, Set<String> rolePrincipals, String displayName, String mention) {

  public ChatUser {
    Objects.requireNonNull(principal, "principal");
    rolePrincipals = Set.copyOf(rolePrincipals);
    displayName = displayName == null || displayName.isBlank() ? principal : displayName;
    mention = mention == null || mention.isBlank() ? displayName : mention;
  }

  /** The access layer's view of this user acting from a surface. */
  public Actor actor(Surface surface) {
    return new Actor(principal, rolePrincipals, surface);
  }
}
