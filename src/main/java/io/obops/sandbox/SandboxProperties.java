package io.obops.sandbox;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code obops.sandbox.*}: the demo cluster of simulated observers on loopback SSH servers.
 *
 * @param enabled start the sandbox with the application (default false). Also turns on the SSH
 *     remote executor, pointed at the sandbox's key and known_hosts.
 * @param zones number of zones (default 3).
 * @param serversPerZone observers per zone (default 2); each gets its own 127.X.Y.K address.
 * @param baseDir where homes, keys and known_hosts go; default a temporary directory deleted at
 *     shutdown. A configured directory is kept, and a sandbox started on it again reuses its keys
 *     and addresses and adopts the observers still running there (the embedded default sets {@code
 *     data/sandbox}).
 * @param observerExitDelay how long a simulated observer takes to exit after SIGTERM (default 0).
 */
@Validated
@ConfigurationProperties("obops.sandbox")
public record SandboxProperties(
    @DefaultValue("false") boolean enabled,
    @Min(1) @Max(16) @DefaultValue("3") int zones,
    @Min(1) @Max(100) @DefaultValue("2") int serversPerZone,
    Path baseDir,
    @NotNull @DefaultValue("0ms") Duration observerExitDelay) {}
