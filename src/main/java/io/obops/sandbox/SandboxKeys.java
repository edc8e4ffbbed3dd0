package io.obops.sandbox;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PublicKey;
import java.security.spec.ECGenParameterSpec;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.PublicKeyEntry;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyEncryptionContext;
import org.apache.sshd.common.config.keys.writer.openssh.OpenSSHKeyPairResourceWriter;

/** Key pairs and key files for the sandbox: ECDSA P-256, OpenSSH formats. */
final class SandboxKeys {

  private SandboxKeys() {}

  /**
   * The key pair kept in {@code file} (PKCS#8 and X.509, DER, base64 on two lines), generated and
   * written there (owner-only) the first time: a persistent sandbox keeps its keys across restarts.
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
      writeAtomically(
          file,
          encoder.encodeToString(pair.getPrivate().getEncoded())
              + "\n"
              + encoder.encodeToString(pair.getPublic().getEncoded())
              + "\n");
      java.nio.file.Files.setPosixFilePermissions(
          file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
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
   * Writes the private key in OpenSSH format (mode 600), encrypted when {@code passphrase} is not
   * null, and the public key next to it as {@code <file>.pub}.
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
      Files.deleteIfExists(file);
      Files.createFile(
          file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      try (OutputStream out = Files.newOutputStream(file)) {
        OpenSSHKeyPairResourceWriter.INSTANCE.writePrivateKey(
            pair, "obops-sandbox", encryption, out);
      }
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

  /** Replaces {@code file} with {@code content} atomically. */
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
