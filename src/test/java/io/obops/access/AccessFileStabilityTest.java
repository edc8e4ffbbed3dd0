package io.obops.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The access file is applied only when two consecutive checks see the same content: a file caught
 * while it is being written never takes effect, even where what was written so far is valid YAML
 * that is wider than the whole file.
 */
class AccessFileStabilityTest {

  /**
   * The production template: a binding limited to staging clusters, prod stops need 2 approvals.
   */
  private static final Path TEMPLATE = Path.of("config/access.yml");

  private static final ClusterRef PROD = new ClusterRef(9, "prod9", List.of("prod"));
  private static final Actor RUNBOOK = Actor.api("runbook");

  private static final String BEFORE =
      """
      roles:
        viewer: [cluster.view]
      bindings:
        - principal: api:ci
          roles: [viewer]
      """;

  @TempDir Path dir;

  /** The binding of api:runbook without its {@code clusters:} selector: it may stop prod. */
  private static boolean selectorDropped(AccessConfig c) {
    return c.permissions(Set.of(RUNBOOK.principal()), PROD).contains(Permission.CLUSTER_STOP);
  }

  /** The policies written up to the first one: a prod stop needs one approval. */
  private static boolean secondApprovalDropped(AccessConfig c) {
    return !c.policies().isEmpty() && c.policy("cluster.stop", PROD).approvalsRequired() < 2;
  }

  private static AccessConfig parsedOrNull(byte[] content) {
    try {
      return AccessConfigLoader.parse("piece", content);
    } catch (AccessConfigException e) {
      return null;
    }
  }

  @Test
  void noPieceOfAFileBeingWrittenTakesEffectAndTheWholeFileDoesAfterTwoStableChecks()
      throws Exception {
    byte[] whole = Files.readAllBytes(TEMPLATE);
    Path file = dir.resolve("access.yml");
    Files.writeString(file, BEFORE);
    AccessControl access = new AccessControl(file);
    AccessConfig before = access.config();
    int validPieces = 0;
    int withoutSelector = 0;
    int withoutSecondApproval = 0;

    try (OutputStream writer = Files.newOutputStream(file)) { // truncates: the edit begins
      for (int n = 1; n < whole.length; n++) {
        writer.write(whole[n - 1]); // one more byte reaches the file
        writer.flush();

        assertThat(access.reloadIfChanged()).as("piece of %d bytes", n).isFalse();
        assertThat(access.config()).as("piece of %d bytes", n).isSameAs(before);

        // what the old check (apply whatever parses) would have applied, at each line's end
        AccessConfig parsed =
            whole[n - 1] == '\n' ? parsedOrNull(java.util.Arrays.copyOf(whole, n)) : null;
        if (parsed != null) {
          validPieces++;
          withoutSelector += selectorDropped(parsed) ? 1 : 0;
          withoutSecondApproval += secondApprovalDropped(parsed) ? 1 : 0;
        }
      }
      writer.write(whole[whole.length - 1]);
    }
    // the pieces are dangerous: many parse, and some are wider than the whole file
    assertThat(validPieces).isGreaterThan(10);
    assertThat(withoutSelector).isGreaterThan(0);
    assertThat(withoutSecondApproval).isGreaterThan(0);

    assertThat(Files.readAllBytes(file)).isEqualTo(whole);
    assertThat(access.reloadIfChanged()).isFalse();
    assertThat(access.config()).isSameAs(before);
    assertThat(access.reloadIfChanged()).isTrue();

    assertThat(selectorDropped(access.config())).isFalse();
    assertThat(access.policy("cluster.stop", PROD).approvalsRequired()).isEqualTo(2);
    assertThat(access.has(RUNBOOK, Permission.CLUSTER_STOP, PROD)).isFalse();
    assertThat(
            access.has(
                RUNBOOK, Permission.CLUSTER_STOP, new ClusterRef(3, "stg", List.of("staging"))))
        .isTrue();
  }

  @Test
  void aLastWriteWithinTheSameModificationTimeIsStillLoaded() throws Exception {
    Path file = dir.resolve("access.yml");
    Files.writeString(file, BEFORE);
    AccessControl access = new AccessControl(file);
    FileTime tick = Files.getLastModifiedTime(file);

    String edited = BEFORE.replace("api:ci", "api:cd"); // same size, same time
    Files.write(file, edited.getBytes(StandardCharsets.UTF_8));
    Files.setLastModifiedTime(file, tick);
    assertThat(Files.size(file)).isEqualTo(BEFORE.length());

    assertThat(access.reloadIfChanged()).isFalse();
    assertThat(access.reloadIfChanged()).isTrue();
    assertThat(access.has(Actor.api("cd"), Permission.CLUSTER_VIEW, PROD)).isTrue();
    assertThat(access.has(Actor.api("ci"), Permission.CLUSTER_VIEW, PROD)).isFalse();
  }

  @Test
  void aFileThatChangesAtEveryCheckIsNeverAppliedAndOneThatSettlesIs() throws Exception {
    Path file = dir.resolve("access.yml");
    Files.writeString(file, BEFORE);
    AccessControl access = new AccessControl(file);

    Files.writeString(file, BEFORE.replace("api:ci", "api:c1"));
    assertThat(access.reloadIfChanged()).isFalse();
    Files.writeString(file, BEFORE.replace("api:ci", "api:c2"));
    assertThat(access.reloadIfChanged()).isFalse();
    assertThat(access.has(Actor.api("ci"), Permission.CLUSTER_VIEW, PROD)).isTrue();

    assertThat(access.reloadIfChanged()).isTrue();
    assertThat(access.has(Actor.api("c2"), Permission.CLUSTER_VIEW, PROD)).isTrue();
  }
}
