package io.obops.chat.discord;

import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.testsupport.TestDatabase;
import io.obops.testsupport.TestTokens;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.springframework.test.context.DynamicPropertyRegistry;

/**
 * The people and channels of the Discord end-to-end tests, in an emulator, and the properties that
 * point obops' Discord adapter at it. alice holds the "operator" role, bob "approver", carol none
 * (see {@code src/test/resources/discord/access.yml}).
 */
public final class DiscordTestBot {

  public static final long OPERATOR_ROLE = 1500000000000000001L;
  public static final long APPROVER_ROLE = 1500000000000000002L;
  public static final long ALICE = 1300000000000000001L;
  public static final long BOB = 1300000000000000002L;
  public static final long CAROL = 1300000000000000003L;

  public final String token = "emu-bot-" + UUID.randomUUID();
  public final DiscordEmulator emu = DiscordEmulator.create(token);
  public final long ops;
  public final long announce;
  private final Path tokenFile;

  public DiscordTestBot() {
    emu.addRole(OPERATOR_ROLE, "operator");
    emu.addRole(APPROVER_ROLE, "approver");
    emu.addMember(ALICE, "alice", OPERATOR_ROLE);
    emu.addMember(BOB, "bob", APPROVER_ROLE);
    emu.addMember(CAROL, "carol");
    announce = emu.addChannel("announcements");
    emu.start();
    ops = emu.channel("ops");
    try {
      tokenFile = Files.createTempFile("obops-discord-token", ".txt");
      Files.writeString(tokenFile, token + "\n");
      tokenFile.toFile().deleteOnExit();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The file holding the bot's token (for a replica started in its own JVM). */
  public Path tokenFile() {
    return tokenFile;
  }

  /**
   * Everything {@code PostgresSpringTest} registers (a fresh database, the engine stopped, the test
   * API tokens), then the Discord adapter pointed at the emulator and the Discord access file
   * (which must win over the test access file, hence one method).
   */
  public void register(DynamicPropertyRegistry registry) {
    register(registry, false);
  }

  /** As {@link #register(DynamicPropertyRegistry)}, with the engine's workers running or not. */
  public void register(DynamicPropertyRegistry registry, boolean engineRunning) {
    TestDatabase.Coordinates db = TestDatabase.createEmpty();
    registry.add("spring.datasource.url", db::url);
    registry.add("spring.datasource.username", db::user);
    registry.add("spring.datasource.password", db::password);
    registry.add("obops.engine.start", () -> Boolean.toString(engineRunning));
    registry.add("obops.server-name", () -> "obops-test");
    registry.add("obops.time-zone", () -> "+08:00");
    TestTokens.register(registry);
    registry.add("obops.discord.enabled", () -> "true");
    registry.add("obops.discord.token-file", tokenFile::toString);
    registry.add("obops.discord.api-base-url", emu::restBaseUrl);
    registry.add("obops.discord.gateway-url", emu::gatewayUrl);
    registry.add("obops.discord.guild-ids[0]", () -> Long.toString(emu.guildId()));
    registry.add("obops.discord.command-channels[0]", () -> Long.toString(ops));
    registry.add("obops.discord.announce-channel", () -> Long.toString(announce));
    registry.add("obops.chat.approver-role", () -> "discord-role:" + APPROVER_ROLE);
    registry.add("obops.access.file", () -> "src/test/resources/discord/access.yml");
  }
}
