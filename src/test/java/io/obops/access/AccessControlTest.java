package io.obops.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccessControlTest {

  @TempDir Path dir;

  private static final ClusterRef PROD = new ClusterRef(1, "prod1", List.of("prod"));
  private static final ClusterRef STAGING = new ClusterRef(2, "stg1", List.of("staging"));

  private static final String CONFIG =
      """
      roles:
        operator: [cluster.view, cluster.stop]
        approver: [approval.decide]
      people:
        dana: [discord-user:42, web:dana]
      bindings:
        - principal: discord-role:7
          roles: [approver]
        - principal: api:runbook
          roles: [operator]
          clusters: {tags: [staging]}
        - principal: web:dana
          roles: [operator]
          clusters: {names: [prod1]}
      """;

  private AccessControl access() throws IOException {
    Path file = dir.resolve("access.yml");
    Files.writeString(file, CONFIG);
    return new AccessControl(file);
  }

  @Test
  void aPrincipalWithoutABindingHasNoPermissionAtAll() throws IOException {
    assertThat(access().permissions(Actor.api("stranger"), PROD)).isEmpty();
  }

  @Test
  void aBindingLimitedByTagGrantsNothingOnOtherClusters() throws IOException {
    AccessControl access = access();

    assertThat(access.has(Actor.api("runbook"), Permission.CLUSTER_STOP, STAGING)).isTrue();
    assertThat(access.has(Actor.api("runbook"), Permission.CLUSTER_STOP, PROD)).isFalse();
  }

  @Test
  void aDiscordUserHoldsWhatTheRolesInTheClickPayloadGrant() throws IOException {
    AccessControl access = access();

    assertThat(access.has(Actor.discord("9", Set.of("7")), Permission.APPROVAL_DECIDE, PROD))
        .isTrue();
    assertThat(access.has(Actor.discord("9", Set.of()), Permission.APPROVAL_DECIDE, PROD))
        .isFalse();
  }

  @Test
  void principalsListedUnderOnePersonAreThatPerson() throws IOException {
    AccessControl access = access();

    assertThat(access.person("discord-user:42")).isEqualTo(access.person("web:dana"));
    assertThat(access.person("web:other")).isEqualTo("web:other");
  }

  @Test
  void anEditedFileIsInForceAfterTwoChecksAndAnInvalidEditKeepsThePreviousOne() throws IOException {
    AccessControl access = access();
    Path file = dir.resolve("access.yml");

    Files.writeString(file, CONFIG.replace("roles: [approver]", "roles: [operator]"));
    assertThat(access.reloadIfChanged()).isFalse();
    assertThat(access.reloadIfChanged()).isTrue();
    assertThat(access.has(Actor.discord("9", Set.of("7")), Permission.APPROVAL_DECIDE, PROD))
        .isFalse();

    Files.writeString(file, "roles: [broken");
    assertThat(access.reloadIfChanged()).isFalse();
    assertThat(access.reloadIfChanged()).isFalse();
    assertThat(access.has(Actor.discord("9", Set.of("7")), Permission.CLUSTER_STOP, PROD)).isTrue();
  }

  @Test
  void onlyDiscordRolesCanBeVouchedForAsRolePrincipals() {
    assertThatThrownBy(() -> new Actor("web:x", Set.of("web:admin"), Surface.WEB))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("discord-role:<id>");
  }
}
