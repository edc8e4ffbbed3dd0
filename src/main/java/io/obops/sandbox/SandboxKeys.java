package io.obops.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import java.util.Set;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** Key pairs and key files for the sandbox: ECDSA P-256, OpenSSH formats. */
final class SandboxKeys {

  private SandboxKeys() {}

  /**
   * The key pair kept in {@code file} (PKCS#8 and X.509, DER, base64 on two lines), generated and
   * written there the first time, created 0600: a persistent sandbox keeps its keys across
   * restarts.
   */
  static KeyPair kept(Path file) {
    try {
      if (java.nio.file.Files.exists(file)) {
        java.util.List<String> lines = java.nio.file.Files.readAllLines(file);
        var factory = java.security.KeyFactory.getInstance("EC");
        var decoder = java.util.Base64.getDecoder();
        return new KeyPair(
            factory.generatePublic(
                new java.security.spec.X509EncodedKeySpec(decoder.decode(lines.get(1)))),
            factory.generatePrivate(
                new java.security.spec.PKCS8EncodedKeySpec(decoder.decode(lines.get(0)))));
      }
      KeyPair pair = generate();
      var encoder = java.util.Base64.getEncoder();
      writeSecretAtomically(
          file,
          encoder.encodeToString(pair.getPrivate().getEncoded())
              + "\n"
              + encoder.encodeToString(pair.getPublic().getEncoded())
              + "\n");
      return pair;
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    } catch (java.security.GeneralSecurityException e) {
      throw new IllegalStateException("unreadable sandbox key " + file + ": delete it", e);
    }
  }

  static KeyPair generate() {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
      generator.initialize(new ECGenParameterSpec("secp256r1"));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot generate an EC key pair", e);
    }
  }

  /**
   * Writes the private key in OpenSSH format, encrypted when {@code passphrase} is not null, into a
   * file created 0600 and renamed into place; and the public key next to it as {@code <file>.pub}.
   */
  static void writeKeyPair(KeyPair pair, Path file, String passphrase) {
    OpenSSHKeyEncryptionContext encryption = null;
    if (passphrase != null) {
      encryption = new OpenSSHKeyEncryptionContext();
      encryption.setPassword(passphrase);
      encryption.setCipherName("AES");
      encryption.setCipherType("256");
      encryption.setCipherMode("CTR");
    }
    try {
      Path tmp = ownerOnlyFile(file.resolveSibling(file.getFileName() + ".tmp"));
      try (OutputStream out = Files.newOutputStream(tmp)) {
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(
            pair, "obops-sandbox", encryption, out);
      }
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      Files.writeString(
          file.resolveSibling(file.getFileName() + ".pub"),
          publicKeyLine(pair.getPublic()) + " obops-sandbox\n");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write key file " + file, e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encode key for " + file, e);
    }
  }

  /** {@code ecdsa-sha2-nistp256 AAAA...}, as in authorized_keys and known_hosts. */
  static String publicKeyLine(PublicKey key) {
    return PublicKeyEntry.toString(key);
  }

  /** The OpenSSH SHA256 fingerprint, as {@code ssh-keygen -l} prints it. */
  static String fingerprint(PublicKey key) {
    return KeyUtils.getFingerPrint(key);
  }

  /** Owner read and write only: how every private key file is created. */
  static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

  /** Owner read, write and search only: the sandbox's {@code ssh} folder. */
  static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");

  /**
   * Creates {@code file} empty with mode 0600 in the same system call (no window in which it has
   * the umask's wider mode), replacing a leftover of an interrupted write.
   */
  static Path ownerOnlyFile(Path file) throws IOException {
    Files.deleteIfExists(file);
    return Files.createFile(file, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
  }

  /**
   * Replaces {@code file} with secret {@code content} atomically: written to a temporary file that
   * is created 0600, then renamed over it.
   */
  static void writeSecretAtomically(Path file, String content) {
    try {
      Path tmp = ownerOnlyFile(file.resolveSibling(file.getFileName() + ".tmp"));
      Files.writeString(tmp, content);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }

  /** Replaces {@code file} with {@code content} atomically (not for secrets). */
  static void writeAtomically(Path file, String content) {
    try {
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, content);
      Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
