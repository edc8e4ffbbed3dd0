package io.obops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The sandbox's private keys are owner-only from the moment their file exists. */
class SandboxKeyFilesTest {

  @TempDir Path dir;

  private static String mode(Path file) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(file));
  }

  @Test
  void aSecretFileIsCreatedOwnerOnlyBeforeAByteIsWrittenEvenOverAWideLeftover() throws Exception {
    Path leftover = dir.resolve("id.tmp");
    Files.writeString(leftover, "half a key");
    Files.setPosixFilePermissions(leftover, PosixFilePermissions.fromString("rw-r--r--"));

    Path created = SandboxKeys.ownerOnlyFile(leftover);

    assertThat(Files.size(created)).isZero();
    assertThat(mode(created)).isEqualTo("rw-------");
  }

  @Test
  void everyPrivateKeyOfAKeptSandboxIsOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
    Path base = dir.resolve("sandbox");
    for (int start = 0; start < 2; start++) { // created, then reused
      try (Sandbox sandbox =
          Sandbox.builder()
              .zones(1)
              .serversPerZone(2)
              .baseDir(base)
              .startObservers(false)
              .clientKeyPassphrase("pass phrase")
              .start()) {
        Path ssh = sandbox.clientPrivateKey().getParent();
        assertThat(mode(ssh)).isEqualTo("rwx------");
        List<Path> files;
        try (Stream<Path> list = Files.list(ssh)) {
          files = list.toList();
        }
        List<Path> secrets =
            files.stream()
                .filter(
                    f -> f.toString().endsWith(".keypair") || f.equals(sandbox.clientPrivateKey()))
                .toList();
        assertThat(secrets).hasSize(4); // client key, its kept pair, two host key pairs
        for (Path secret : secrets) {
          assertThat(mode(secret)).as(secret.toString()).isEqualTo("rw-------");
        }
        assertThat(files).noneMatch(f -> f.toString().endsWith(".tmp"));
      }
    }
  }
}
