package io.obops.obcluster;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code obops.preflight.*}: the read-only inspection of every server made when an action is
 * requested (and on Refresh), shown in the approval card and bound to the approval.
 *
 * @param timeout how long the whole inspection may take, plus {@code timeoutPerServer} for each
 *     server; a server that has not answered by then is in the plan as unreachable, and the request
 *     goes ahead (default 20s)
 * @param parallelism how many servers are inspected at once by this instance (default 32; the SSH
 *     layer's {@code obops.remote.max-parallel-hosts} bounds it too)
 * @param timeoutPerServer added to {@code timeout} for each server inspected (default 40ms: 1000
 *     servers get 60 s), since a large cluster's handshakes alone take longer than a fixed deadline
 *     (1000 servers on two cores: over 20 s)
 */
@Validated
@ConfigurationProperties("obops.preflight")
public record PreflightProperties(
    @NotNull @DurationMin(millis = 100) @DefaultValue("20s") Duration timeout,
    @Min(1) @Max(1024) @DefaultValue("32") int parallelism,
    @NotNull @DefaultValue("40ms") Duration timeoutPerServer) {}
