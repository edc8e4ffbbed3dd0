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
 * @param timeout how long the whole inspection may take; a server that has not answered by then is
 *     in the plan as unreachable, and the request goes ahead (default 20s)
 * @param parallelism how many servers are inspected at once by this instance (default 32; the SSH
 *     layer's {@code obops.remote.max-parallel-hosts} bounds it too)
 */
@Validated
@ConfigurationProperties("obops.preflight")
public record PreflightProperties(
    @NotNull @DurationMin(millis = 100) @DefaultValue("20s") Duration timeout,
    @Min(1) @Max(1024) @DefaultValue("32") int parallelism) {}
