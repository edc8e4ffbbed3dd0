package io.obops.chat.web;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code obops.console.*}: the web console.
 *
 * @param enabled serve the console at {@code /} (default true). Outside the embedded default it
 *     needs {@code users}; without any, it is switched off.
 * @param users who may log in outside the embedded default: {@code {name, password-hash}} with a
 *     BCrypt hash ({@code {bcrypt}$2a$…}); {@code name} acts as principal {@code web:<name>}. In
 *     the embedded default nobody logs in: the page's identity picker offers the access file's
 *     {@code web:} principals.
 */
@ConfigurationProperties("obops.console")
public record ConsoleProperties(@DefaultValue("true") boolean enabled, List<User> users) {

  /** A console login. */
  public record User(String name, String passwordHash) {}

  public ConsoleProperties {
    users = users == null ? List.of() : List.copyOf(users);
  }
}
