package io.obops.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.cluster.ObServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The sandbox itself: what it builds and that it leaves nothing behind. */
class SandboxTest {

  @Test
  void buildsZonesOfServersWithOwnLoopbackAddressesListeningObserversAndTrustedHostKeys()
      throws Exception {
    try (Sandbox sandbox = Sandbox.builder().zones(2).serversPerZone(2).start()) {
      List<ObServer> servers = sandbox.servers();

      assertThat(servers)
          .extracting(ObServer::zoneName)
          .containsExactly("zone1", "zone1", "zone2", "zone2");
      assertThat(servers)
          .extracting(ObServer::ip)
          .doesNotHaveDuplicates()
          .allMatch(ip -> ip.startsWith("127."));
      assertThat(servers)
          .extracting(ObServer::sshUser)
          .containsOnly(System.getProperty("user.name"));
      String knownHosts = Files.readString(sandbox.knownHosts());
      for (ObServer s : servers) {
        assertThat(s.homePath()).startsWith(sandbox.baseDir().toString());
        assertThat(s.mysqlPort()).isEqualTo(2881);
        assertThat(s.rpcPort()).isEqualTo(2882);
        long pid = sandbox.runningObserverPid(s).orElseThrow();
        assertThat(Files.readString(sandbox.pidFile(s)).strip()).isEqualTo(Long.toString(pid));
        byte[] cmdline =
            Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(pid), "cmdline"));
        assertThat(new String(cmdline, StandardCharsets.UTF_8))
            .startsWith(s.homePath() + "/bin/observer\0");
        assertThat(sandbox.isListening(s, 2881)).isTrue();
        assertThat(sandbox.isListening(s, 2882)).isTrue();
        assertThat(knownHosts)
            .contains("[" + s.ip() + "]:" + s.sshPort() + " ecdsa-sha2-nistp256 ");
      }
    }
  }

  @Test
  void twoSandboxesAtOnceUseDifferentAddressBlocks() {
    try (Sandbox a = Sandbox.builder().zones(1).serversPerZone(1).startObservers(false).start();
        Sandbox b = Sandbox.builder().zones(1).serversPerZone(1).startObservers(false).start()) {
      String blockA = a.servers().get(0).ip().replaceAll("\\.\\d+$", "");
      String blockB = b.servers().get(0).ip().replaceAll("\\.\\d+$", "");
      assertThat(blockA).isNotEqualTo(blockB);
    }
  }

  @Test
  void closingLeavesNoProcessBehindAsPsSees() throws Exception {
    Sandbox sandbox = Sandbox.builder().zones(1).serversPerZone(3).start();
    ObServer server = sandbox.servers().get(0);
    long sleeper = sandbox.replacePidFileWithForeignProcess(server);
    Sandbox.PortHolder holder = sandbox.holdPort(sandbox.servers().get(1), 2881);
    Set<Long> started = new HashSet<>(List.of(sleeper, holder.pid()));
    sandbox.servers().forEach(s -> started.add(sandbox.runningObserverPid(s).orElseThrow()));
    String base = sandbox.baseDir().toString();

    sandbox.close();

    for (String line : ps()) {
      assertThat(line).doesNotContain(base);
      long pid = Long.parseLong(line.strip().split("\\s+")[0]);
      String state = line.strip().split("\\s+")[1];
      if (!state.startsWith("Z")) {
        assertThat(started).as("live process %s", line).doesNotContain(pid);
      }
    }
    assertThat(sandbox.baseDir()).doesNotExist();
  }

  private static List<String> ps() throws IOException, InterruptedException {
    Process ps = new ProcessBuilder("ps", "-eo", "pid=,stat=,args=").start();
    String out = new String(ps.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    ps.waitFor();
    return out.lines().toList();
  }
}
