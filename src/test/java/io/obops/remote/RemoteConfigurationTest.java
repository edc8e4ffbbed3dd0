package io.obops.remote;

import static org.assertj.core.api.Assertions.assertThat;

import io.obops.cluster.ObServer;
import io.obops.obcluster.ObserverProcessControl;
import io.obops.sandbox.Sandbox;
import io.obops.sandbox.SandboxConfiguration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

/** The Spring wiring only; everything else is tested without a context. */
class RemoteConfigurationTest {

  private final ApplicationContextRunner context =
      new ApplicationContextRunner()
          .withUserConfiguration(SandboxConfiguration.class, RemoteConfiguration.class);

  @Test
  void withoutPropertiesNeitherSandboxNorSshControlIsRegistered() {
    context.run(
        c -> {
          assertThat(c).hasNotFailed();
          assertThat(c).doesNotHaveBean(ObserverProcessControl.class);
          assertThat(c).doesNotHaveBean(Sandbox.class);
        });
  }

  @Test
  void enabledSandboxGetsAnSshControlThatStopsItsObserversAndIsTornDownWithTheContext() {
    AtomicReference<Sandbox> sandbox = new AtomicReference<>();
    AtomicReference<List<Long>> pids = new AtomicReference<>();
    context
        .withPropertyValues(
            "obops.sandbox.enabled=true",
            "obops.sandbox.zones=1",
            "obops.sandbox.servers-per-zone=2",
            "obops.remote.release-timeout=10s",
            "obops.remote.poll-interval=50ms")
        .run(
            c -> {
              assertThat(c).hasNotFailed();
              assertThat(c).hasSingleBean(ObserverProcessControl.class);
              assertThat(c.getBean("observerProcessControl"))
                  .isInstanceOf(SshObserverProcessControl.class);
              sandbox.set(c.getBean(Sandbox.class));
              ObServer server = sandbox.get().servers().get(0);
              pids.set(
                  sandbox.get().servers().stream()
                      .map(s -> sandbox.get().runningObserverPid(s).orElseThrow())
                      .toList());

              var report = c.getBean(ObserverProcessControl.class).stop(server, line -> {});

              assertThat(report.pid()).isEqualTo(pids.get().get(0));
              assertThat(sandbox.get().isObserverRunning(server)).isFalse();
            });
    assertThat(pids.get()).noneMatch(Sandbox::isAlive);
    assertThat(sandbox.get().baseDir()).doesNotExist();
  }

  @Test
  void invalidParallelismFailsTheStartNamingTheProperty() {
    context
        .withPropertyValues(
            "obops.remote.enabled=true",
            "obops.remote.private-key=/nonexistent",
            "obops.remote.max-parallel-hosts=0")
        .run(c -> assertThat(c).getFailure().rootCause().hasMessageContaining("maxParallelHosts"));
  }

  @Test
  void enabledRemoteWithoutAKeyFailsTheStartSayingWhichPropertyToSet() {
    context
        .withPropertyValues("obops.remote.enabled=true")
        .run(
            c ->
                assertThat(c)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("obops.remote.private-key"));
  }

  @Test
  void keyFromAnUnsetEnvironmentVariableFailsNamingTheVariableNotAValue() {
    context
        .withPropertyValues(
            "obops.remote.enabled=true", "obops.remote.private-key-env=OBOPS_TEST_UNSET_KEY_VAR")
        .run(
            c ->
                assertThat(c)
                    .getFailure()
                    .rootCause()
                    .hasMessageContaining("environment variable OBOPS_TEST_UNSET_KEY_VAR")
                    .hasMessageContaining("is not set"));
  }
}
