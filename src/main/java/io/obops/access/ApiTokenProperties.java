package io.obops.access;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code obops.api.*}: the REST API's credentials, three schemes that each stand for a principal
 * {@code api:<name>}. Also read from {@code config/api-tokens.yml} when that file exists (see
 * {@code config/api-tokens.example.yml}). With none configured, every API call gets 401.
 *
 * @param tokens bearer tokens: {@code name} and {@code sha256}, the hex SHA-256 of the token.
 * @param users HTTP Basic users, as the console's: {@code name} and {@code password-hash}, the
 *     password's hash with its encoder id ({@code {bcrypt}$2a$…}), never the password.
 * @param accessKeys OCP's signed access keys ({@code Authorization: OCP-ACCESS-KEY-HMACSHA1
 *     <id>:<signature>}): {@code id} (what the client sends), {@code name} (the principal becomes
 *     {@code api:<name>}), and where the secret is, exactly one of {@code secret-file} (a file
 *     holding only the secret) or {@code secret-env} (an environment variable's name). The secret
 *     itself never appears in the configuration.
 */
@ConfigurationProperties("obops.api")
public record ApiTokenProperties(
    @DefaultValue List<Token> tokens,
    @DefaultValue List<User> users,
    @DefaultValue List<AccessKey> accessKeys) {

  public ApiTokenProperties {
    tokens = tokens == null ? List.of() : List.copyOf(tokens);
    users = users == null ? List.of() : List.copyOf(users);
    accessKeys = accessKeys == null ? List.of() : List.copyOf(accessKeys);
  }

  /** One client's token, by hash only. */
  public record Token(String name, String sha256) {}

  /** One HTTP Basic user, by password hash only. */
  public record User(String name, String passwordHash) {
    @Override
    public String toString() {
      return "User[" + name + "]";
    }
  }

  /** One OCP access key: its id, its principal's name, and where its secret is read from. */
  public record AccessKey(String id, String name, String secretFile, String secretEnv) {}
}
