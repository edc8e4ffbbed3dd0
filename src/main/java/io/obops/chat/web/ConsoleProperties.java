package io.obops.chat.web;

import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code obops.console.*}: the web console.
 *
 * @param enabled serve the console at {@code /} (default true). It also needs {@code users} or
 *     {@code identity-picker}; with neither it is off (its paths answer 403).
 * @param users who may log in: {@code {name, password-hash}} with a BCrypt hash ({@code
 *     {bcrypt}$2a$…}); {@code name} acts as principal {@code web:<name>}. When any user is
 *     configured, every console call needs an HTTP Basic login, whatever {@code identity-picker}
 *     and {@code obops.embedded} say.
 * @param identityPicker without {@code users}: serve the console with no login, and let people pick
 *     who they are among the access file's {@code web:} principals (default false; the embedded
 *     default's preset turns it on, together with {@code server.address=127.0.0.1}). Anyone who
 *     reaches the port acts as anyone, so keep the server on loopback.
 * @param allowedHosts host names (without port) the console answers to, besides the loopback names
 *     it always accepts ({@code localhost}, {@code *.localhost}, {@code 127.x.x.x}, {@code [::1]}).
 *     A console call whose {@code Host} header names anything else is refused (403), which defeats
 *     DNS rebinding; a state-changing call whose {@code Origin} is not the console's own is refused
 *     too. Behind a name, e.g. {@code obops.example.com}, list that name here.
 */
@Validated
@ConfigurationProperties("obops.console")
public record ConsoleProperties(
    @DefaultValue("true") boolean enabled,
    @NotNull @DefaultValue List<@Valid User> users,
    @DefaultValue("false") boolean identityPicker,
    @NotNull @DefaultValue
        List<
                @Pattern(
                    regexp = "[A-Za-z0-9]([A-Za-z0-9.-]{0,251}[A-Za-z0-9])?",
                    message =
                        "must be a host name or IPv4 address without port, e.g. obops.example.com")
                String>
            allowedHosts) {

  /**
   * A console login.
   *
   * @param name the user name; the user acts as {@code web:<name>}
   * @param passwordHash the password's hash with its encoder id, e.g. {@code {bcrypt}$2a$10$…};
   *     never the password itself
   */
  public record User(
      @NotNull
          @Pattern(
              regexp = "[A-Za-z0-9._-]{1,64}",
              message = "must be 1-64 letters, digits, '.', '_' or '-' (the principal web:<name>)")
          String name,
      @NotBlank
          @Pattern(
              regexp = "\\{[a-z0-9]+\\}.+",
              message = "must be a hash with its encoder id, e.g. {bcrypt}$2a$10$...")
          String passwordHash) {

    @Override
    public String toString() {
      return "User[" + name + "]";
    }
  }

  public ConsoleProperties {
    users = users == null ? List.of() : List.copyOf(users);
    allowedHosts =
        allowedHosts == null
            ? List.of()
            : allowedHosts.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList();
  }

  /** Logins are configured: every console call needs one. */
  boolean loginsRequired() {
    return !users.isEmpty();
  }

  /** The console runs without logins, people pick who they are. */
  boolean picksIdentity() {
    return identityPicker && users.isEmpty();
  }
}
