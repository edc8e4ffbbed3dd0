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
 * @param planMaxAge how old a request's pre-flight plan may be when someone approves (default 10m;
 *     measured on the database's clock from when its inspection started). An older plan is refused
 *     with "refresh first": the approver presses Refresh (chat) or {@code POST
 *     /api/v2/approvals/{id}/refresh} and approves what the servers look like now.
 */
@Validated
@ConfigurationProperties("obops.approval")
public record ApprovalProperties(
    @NotNull @DurationMin(millis = 1) @DefaultValue("30s") Duration sweepInterval,
    @NotNull @DurationMin(seconds = 1) @DefaultValue("5m") Duration planMaxAge) {}
