package io.obops.access;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

/**
 * The REST API's HTTP Basic users ({@code obops.api.users}): names with password hashes only, in
 * the console's format ({@code {bcrypt}$2a$…}). A user acts as {@code api:<name>}. An unknown name
 * costs a bcrypt check at the configured cost, as a known one does, so timing does not tell which
 * names exist. Passwords are never stored, logged or returned.
 */
public final class ApiUsers {

  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern HASH = Pattern.compile("\\{[a-z0-9]+\\}.+");
  private static final Pattern BCRYPT_COST =
      Pattern.compile("\\{bcrypt\\}\\$2[aby]?\\$(0[4-9]|[12][0-9]|3[01])\\$.*");

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
    this.unknownUserHash = decoy(users);
  }

  /**
   * The hash an unknown name is checked against: bcrypt at the cost of the first configured bcrypt
   * hash, so an unknown name takes as long as a known one.
   */
  private static String decoy(List<ApiTokenProperties.User> users) {
    int cost = 10;
    for (ApiTokenProperties.User u : users) {
      Matcher m = BCRYPT_COST.matcher(u.passwordHash());
      if (m.matches()) {
        cost = Integer.parseInt(m.group(1));
        break;
      }
    }
    return "{bcrypt}" + new BCryptPasswordEncoder(cost).encode("no such user " + System.nanoTime());
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
