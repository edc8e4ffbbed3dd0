/**
 * A Discord API emulator for tests (REST on the JDK's {@code HttpServer}, the gateway on
 * Java-WebSocket), good enough for the real, unpatched JDA 6 client to run obops' whole {@code
 * /obcluster stop} flow on loopback.
 *
 * <p>{@link io.obops.chat.discord.emulator.DiscordEmulator} is the entry point and the control API:
 * set-up (channels, roles, members with fixed or generated ids), dispatch (slash commands with
 * typed options, autocomplete, button clicks, each as a given member with that member's roles),
 * reading (messages per channel or thread with every revision and file, threads, registered
 * commands, the request log), faults and time (forced 429s, per-route limits, the ack deadline, the
 * interaction token's lifetime and the message-age edit limit on a settable clock, dropped gateway
 * connections). {@link io.obops.chat.discord.emulator.EmuInteraction} follows one interaction: its
 * acknowledgement, response, follow-ups and refusals. {@link
 * io.obops.chat.discord.emulator.EmulatedJda} points a plain JDA at it.
 *
 * <p>It plays by Discord's rules ({@link io.obops.chat.discord.emulator.EmuPermissions}): the bot
 * is an ordinary member whose managed role carries the permissions a test gives it (default: what
 * obops needs), with channel overwrites; refusals carry Discord's codes (50001 Missing Access,
 * 50013 Missing Permissions, 160005 thread locked, 50083 archived thread, 40005 too large); embeds
 * are dropped without Embed Links; threads auto-archive on the emulator's clock and lock, with
 * THREAD_UPDATE / THREAD_DELETE, GUILD_CREATE lists only active threads, and a post un-archives an
 * unlocked thread; roles are not mentionable unless made so, and each message records whom it
 * pinged (allowed mentions honoured); uploads have a size limit; messages are limited to 5 per 5 s
 * per channel, other routes 50 per s, plus a global 50 per s (all configurable); {@code failNext}
 * refuses chosen requests as Discord would when it knows better than the bot's cache.
 *
 * <p>It follows the payload rules JDA 6.3 enforces (READY with {@code private_channels},
 * GUILD_CREATE with {@code afk_timeout}, interactions with {@code channel}, {@code guild}, {@code
 * context} and {@code authorizing_integration_owners}, integer {@code Retry-After} plus {@code Via}
 * on 429s). One deliberate deviation: an edit of a message older than the edit-age limit is refused
 * with 400/30046 (Discord answers 429/30046 once that message's budget is spent), so tests see that
 * the bot never tries.
 */
package io.obops.chat.discord.emulator;
