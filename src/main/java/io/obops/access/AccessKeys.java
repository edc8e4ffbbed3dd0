package io.obops.access;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * OCP's access keys ({@code obops.api.access-keys}): each key id stands for {@code api:<name>} and
 * has a secret read at start from a file or an environment variable, held only in memory, never
 * logged, compared only through HMACs. {@link #verify} checks a signed request: the key is known,
 * the {@code Date} is within {@link #MAX_SKEW} of the server's clock (the database's), and the
 * signature ({@link OcpSignature}) matches, compared in constant time.
 */
public final class AccessKeys {

  /** How far a request's {@code Date} may be from the server's clock. */
  public static final Duration MAX_SKEW = Duration.ofMinutes(15);

  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,128}");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern HEADER =
      Pattern.compile("(?i)" + OcpSignature.SCHEME + " +([^:\\s]+):(\\S+)\\s*");

  /** Why a signed request was refused. */
  public enum Failure {
    /** The Authorization header is not {@code OCP-ACCESS-KEY-HMACSHA1 <id>:<signature>}. */
    MALFORMED,
    /** No access key by that id. */
    UNKNOWN_KEY,
    /** No {@code Date} header. */
    NO_DATE,
    /** A {@code Date} that is not RFC 1123. */
    BAD_DATE,
    /** A {@code Date} more than {@link #MAX_SKEW} from the server's clock. */
    STALE_DATE,
    /** The signature does not match the request (wrong secret, or the request was changed). */
    BAD_SIGNATURE
  }

  /**
   * The outcome of a check. {@code principal} is the key's {@code api:<name>} once the key is known
   * (also on a later failure, for the audit); {@code failure} is null when the request is accepted.
   * {@code skew} is how far the Date was from the server's clock, when it was read; {@code
   * signature} the presented signature once it was compared.
   */
  public record Verdict(
      String keyId, String principal, Failure failure, Duration skew, String signature) {
    public boolean accepted() {
      return failure == null;
    }
  }

  private record Key(String name, byte[] secret) {
    @Override
    public String toString() {
      return "Key[" + name + "]";
    }
  }

  private final Map<String, Key> keys = new HashMap<>();

  public AccessKeys(List<ApiTokenProperties.AccessKey> configured) {
    this(configured, System::getenv);
  }

  /** With the environment given (tests). */
  public AccessKeys(List<ApiTokenProperties.AccessKey> configured, UnaryOperator<String> env) {
    for (int i = 0; i < configured.size(); i++) {
      ApiTokenProperties.AccessKey k = configured.get(i);
      String entry = "obops.api.access-keys[" + i + "]";
      if (k.id() == null || !ID.matcher(k.id()).matches()) {
        throw new AccessConfigException(
            entry + ": field 'id' is '" + k.id() + "'; use letters, digits, . _ - (1-128)");
      }
      entry += " (id " + k.id() + ")";
      if (k.name() == null || !NAME.matcher(k.name()).matches()) {
        throw new AccessConfigException(
            entry
                + ": field 'name' is '"
                + k.name()
                + "'; use letters, digits, . _ - (1-64), the principal becomes api:<name>");
      }
      if (keys.put(k.id(), new Key(k.name(), secret(entry, k, env))) != null) {
        throw new AccessConfigException(entry + ": field 'id' repeats '" + k.id() + "'");
      }
    }
  }

  private static byte[] secret(
      String entry, ApiTokenProperties.AccessKey k, UnaryOperator<String> env) {
    boolean file = k.secretFile() != null && !k.secretFile().isBlank();
    boolean variable = k.secretEnv() != null && !k.secretEnv().isBlank();
    if (file == variable) {
      throw new AccessConfigException(
          entry
              + ": give exactly one of 'secret-file' (a file holding only the secret) or"
              + " 'secret-env' (the name of an environment variable holding it); never the secret"
              + " itself");
    }
    String secret;
    if (file) {
      try {
        secret = Files.readString(Path.of(k.secretFile()), StandardCharsets.UTF_8);
      } catch (IOException | RuntimeException e) {
        throw new AccessConfigException(
            entry
                + ": field 'secret-file' "
                + k.secretFile()
                + " cannot be read ("
                + e.getClass().getSimpleName()
                + "); make it readable by obops");
      }
      secret = secret.replaceAll("[\\r\\n]+$", "");
    } else {
      secret = env.apply(k.secretEnv());
      if (secret == null) {
        throw new AccessConfigException(
            entry
                + ": field 'secret-env' names the environment variable "
                + k.secretEnv()
                + ", which is not set; set it in obops's environment");
      }
    }
    if (secret.isEmpty()) {
      throw new AccessConfigException(
          entry
              + ": the secret in "
              + (file ? "file " + k.secretFile() : "environment variable " + k.secretEnv())
              + " is empty");
    }
    return secret.getBytes(StandardCharsets.UTF_8);
  }

  /** Whether a header value uses this scheme (whatever its case). */
  public static boolean isScheme(String authorization) {
    return authorization != null
        && authorization.regionMatches(
            true, 0, OcpSignature.SCHEME + " ", 0, OcpSignature.SCHEME.length() + 1);
  }

  /**
   * Checks a request signed with {@code authorization} ({@code OCP-ACCESS-KEY-HMACSHA1
   * <id>:<signature>}) at the server's time {@code now}.
   */
  public Verdict verify(String authorization, OcpSignature.Request request, Instant now) {
    Matcher m = HEADER.matcher(authorization == null ? "" : authorization);
    if (!m.matches()) {
      return new Verdict(null, null, Failure.MALFORMED, null, null);
    }
    String id = m.group(1);
    Key key = keys.get(id);
    if (key == null) {
      return new Verdict(id, null, Failure.UNKNOWN_KEY, null, null);
    }
    String principal = "api:" + key.name();
    if (request.date() == null || request.date().isBlank()) {
      return new Verdict(id, principal, Failure.NO_DATE, null, null);
    }
    Instant date;
    try {
      date = ZonedDateTime.parse(request.date(), DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
    } catch (DateTimeParseException e) {
      return new Verdict(id, principal, Failure.BAD_DATE, null, null);
    }
    Duration skew = Duration.between(now, date);
    if (skew.abs().compareTo(MAX_SKEW) > 0) {
      return new Verdict(id, principal, Failure.STALE_DATE, skew, null);
    }
    byte[] presented = m.group(2).getBytes(StandardCharsets.US_ASCII);
    boolean same;
    try {
      same = matches(key, OcpSignature.stringToSign(request, true), presented);
      if (!same && OcpSignature.hasMixedCaseHeaderNames(request)) {
        same = matches(key, OcpSignature.stringToSign(request, false), presented);
      }
    } catch (IllegalArgumentException e) { // a query that does not decode cannot have been signed
      return new Verdict(id, principal, Failure.BAD_SIGNATURE, skew, null);
    }
    return new Verdict(id, principal, same ? null : Failure.BAD_SIGNATURE, skew, m.group(2));
  }

  private static boolean matches(Key key, String stringToSign, byte[] presented) {
    return MessageDigest.isEqual(
        OcpSignature.sign(key.secret(), stringToSign).getBytes(StandardCharsets.US_ASCII),
        presented);
  }

  public int size() {
    return keys.size();
  }
}
