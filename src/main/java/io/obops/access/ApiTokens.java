package io.obops.access;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The REST API's bearer tokens. Only SHA-256 hashes are configured ({@code obops.api.tokens}); a
 * presented token is hashed and compared with every configured hash in constant time, without
 * stopping at the first match, so timing tells nothing about which hash was close. A match yields
 * the principal {@code api:<name>}. Tokens themselves are never stored, logged or returned.
 */
public final class ApiTokens {

  private static final Pattern HEX64 = Pattern.compile("[0-9a-fA-F]{64}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private record Entry(String name, byte[] hash) {}

  private final List<Entry> entries;

  public ApiTokens(List<ApiTokenProperties.Token> tokens) {
    var list = new java.util.ArrayList<Entry>();
    var names = new java.util.HashSet<String>();
    for (int i = 0; i < tokens.size(); i++) {
      ApiTokenProperties.Token t = tokens.get(i);
      String entry = "obops.api.tokens[" + i + "]";
      if (t.name() == null || !NAME.matcher(t.name()).matches()) {
        throw new AccessConfigException(
            entry + ": field 'name' is '" + t.name() + "'; use letters, digits, . _ - (1-64)");
      }
      if (t.sha256() == null || !HEX64.matcher(t.sha256()).matches()) {
        throw new AccessConfigException(
            entry
                + " (name "
                + t.name()
                + "): field 'sha256' must be 64 hex digits, the SHA-256 of the token (e.g."
                + " printf %s \"$TOKEN\" | sha256sum); never the token itself");
      }
      if (!names.add(t.name())) {
        throw new AccessConfigException(entry + ": field 'name' repeats '" + t.name() + "'");
      }
      list.add(new Entry(t.name(), HexFormat.of().parseHex(t.sha256().toLowerCase())));
    }
    this.entries = List.copyOf(list);
  }

  /** The principal ({@code api:<name>}) a presented token stands for, if any. */
  public Optional<String> principal(String presentedToken) {
    if (presentedToken == null || presentedToken.isEmpty()) {
      return Optional.empty();
    }
    byte[] hash = sha256(presentedToken);
    String match = null;
    for (Entry e : entries) {
      if (MessageDigest.isEqual(hash, e.hash()) && match == null) {
        match = e.name();
      }
    }
    return Optional.ofNullable(match).map(n -> "api:" + n);
  }

  public int size() {
    return entries.size();
  }

  public static String sha256Hex(String token) {
    return HexFormat.of().formatHex(sha256(token));
  }

  private static byte[] sha256(String token) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
