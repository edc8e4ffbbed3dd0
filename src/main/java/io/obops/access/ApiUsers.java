package io.obops.access;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The REST API's HTTP Basic users ({@code obops.api.users}): names with password hashes only, in
 * the console's format ({@code {bcrypt}$2a$…}). A user acts as {@code api:<name>}. An unknown name
 * costs the same hash check as a known one, so timing does not tell which names exist. Passwords
 * are never stored, logged or returned.
 */
public final class ApiUsers {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern HASH = Pattern.compile("\\{[a-z0-9]+\\}.+");

  private final PasswordEncoder encoder =
      PasswordEncoderFactories.createDelegatingPasswordEncoder();
  private final Map<String, String> hashes = new HashMap<>();
  private final String unknownUserHash;

  public ApiUsers(List<ApiTokenProperties.User> users) {
    for (int i = 0; i < users.size(); i++) {
      ApiTokenProperties.User u = users.get(i);
      String entry = "obops.api.users[" + i + "]";
      if (u.name() == null || !NAME.matcher(u.name()).matches()) {
        throw new AccessConfigException(
            entry + ": field 'name' is '" + u.name() + "'; use letters, digits, . _ - (1-64)");
      }
      if (u.passwordHash() == null || !HASH.matcher(u.passwordHash()).matches()) {
        throw new AccessConfigException(
            entry
                + " (name "
                + u.name()
                + "): field 'password-hash' must be a hash with its encoder id, e.g."
                + " {bcrypt}$2a$10$... (htpasswd -nbBC 10 '' \"$PASSWORD\" | cut -d: -f2);"
                + " never the password itself");
      }
      if (hashes.put(u.name(), u.passwordHash()) != null) {
        throw new AccessConfigException(entry + ": field 'name' repeats '" + u.name() + "'");
      }
    }
    this.unknownUserHash = encoder.encode("no such user " + System.nanoTime());
  }

  /** The principal ({@code api:<name>}) when the password matches the user's hash. */
  public Optional<String> principal(String name, String password) {
    String hash = name == null ? null : hashes.get(name);
    boolean matches;
    try {
      matches =
          encoder.matches(password == null ? "" : password, hash == null ? unknownUserHash : hash);
    } catch (IllegalArgumentException e) { // an encoder id this build does not know
      matches = false;
    }
    return matches && hash != null ? Optional.of("api:" + name) : Optional.empty();
  }

  /**
   * Whether {@code name} is a configured user (for the audit's principal, never for the answer).
   */
  public boolean exists(String name) {
    return name != null && hashes.containsKey(name);
  }

  public int size() {
    return hashes.size();
  }
}
