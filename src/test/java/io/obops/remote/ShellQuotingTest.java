package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.cluster.ObServer;
import io.obops.obcluster.ObserverProcessControl.StopReport;
import io.obops.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Values with shell syntax in them reach the host as literal bytes and run nothing. */
class ShellQuotingTest {

  private final String marker = "/tmp/obops-pwned-" + UUID.randomUUID();
  private final List<String> hostile =
      List.of(
          "a; touch " + marker,
          "$(touch " + marker + ")",
          "`touch " + marker + "`",
          "it's \"quoted\" $HOME",
          "two  spaces\tand a tab",
          "line one\nline two; touch " + marker,
          "'; touch " + marker + "; echo '",
          "\\'$(touch " + marker + ")\\'",
          "trailing newline\n",
          "");

  private Sandbox sandbox;
  private SshRemoteShell shell;

  @BeforeEach
  void startSandbox() throws Exception {
    sandbox =
        Sandbox.builder()
            .zones(1)
            .serversPerZone(1)
            .homeDirPrefix("obs $(touch " + marker + "); `touch " + marker + "` 'q\" \n x-")
            .start();
    shell =
        new SshRemoteShell(
            SshSettings.strict(
                SshIdentity.fromFile(sandbox.clientPrivateKey(), null), sandbox.knownHosts()));
  }

  @AfterEach
  void tearDown() throws Exception {
    shell.close();
    sandbox.close();
    Files.deleteIfExists(Path.of(marker));
  }

  @Test
  void quoteWrapsInSingleQuotesAndSpellsASingleQuoteAsCloseEscapeReopen() {
    assertThat(ShellQuoting.quote("plain")).isEqualTo("'plain'");
    assertThat(ShellQuoting.quote("it's")).isEqualTo("'it'\\''s'");
    assertThat(ShellQuoting.quote("")).isEqualTo("''");
  }

  @Test
  void valuesHoldingNulAreRejectedBecauseNoCommandCanCarryThem() {
    assertThatThrownBy(() -> ShellQuoting.quote("a\0b"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("NUL");
  }

  @Test
  void quotedValuesArriveOnTheHostByteForByteAndRunNothing() throws Exception {
    RemoteHost host = RemoteHost.of(sandbox.servers().get(0));
    for (String value : hostile) {
      CommandResult result =
          shell.run(host, "printf '%s' " + ShellQuoting.quote(value), Duration.ofSeconds(10));

      assertThat(result.exitStatus()).isZero();
      assertThat(result.stdout()).isEqualTo(value);
    }
    assertThat(Path.of(marker)).doesNotExist();
  }

  @Test
  void hostileHomePathIsTreatedAsALiteralPathByStopAndInspect() throws Exception {
    ObServer server = sandbox.servers().get(0);
    assertThat(server.homePath()).contains("$(touch", "`touch", "\n", "'", "\"", ";", " ");
    long pid = sandbox.runningObserverPid(server).orElseThrow();
    var control = new SshObserverProcessControl(shell, TestSettings.fast());

    assertThat(control.inspect(server, new RecordingLog()).pid()).isEqualTo(pid);
    StopReport report = control.stop(server, new RecordingLog());

    assertThat(report.pid()).isEqualTo(pid);
    assertThat(Sandbox.isAlive(pid)).isFalse();
    assertThat(sandbox.pidFile(server)).doesNotExist();
    assertThat(Path.of(marker)).doesNotExist();
  }

  @Test
  void hostilePathThatIsNotTheObserversHomeIsNotMistakenForIt() throws Exception {
    ObServer server = sandbox.servers().get(0);
    ObServer lookalike =
        new ObServer(
            server.id(),
            server.clusterId(),
            server.zoneName(),
            server.ip(),
            server.sshPort(),
            server.sshUser(),
            "/tmp/$(touch " + marker + ")",
            server.mysqlPort(),
            server.rpcPort(),
            server.status());

    assertThatThrownBy(
            () ->
                new SshObserverProcessControl(shell, TestSettings.fast())
                    .stop(lookalike, new RecordingLog()))
        .isInstanceOf(ObserverControlException.class)
        .hasMessageContaining("does not exist");
    assertThat(Path.of(marker)).doesNotExist();
    assertThat(sandbox.isObserverRunning(server)).isTrue();
  }
}
