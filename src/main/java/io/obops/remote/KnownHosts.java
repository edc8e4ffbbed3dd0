package io.obops.remote;

import com.hierynomus.sshj.userauth.certificate.Certificate;
import io.obops.remote.RemoteExecutionException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts.KnownHostEntry;

/**
 * Strict host key checking against one OpenSSH known_hosts file, shared by all connections.
 *
 * <p>Markers, as OpenSSH reads them: a key on an {@code @revoked} line is refused for every host,
 * whatever that line's host pattern and whatever other line trusts the same key; for a host
 * certificate, that holds for the certified key and for the CA that signed it. A line {@code
 * @cert-authority <hosts> <CA key>} is supported: a host whose pattern matches may present a host
 * certificate signed by that CA. sshj checks the certificate itself during key exchange (its
 * signature, its validity period, and that its principals name the host as obops addresses it, i.e.
 * the inventory's ip); a certificate from a CA not listed for the host falls back to its plain key,
 * which then needs a plain line. A CA key is never accepted as a plain host key.
 *
 * <p>The file is parsed again when its size or modification time changed since the last parse (one
 * stat per new connection), and once more before a key is refused: an operator's edit, whether it
 * adds a key or removes one, applies to the next connection without a restart, and a pool of
 * hundreds of connections does not re-read an unchanged file for every host.
 */
final class KnownHosts {

  private final Path file;
  private volatile OpenSSHKnownHosts parsed;
  private volatile String parsedVersion;

  KnownHosts(Path file) {
    this.file = file;
    this.parsedVersion = version();
    this.parsed = parse();
  }

  Path file() {
    return file;
  }

  /** A verifier for one connection attempt; it remembers why it refused a key. */
  Check newCheck() {
    if (!version().equals(parsedVersion)) {
      reparse(parsed);
    }
    return new Check();
  }

  /** Size, modification time and inode: changes whenever the file is edited or replaced. */
  private String version() {
    try {
      BasicFileAttributes a = Files.readAttributes(file, BasicFileAttributes.class);
      return a.size() + "/" + a.lastModifiedTime().toMillis() + "/" + a.fileKey();
    } catch (IOException e) {
      return "missing";
    }
  }

  private OpenSSHKnownHosts parse() {
    try {
      return new OpenSSHKnownHosts(file.toFile());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read known_hosts file " + file, e);
    }
  }

  private synchronized OpenSSHKnownHosts reparse(OpenSSHKnownHosts seen) {
    if (parsed == seen) {
      parsedVersion = version();
      parsed = parse();
    }
    return parsed;
  }

