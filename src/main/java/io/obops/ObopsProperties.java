package io.obops;

import io.obops.task.TaskEngine;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * obops' own settings ({@code obops.*}), validated at start-up.
 *
 * @param embedded the embedded default, a single-node trial (default false; the packaged {@code
 *     application.yml} sets it true, the Docker image sets it false). It is a preset, read once at
 *     start-up by {@link EmbeddedDefault}, which gives the settings of other capabilities their
 *     trial values unless they are set: {@code server.address=127.0.0.1} (the whole HTTP server,
 *     API included, listens on loopback only), {@code obops.console.identity-picker=true} (the
 *     console without logins, people pick who they are) and {@code
 *     obops.sandbox.base-dir=data/sandbox}. Here it only decides the start-up notice.
 * @param serverName the name this instance reports in OCP envelopes ({@code server}) and its stable
 *     identity in the task engine (executors are {@code name#incarnation}; a restart takes back
 *     what the previous incarnation held at once); unique per instance, defaults to the host name
 * @param timeZone the zone of timestamps in API responses, e.g. {@code +08:00} or {@code
 *     Asia/Shanghai}; defaults to the system zone
 * @param inventory where the cluster inventory is read from
 * @param engine task engine tuning
 */
@Validated
@ConfigurationProperties("obops")
public record ObopsProperties(
    @DefaultValue("false") boolean embedded,
    String serverName,
    String timeZone,
    @Valid @NotNull @DefaultValue Inventory inventory,
    @Valid @NotNull @DefaultValue Engine engine) {

  /**
   * @param file the inventory file ({@code config/clusters.yml}, relative to the working directory)
   */
  public record Inventory(@NotNull @DefaultValue("config/clusters.yml") Path file) {}

  /**
   * Task engine tuning. A setting left out takes the engine's default ({@link
   * TaskEngine.Settings#defaults}, the one place they are written; README lists them).
   *
   * @param workers subtasks this instance runs at once
   * @param pollInterval how often an idle instance looks for READY subtasks
   * @param heartbeatInterval how often an instance records that it still holds its subtasks
   * @param deadAfter how long without a heartbeat before another instance takes a subtask over
   * @param shutdownGrace how long running subtasks may finish when the process stops
   * @param start whether this instance runs subtasks at all (false: API only, e.g. in tests)
   */
  public record Engine(
      @Min(1) Integer workers,
      Duration pollInterval,
      Duration heartbeatInterval,
      Duration deadAfter,
      Duration shutdownGrace,
      @DefaultValue("true") boolean start) {

    /** The engine's settings: these values where set, the engine's defaults elsewhere. */
    public TaskEngine.Settings settings(String instanceName) {
      TaskEngine.Settings d = TaskEngine.Settings.defaults(instanceName);
      return new TaskEngine.Settings(
          instanceName,
          workers == null ? d.workers() : workers,
          pollInterval == null ? d.pollInterval() : pollInterval,
          heartbeatInterval == null ? d.heartbeatInterval() : heartbeatInterval,
          deadAfter == null ? d.deadAfter() : deadAfter,
          shutdownGrace == null ? d.shutdownGrace() : shutdownGrace);
    }
  }
}
