package io.obops;

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
 * @param serverName the name this instance reports in OCP envelopes ({@code server}) and uses as
 *     the engine's executor prefix; defaults to the host name
 * @param timeZone the zone of timestamps in API responses, e.g. {@code +08:00} or {@code
 *     Asia/Shanghai}; defaults to the system zone
 * @param inventory where the cluster inventory is read from
 * @param engine task engine tuning
 */
@Validated
@ConfigurationProperties("obops")
public record ObopsProperties(
    String serverName,
    String timeZone,
    @Valid @NotNull @DefaultValue Inventory inventory,
    @Valid @NotNull @DefaultValue Engine engine) {

  /**
   * @param file the inventory file ({@code config/clusters.yml}, relative to the working directory)
   */
  public record Inventory(@NotNull @DefaultValue("config/clusters.yml") Path file) {}

  /**
   * @param workers subtasks this instance runs at once
   * @param pollInterval how often an idle instance looks for READY subtasks
   * @param heartbeatInterval how often an instance records that it still holds its subtasks
   * @param deadAfter how long without a heartbeat before another instance takes a subtask over
   * @param shutdownGrace how long running subtasks may finish when the process stops
   * @param start whether this instance runs subtasks at all (false: API only, e.g. in tests)
   */
  public record Engine(
      @Min(1) @DefaultValue("32") int workers,
      @NotNull @DefaultValue("200ms") Duration pollInterval,
      @NotNull @DefaultValue("5s") Duration heartbeatInterval,
      @NotNull @DefaultValue("30s") Duration deadAfter,
      @NotNull @DefaultValue("20s") Duration shutdownGrace,
      @DefaultValue("true") boolean start) {}
}
