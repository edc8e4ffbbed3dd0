package io.obops.chat;

import jakarta.validation.constraints.NotNull;
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
 * @param approverRole a role principal ({@code discord-role:<id>}) mentioned on new approval cards;
 *     none by default.
 */
@Validated
@ConfigurationProperties("obops.chat")
public record ChatProperties(
    @NotNull @DefaultValue("100ms") Duration tickInterval,
    @NotNull @DefaultValue("2s") Duration boardInterval,
    String approverRole) {}
