package io.obops.chat;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code obops.chat.*}: how the conversation reports.
 *
 * @param tickInterval how often pending work is posted (progress, card updates); 0 turns the
 *     scheduler off (tests drive {@link ChatService#tick()} themselves). Default 100ms: a tick only
 *     reads what changed, and edits stay coalesced by {@code boardInterval}.
 * @param boardInterval at most one edit of a progress board per this interval. Default 2s.
 * @param approverRole the role whose holders approve: a role principal ({@code discord-role:<id>})
 *     mentioned on every new (pending) approval card, so approvers are notified; none by default.
 *     The one approver-role setting of every chat platform (a platform without roles, like the web
 *     console, mentions nobody). The retired {@code obops.discord.approver-role-id=<id>} is still
 *     read as {@code discord-role:<id>} (see {@link ApproverRoleAlias}).
 * @param outboxClaim how long a replica holds an outbox row it is delivering before another may try
 *     it (default 15s; a repeat is harmless: creates carry their idempotency key).
 * @param outboxMaxBackoff the longest wait between two tries of an undelivered row (default 60s;
 *     the wait starts at 1 s and doubles).
 * @param outboxWorkers how many conversations this replica delivers at once (default 8): each
 *     conversation's messages go in order on one worker, so one that waits out a platform's rate
 *     limit delays only itself; more conversations with due messages than workers wait their turn.
 * @param gatewayLease how long the lease on a platform's single gateway connection (Discord's)
 *     lasts without renewal (default 10s); it is renewed every third of it, and another replica
 *     takes the gateway over within this plus a third once the holder dies.
 */
@Validated
@ConfigurationProperties("obops.chat")
public record ChatProperties(
    @NotNull @DefaultValue("100ms") Duration tickInterval,
    @NotNull @DefaultValue("2s") Duration boardInterval,
    @Pattern(
            regexp = "discord-role:[0-9]{1,20}",
            message = "must be a role principal discord-role:<role id>")
        String approverRole,
    @NotNull @DefaultValue("15s") Duration outboxClaim,
    @NotNull @DefaultValue("60s") Duration outboxMaxBackoff,
    @NotNull @DefaultValue("10s") Duration gatewayLease,
    @Min(1) @Max(64) @DefaultValue("8") int outboxWorkers) {}
