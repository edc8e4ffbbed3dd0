/**
 * The Discord adapter: the only package that imports JDA (enforced by {@code ArchitectureTest}).
 *
 * <p>{@link io.obops.chat.discord.DiscordBot} owns the JDA connection (lifecycle, token from an
 * environment variable or a file, {@code /obcluster} registration per guild or globally); it runs
 * on the one replica that holds the {@code discord} {@link io.obops.chat.GatewayLease}, which
 * starts and stops it. {@code DiscordListener} is the one listener: it acknowledges every
 * interaction at once (Discord's 3-second rule) and hands commands, clicks and autocomplete to the
 * core's {@link io.obops.chat.ChatGateway} on its own worker threads, with the member mapped to
 * {@code discord-user:<id>} and {@code discord-role:<id>} principals. {@code DiscordPlatform}
 * implements {@link io.obops.chat.ChatPlatform}: one bot-token REST call per post, edit, thread or
 * file (never an interaction webhook, so nothing expires after 15 minutes), references {@code
 * discord:<channel>[/<message>]} that survive restarts, creates sent with the outbox's nonce
 * ({@code enforce_nonce}: a repeat returns the message already posted), and JDA's rate limiter
 * waiting out 429s.
 *
 * <p>Checks before it acts: {@code DiscordPermissions} knows, from JDA's cache, what the bot lacks
 * in a channel (a stop request there is refused before anything is created, with the core's {@code
 * BotLacksPermissions} refusal; at READY and in {@code DiscordHealth} per configured channel).
 * Survives what it cannot check: {@code ThreadLookup} finds threads JDA does not cache (archived,
 * after a restart), a locked or deleted thread moves to its parent channel, {@code Backoff} pauses
 * a failing channel, a refused file goes back to the chat outbox for another try and {@code
 * SmallerPng} shrinks a too-large graph. {@code DiscordBot} logs in in the background, so obops
 * runs while Discord is unreachable. Allowed mentions: only the approver role pings.
 *
 * <p>Configured by {@link io.obops.chat.discord.DiscordProperties} ({@code obops.discord.*}); off
 * unless enabled. Tests drive the real JDA client against the emulator in the test sources ({@code
 * io.obops.chat.discord.emulator}).
 */
package io.obops.chat.discord;
