package io.obops.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AccessConfigLoaderTest {

  @TempDir Path dir;

  private Path write(String yaml) throws IOException {
    Path file = dir.resolve("access.yml");
    Files.writeString(file, yaml);
    return file;
  }

  private static final ClusterRef PROD = new ClusterRef(1, "prod1", List.of("prod"));
  private static final ClusterRef TEST = new ClusterRef(2, "test1", List.of("test"));

  @Test
  void theProductionTemplateAndTheDemoFileAreValid() {
    AccessConfig template = AccessConfigLoader.load(Path.of("config/access.yml"));
    AccessConfig demo = AccessConfigLoader.load(Path.of("config/access-demo.yml"));

    assertThat(template.policy("cluster.stop", PROD).approvalsRequired()).isEqualTo(2);
    assertThat(template.policy("cluster.stop", TEST).approvalsRequired()).isEqualTo(1);
    assertThat(demo.permissions(Set.of("web:alice"), TEST)).contains(Permission.CLUSTER_STOP);
    assertThat(demo.permissions(Set.of("web:bob"), TEST)).contains(Permission.APPROVAL_DECIDE);
    assertThat(demo.permissions(Set.of("web:carol"), TEST)).containsOnly(Permission.CLUSTER_VIEW);
  }

  @Test
  void anUnknownRoleInABindingNamesTheFileTheEntryAndTheField() throws IOException {
    Path file =
        write(
            """
            roles:
              approver: [approval.decide]
            bindings:
              - principal: web:bob
                roles: [aprover]
            """);

    assertThatThrownBy(() -> AccessConfigLoader.load(file))
        .isInstanceOf(AccessConfigException.class)
        .hasMessage(
            file
                + ": bindings[0] (principal web:bob): field 'roles' names unknown role 'aprover';"
                + " known roles: approver");
  }

  @Test
  void anUnknownPermissionIsRefusedWithTheKnownOnes() throws IOException {
    Path file = write("roles:\n  op: [cluster.destroy]\n");

    assertThatThrownBy(() -> AccessConfigLoader.load(file))
        .hasMessageContaining("roles.op: field 'permissions' names unknown permission")
        .hasMessageContaining("cluster.stop");
  }

  @Test
  void aMalformedPrincipalIsRefused() throws IOException {
    Path file =
        write("roles:\n  op: [cluster.view]\nbindings:\n  - principal: alice\n    roles: [op]\n");

    assertThatThrownBy(() -> AccessConfigLoader.load(file))
        .hasMessageContaining("bindings[0] (principal alice): field 'principal' is 'alice'");
  }

  @Test
  void aMisspelledFieldIsAnErrorRatherThanIgnored() throws IOException {
    Path file = write("policies:\n  - action: cluster.stop\n    approval: 2\n");

    assertThatThrownBy(() -> AccessConfigLoader.load(file))
        .hasMessageContaining("policies[0]: field 'approval' is not a known field");
  }

  @ParameterizedTest
  @ValueSource(strings = {"-1", "11", "one", "1.5"})
  void approvalsOutsideZeroToTenAreRefused(String approvals) throws IOException {
    Path file = write("policies:\n  - action: cluster.start\n    approvals: " + approvals + "\n");

    assertThatThrownBy(() -> AccessConfigLoader.load(file))
        .hasMessageContaining(
            "field 'approvals' is '" + approvals + "'; use 0 (no approval) to 10");
  }

  @Test
  void aStartPolicyMayAskNoApprovalWhileTheStopKeepsItsOwn() throws IOException {
    Path file =
        write(
            "policies:\n  - action: cluster.start\n    approvals: 0\n"
                + "  - action: cluster.stop\n    approvals: 2\n");

    AccessConfig config = AccessConfigLoader.load(file);
    ClusterRef any = new ClusterRef(1, "demo", List.of());
    assertThat(config.policy("cluster.start", any).approvalsRequired()).isZero();
    assertThat(config.policy("cluster.stop", any).approvalsRequired()).isEqualTo(2);
  }

  @Test
  void aBadDurationSaysWhatADurationLooksLike() throws IOException {
    Path file = write("policies:\n  - action: cluster.stop\n    pending-ttl: soon\n");

    assertThatThrownBy(() -> AccessConfigLoader.load(file))
        .hasMessageContaining("field 'pending-ttl' is 'soon'; use a duration such as 90s");
  }

  @Test
  void aMissingFileSaysWhichPropertyToSet() {
    assertThatThrownBy(() -> AccessConfigLoader.load(dir.resolve("nope.yml")))
        .hasMessageContaining("nope.yml: no such file; set obops.access.file");
  }

  @Test
  void matchingPoliciesCombineToTheStrictestValues() throws IOException {
    Path file =
        write(
            """
            policies:
              - action: cluster.stop
                approvals: 1
                pending-ttl: 1h
                reason-required: false
              - action: cluster.stop
                clusters: {tags: [prod]}
                approvals: 2
                pending-ttl: 5m
                approver-permission: cluster.stop
              - action: cluster.start
                approvals: 3
            """);
    AccessConfig config = AccessConfigLoader.load(file);

    Policy prod = config.policy("cluster.stop", PROD);
    Policy test = config.policy("cluster.stop", TEST);

    assertThat(prod.approvalsRequired()).isEqualTo(2);
    assertThat(prod.pendingTtl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(prod.approverPermissions()).containsOnly(Permission.CLUSTER_STOP);
    assertThat(prod.reasonRequired()).isFalse();
    assertThat(test.approvalsRequired()).isEqualTo(1);
    assertThat(test.pendingTtl()).isEqualTo(Duration.ofHours(1));
    assertThat(test.approverPermissions()).containsOnly(Permission.APPROVAL_DECIDE);
  }

  @Test
  void withoutPoliciesAStopNeedsOneApproverWithinFifteenMinutesAndAReason() throws IOException {
    AccessConfig config = AccessConfigLoader.load(write("roles: {}\n"));

    assertThat(config.policy("cluster.stop", TEST)).isEqualTo(Policy.DEFAULT);
    assertThat(Policy.DEFAULT.approvalsRequired()).isEqualTo(1);
    assertThat(Policy.DEFAULT.pendingTtl()).isEqualTo(Duration.ofMinutes(15));
    assertThat(Policy.DEFAULT.reasonRequired()).isTrue();
  }
}
