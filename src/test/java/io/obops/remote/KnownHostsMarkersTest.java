package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.cluster.ObServer;
import io.obops.remote.RemoteExecutionException.Reason;
import io.obops.sandbox.Sandbox;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * known_hosts markers over real SSH: {@code @revoked} beats any line that trusts the same key, and
 * {@code @cert-authority} lets hosts present certificates signed by a listed CA.
 */
class KnownHostsMarkersTest {

  private Sandbox sandbox;
  private ObServer victim;
  private ObServer bystander;
  private Path knownHosts;

  @BeforeEach
  void startSandbox() {
    sandbox = Sandbox.builder().zones(1).serversPerZone(2).startObservers(false).start();
    victim = sandbox.servers().get(0);
    bystander = sandbox.servers().get(1);
    knownHosts = sandbox.baseDir().resolve("markers_known_hosts");
  }

  @AfterEach
  void stopSandbox() {
    sandbox.close();
  }

  private String run(ObServer server) throws Exception {
    try (SshRemoteShell shell =
        new SshRemoteShell(
            SshSettings.strict(SshIdentity.fromFile(sandbox.clientPrivateKey(), null), knownHosts)
                .withConnectTimeout(Duration.ofSeconds(5)))) {
      return shell.run(RemoteHost.of(server), "echo ok", Duration.ofSeconds(10)).stdout();
    }
  }

  private String plainLines() throws Exception {
    return Files.readString(sandbox.knownHosts());
  }

  @ParameterizedTest
  @ValueSource(booleans = {true, false})
  void aRevokedKeyIsRefusedNamingHostAndFingerprintWhereverThePlainLineIs(boolean revokedFirst)
      throws Exception {
    String revoked = "@revoked * " + sandbox.hostKeyLine(victim) + "\n";
    Files.writeString(knownHosts, revokedFirst ? revoked + plainLines() : plainLines() + revoked);

    assertThatThrownBy(() -> run(victim))
        .isInstanceOfSatisfying(
            RemoteExecutionException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_REVOKED))
        .hasMessageContaining("host key of " + victim.ip())
        .hasMessageContaining("REVOKED")
        .hasMessageContaining(sandbox.hostKeyFingerprint(victim))
        .hasMessageContaining("@revoked")
        .hasMessageContaining(knownHosts.toString());
    assertThat(run(bystander)).isEqualTo("ok\n");
  }

  @Test
  void aHostCertificateSignedByAListedCaIsAcceptedWithoutAPlainLine() throws Exception {
    String ca = sandbox.certifyHostKeys(List.of());
    Files.writeString(knownHosts, "@cert-authority * " + ca + "\n");

    assertThat(run(victim)).isEqualTo("ok\n");
    assertThat(run(bystander)).isEqualTo("ok\n");
  }

  @Test
  void aCaListedOnlyForOtherHostsTrustsNothingHere() throws Exception {
    String ca = sandbox.certifyHostKeys(List.of());
    Files.writeString(knownHosts, "@cert-authority [10.9.9.9]:22 " + ca + "\n");

    assertThatThrownBy(() -> run(victim))
        .isInstanceOfSatisfying(
            RemoteExecutionException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_UNKNOWN))
        .hasMessageContaining("host certificate signed by CA")
        .hasMessageContaining(sandbox.hostKeyFingerprint(victim));
  }

  @Test
  void aCertificateFromAnUnlistedCaFallsBackToThePlainLine() throws Exception {
    String oldCa = sandbox.certifyHostKeys(List.of());
    sandbox.certifyHostKeys(List.of()); // now signed by another CA
    Files.writeString(knownHosts, "@cert-authority * " + oldCa + "\n");

    assertThatThrownBy(() -> run(victim))
        .isInstanceOfSatisfying(
            RemoteExecutionException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_UNKNOWN));

    Files.writeString(knownHosts, "@cert-authority * " + oldCa + "\n" + plainLines());
    assertThat(run(victim)).isEqualTo("ok\n");
  }

  @Test
  void aRevokedCaIsRefusedEvenWhereItIsListed() throws Exception {
    String ca = sandbox.certifyHostKeys(List.of());
    Files.writeString(knownHosts, "@cert-authority * " + ca + "\n@revoked * " + ca + "\n");

    assertThatThrownBy(() -> run(victim))
        .isInstanceOfSatisfying(
            RemoteExecutionException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_REVOKED))
        .hasMessageContaining("its CA");
  }

  @Test
  void aRevokedHostKeyIsRefusedInsideACertificateToo() throws Exception {
    String ca = sandbox.certifyHostKeys(List.of());
    Files.writeString(
        knownHosts,
        "@cert-authority * " + ca + "\n@revoked * " + sandbox.hostKeyLine(victim) + "\n");

    assertThatThrownBy(() -> run(victim))
        .isInstanceOfSatisfying(
            RemoteExecutionException.class,
            e -> assertThat(e.reason()).isEqualTo(Reason.HOST_KEY_REVOKED))
        .hasMessageContaining(sandbox.hostKeyFingerprint(victim));
    assertThat(run(bystander)).isEqualTo("ok\n");
  }

  @Test
  void aCertificateForAnotherNameIsRefused() throws Exception {
    String ca = sandbox.certifyHostKeys(List.of("db-7.example.com"));
    Files.writeString(knownHosts, "@cert-authority * " + ca + "\n");

    assertThatThrownBy(() -> run(victim))
        .isInstanceOf(RemoteExecutionException.class)
        .hasMessageContaining(victim.ip())
        .hasMessageContaining("db-7.example.com");
  }
}