  /** The OpenSSH fingerprint of a key: {@code SHA256:} and the unpadded base64 digest. */
  static String fingerprint(PublicKey key) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob(key));
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** known_hosts names a host on a port other than 22 as {@code [ip]:port}. */
  private static String entryName(String host, int port) {
    String lower = host.toLowerCase(Locale.ROOT);
    return port == 22 ? lower : "[" + lower + "]:" + port;
  }

  final class Check implements HostKeyVerifier {

    private volatile RemoteExecutionException refusal;

    /** Why the key was refused, or null when it was not (or not checked yet). */
    RemoteExecutionException refusal() {
      return refusal;
    }

    @Override
    public boolean verify(String hostname, int port, PublicKey key) {
      OpenSSHKnownHosts current = parsed;
      Verdict verdict = verdict(current, hostname, port, key);
      if (verdict.kind() != Kind.TRUSTED) {
        verdict = verdict(reparse(current), hostname, port, key);
      }
      if (verdict.kind() == Kind.TRUSTED) {
        return true;
      }
      refusal = refusalFor(verdict, hostname, port, key);
      return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
      return parsed.findExistingAlgorithms(hostname, port);
    }
  }

  private RemoteExecutionException refusalFor(Verdict v, String host, int port, PublicKey key) {
    PublicKey plain = plainKey(key);
    String seen =
        KeyType.fromKey(plain)
            + " key "
            + fingerprint(plain)
            + (key instanceof Certificate<?> c
                ? " (in a host certificate signed by CA " + fingerprint(caKey(c)) + ")"
                : "");
    String name = entryName(host, port);
    String where = "host key of " + host + " (port " + port + ")";
    return switch (v.kind()) {
      case REVOKED ->
          new RemoteExecutionException(
              Reason.HOST_KEY_REVOKED,
              where
                  + " is REVOKED: the server presented "
                  + seen
                  + ", and "
                  + file
                  + " marks "
                  + v.detail()
                  + " @revoked. Never connect with a revoked key; give the host a new key and add"
                  + " it to "
                  + file
                  + " after verifying it out of band",
              null);
      case CHANGED ->
          new RemoteExecutionException(
              Reason.HOST_KEY_CHANGED,
              where
                  + " has CHANGED: the server presented "
                  + seen
                  + ", which does not match the entry for "
                  + name
                  + " in "
                  + file
                  + ". This is either a reinstalled host or a man-in-the-middle; verify the new"
                  + " key out of band before replacing the entry",
              null);
      default ->
          new RemoteExecutionException(
              Reason.HOST_KEY_UNKNOWN,
              where
                  + " is unknown: the server presented "
                  + seen
                  + " and "
                  + file
                  + " has no entry for "
                  + name
                  + (key instanceof Certificate<?>
                      ? " and lists that CA as no @cert-authority for it"
                      : "")
                  + ". Verify the fingerprint out of band, then add the key (e.g. ssh-keyscan -p "
                  + port
                  + " "
                  + host
                  + ")",
              null);
    };
  }

  private enum Kind {
    TRUSTED,
    UNKNOWN,
    CHANGED,
    REVOKED
  }

  /** A verdict; for REVOKED, which key the file revokes (for the message). */
  private record Verdict(Kind kind, String detail) {
    static final Verdict TRUSTED = new Verdict(Kind.TRUSTED, null);
    static final Verdict UNKNOWN = new Verdict(Kind.UNKNOWN, null);
    static final Verdict CHANGED = new Verdict(Kind.CHANGED, null);
  }

  private static final String REVOKED_MARKER = "@revoked";
  private static final String CA_MARKER = "@cert-authority";

  private static Verdict verdict(OpenSSHKnownHosts hosts, String host, int port, PublicKey key) {
    PublicKey plain = plainKey(key);
    KeyType type = KeyType.fromKey(plain);
    if (type == KeyType.UNKNOWN) {
      return Verdict.UNKNOWN;
    }
    Certificate<?> certificate = key instanceof Certificate<?> c ? c : null;
    PublicKey ca = certificate == null ? null : caKey(certificate);
    // @revoked wins over everything, for every host
    for (KnownHostEntry entry : hosts.entries()) {
      if (marker(entry).equals(REVOKED_MARKER)) {
        byte[] revoked = lineKey(entry);
        if (Arrays.equals(revoked, blob(plain))) {
          return new Verdict(Kind.REVOKED, "that key (" + fingerprint(plain) + ")");
        }
        if (ca != null && Arrays.equals(revoked, blob(ca))) {
          return new Verdict(Kind.REVOKED, "its CA (" + fingerprint(ca) + ")");
        }
      }
    }
    String name = entryName(host, port);
    if (ca != null) {
      for (KnownHostEntry entry : hosts.entries()) {
        try {
          if (marker(entry).equals(CA_MARKER)
              && entry.appliesTo(name)
              && Arrays.equals(lineKey(entry), blob(ca))) {
            return Verdict.TRUSTED;
          }
        } catch (IOException e) {
          // an entry we cannot evaluate (e.g. a malformed hashed name) trusts nothing
        }
      }
    }
    boolean hostKnown = false;
    for (KnownHostEntry entry : hosts.entries()) {
      if (!marker(entry).isEmpty()) {
        continue; // a CA key is no host key; revoked lines were handled above
      }
      try {
        if (entry.appliesTo(name)) {
          hostKnown = true;
          if (entry.appliesTo(type, name) && entry.verify(plain)) {
            return Verdict.TRUSTED;
          }
        }
      } catch (IOException e) {
        // an entry we cannot evaluate (e.g. a malformed hashed name) trusts nothing
      }
    }
    return hostKnown ? Verdict.CHANGED : Verdict.UNKNOWN;
  }

  /** "@revoked", "@cert-authority" or "" for a plain line. */
  private static String marker(KnownHostEntry entry) {
    String line = entry.getLine();
    if (line == null || !line.startsWith("@")) {
      return "";
    }
    int space = line.indexOf(' ');
    return space < 0 ? line : line.substring(0, space);
  }

  /** The key blob of a marked line ({@code @marker hosts type base64 ...}); empty if unreadable. */
  private static byte[] lineKey(KnownHostEntry entry) {
    String[] f = entry.getLine().strip().split("\\s+");
    try {
      return f.length >= 4 ? Base64.getDecoder().decode(f[3]) : new byte[0];
    } catch (IllegalArgumentException e) {
      return new byte[0];
    }
  }

  private static PublicKey plainKey(PublicKey key) {
    return key instanceof Certificate<?> c ? c.getKey() : key;
  }

  private static PublicKey caKey(Certificate<?> certificate) {
    try {
      return new Buffer.PlainBuffer(certificate.getSignatureKey()).readPublicKey();
    } catch (Buffer.BufferException e) {
      throw new IllegalArgumentException("unreadable CA key in a host certificate", e);
    }
  }

  private static byte[] blob(PublicKey key) {
    return new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
  }
}
