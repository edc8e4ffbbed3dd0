package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.sandbox.Sandbox;
import java.nio.file.Path;
import java.time.Duration;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.transport.Reader;
import org.junit.jupiter.api.Test;

/**
 * obops replaces sshj's transport reader (src/main/java/net/schmizz/sshj/transport/Reader.java) so
 * that a pooled connection does not hold a 256 KiB buffer for life: this is the one that runs, it
 * carries whole outputs of any size, and it was written against the sshj version in use.
 */
class SshjReceiveBufferTest {

  @Test
  void theReaderSshjRunsIsObopsOwnWithASmallBuffer() throws Exception {
    Path reader = Path.of(Reader.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path sshj =
        Path.of(SSHClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());

    assertThat(reader).isNotEqualTo(sshj);
    assertThat(SshRemoteShell.receiveBufferBytes()).isEqualTo(16 * 1024);
  }

  @Test
  void theReplacedReaderWasWrittenForTheSshjVersionInUse() {
    assertThat(SSHClient.class.getProtectionDomain().getCodeSource().getLocation().getPath())
        .as(
            "sshj changed: compare its net/schmizz/sshj/transport/Reader.java with obops's copy,"
                + " carry the change over, then update this version")
        .endsWith("/sshj-0.40.0.jar");
  }

  @Test
  void outputsFarLargerThanTheBufferArriveWhole() throws Exception {
    try (Sandbox sandbox =
            Sandbox.builder().zones(1).serversPerZone(1).startObservers(false).start();
        SshRemoteShell shell = new SshRemoteShell(TestSettings.ssh(sandbox))) {
      RemoteHost host = RemoteHost.of(sandbox.servers().get(0));

      CommandResult result =
          shell.run(
              host,
              "head -c 3000000 /dev/zero | tr '\\0' x; echo; echo done",
              Duration.ofSeconds(60));

      assertThat(result.exitStatus()).isZero();
      assertThat(result.stdout()).hasSize(3_000_000 + "\ndone\n".length());
      assertThat(result.stdout()).startsWith("xxxx").endsWith("x\ndone\n");
      assertThat(result.stdout().chars().filter(c -> c == 'x').count()).isEqualTo(3_000_000);
    }
  }
}
