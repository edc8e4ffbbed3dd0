package io.obops.remote;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;

/**
 * The private key obops logs in with: a key file, or the key's PEM text (e.g. taken from an
 * environment variable), optionally encrypted with a passphrase.
 *
 * <p>Holds secrets: {@link #toString()} names only where the key came from, never its content or
 * the passphrase.
 */
public final class SshIdentity {

  private final Path file;
  private final String pem;
  private final String source;
  private final char[] passphrase;

  private SshIdentity(Path file, String pem, String source, char[] passphrase) {
    this.file = file;
    this.pem = pem;
    this.source = source;
    this.passphrase = passphrase == null ? null : passphrase.clone();
  }

  /** A private key file (OpenSSH, PEM or PKCS#8); {@code passphrase} may be null. */
  public static SshIdentity fromFile(Path file, char[] passphrase) {
    return new SshIdentity(
        Objects.requireNonNull(file, "private key file"), null, "file " + file, passphrase);
  }

  /**
   * A private key given as text; {@code source} says where it came from for messages (e.g. {@code
   * "environment variable OBOPS_SSH_KEY"}); {@code passphrase} may be null.
   */
  public static SshIdentity fromPem(String pem, String source, char[] passphrase) {
    if (pem == null || pem.isBlank()) {
      throw new IllegalArgumentException("no private key text in " + source);
    }
    return new SshIdentity(null, pem, source, passphrase);
  }

  /** The key file, or null when the key is given as text. */
  Path file() {
    return file;
  }

  /** The key text, or null when the key is a file. */
  String pem() {
    return pem;
  }

  /** A copy of the passphrase, or null. */
  char[] passphrase() {
    return passphrase == null ? null : passphrase.clone();
  }

  boolean hasPassphrase() {
    return passphrase != null && passphrase.length > 0;
  }

  /** Where the key comes from, safe to print. */
  public String source() {
    return source;
  }

  @Override
  public String toString() {
    return "SshIdentity[" + source + (hasPassphrase() ? ", with passphrase" : "") + "]";
  }

  /** Overwrites the passphrase copy this object holds. */
  void wipe() {
    if (passphrase != null) {
      Arrays.fill(passphrase, '\0');
    }
  }
}
