package io.obops.access;

import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code obops.api.*}: the REST API's bearer tokens. Also read from {@code config/api-tokens.yml}
 * when that file exists (see {@code config/api-tokens.example.yml}).
 *
 * @param tokens one entry per client: {@code name} (the principal becomes {@code api:<name>}) and
 *     {@code sha256}, the hex SHA-256 of the token. With no tokens, every API call gets 401.
 */
@ConfigurationProperties("obops.api")
public record ApiTokenProperties(@DefaultValue List<Token> tokens) {

  /** One client's token, by hash only. */
  public record Token(String name, String sha256) {}
}
