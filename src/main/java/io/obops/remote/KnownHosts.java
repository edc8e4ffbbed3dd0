package io.obops.remote;

import io.obops.remote.RemoteExecutionException.Reason;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
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
      byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
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
      if (verdict != Verdict.TRUSTED) {
        verdict = verdict(reparse(current), hostname, port, key);
      }
      if (verdict == Verdict.TRUSTED) {
        return true;
      }
      String type = KeyType.fromKey(key).toString();
      String seen = type + " key " + fingerprint(key);
      String name = entryName(hostname, port);
      refusal =
          verdict == Verdict.CHANGED
              ? new RemoteExecutionException(
                  Reason.HOST_KEY_CHANGED,
                  "host key of "
                      + hostname
                      + " (port "
                      + port
                      + ") has CHANGED: the server presented "
                      + seen
                      + ", which does not match the entry for "
                      + name
                      + " in "
                      + file
                      + ". This is either a reinstalled host or a man-in-the-middle; verify the new"
                      + " key out of band before replacing the entry",
                  null)
              : new RemoteExecutionException(
                  Reason.HOST_KEY_UNKNOWN,
                  "host key of "
                      + hostname
                      + " (port "
                      + port
                      + ") is unknown: the server presented "
                      + seen
                      + " and "
                      + file
                      + " has no entry for "
                      + name
                      + ". Verify the fingerprint out of band, then add the key (e.g. ssh-keyscan -p "
                      + port
                      + " "
                      + hostname
                      + ")",
                  null);
      return false;
    }

    @Override
    public List<String> findExistingAlgorithms(String hostname, int port) {
      return parsed.findExistingAlgorithms(hostname, port);
    }
  }

  private enum Verdict {
    TRUSTED,
    UNKNOWN,
    CHANGED
  }

  private static Verdict verdict(OpenSSHKnownHosts hosts, String host, int port, PublicKey key) {
    KeyType type = KeyType.fromKey(key);
    if (type == KeyType.UNKNOWN) {
      return Verdict.UNKNOWN;
    }
    String name = entryName(host, port);
    boolean hostKnown = false;
    for (KnownHostEntry entry : hosts.entries()) {
      try {
        if (entry.appliesTo(name)) {
          hostKnown = true;
          if (entry.appliesTo(type, name) && entry.verify(key)) {
            return Verdict.TRUSTED;
          }
        }
      } catch (IOException e) {
        // an entry we cannot evaluate (e.g. a malformed hashed name) trusts nothing
      }
    }
    return hostKnown ? Verdict.CHANGED : Verdict.UNKNOWN;
  }
}
