package io.obops.approval;

import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code obops.approval.*}.
 *
 * @param sweepInterval how often overdue PENDING requests are moved to EXPIRED (default 30s).
 *     Expiry is also checked whenever someone decides, so the sweep only tidies up.
 */
@Validated
@ConfigurationProperties("obops.approval")
public record ApprovalProperties(
    @NotNull @DurationMin(millis = 1) @DefaultValue("30s") Duration sweepInterval) {}
