package io.obops.chat.discord;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.obops.chat.ChannelRef;
import io.obops.chat.ChatMessage;
import io.obops.chat.ChatPlatformException;
import io.obops.chat.MessageRef;
import io.obops.chat.discord.emulator.DiscordEmulator;
import io.obops.chat.discord.emulator.EmuMessage;
import io.obops.chat.discord.emulator.EmulatedJda;
import io.obops.testsupport.MutableClock;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import javax.imageio.ImageIO;
import net.dv8tion.jda.api.JDA;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link DiscordPlatform} on its own (no application), with the real JDA client against the
 * emulator: what it survives that it cannot check beforehand.
 */
class DiscordPlatformSurvivalTest {

  private static final Duration WAIT = Duration.ofSeconds(20);

  private final String token = "emu-bot-survival";
  private final DiscordEmulator emu = DiscordEmulator.create(token);
  private final MutableClock clock = MutableClock.at("2026-03-02T02:00:00Z");
  private JDA jda;
  private DiscordPlatform platform;
  private long ops;

  @BeforeEach
  void connect() throws InterruptedException {
    emu.start();
    emu.clock(clock);
    ops = emu.channel("ops");
    jda = EmulatedJda.connect(emu, token);
    platform = platform(jda);
  }

  private DiscordPlatform platform(JDA connection) {
    return new DiscordPlatform(
        () -> connection,
        new DiscordProperties(
            true, "UNUSED", null, List.of(), List.of(), null, null, null, 8, Duration.ofSeconds(1)),
        clock,
        null);
  }

  @AfterEach
  void close() {
    jda.shutdownNow();
    emu.close();
  }

  private long posts(long channel) {
    return emu.requests().stream()
        .filter(
            r -> r.method().equals("POST") && r.path().equals("channels/" + channel + "/messages"))
        .count();
  }

  private ChannelRef thread() {
    MessageRef card = platform.post(DiscordRefs.channel(ops), ChatMessage.text("card"));
    return platform.openThread(card, "Stop demo — request #1");
  }

  @Test
  void failuresBackOffInsteadOfRetryingAtTheTickersPace() {
    ChannelRef channel = DiscordRefs.channel(ops);
    emu.failNext("POST", "^channels/" + ops + "/messages$", 2, 403, 50013);

    assertThatThrownBy(() -> platform.post(channel, ChatMessage.text("one")))
        .isInstanceOf(ChatPlatformException.class);
    for (int tick = 0; tick < 9; tick++) { // the ticker's 100 ms, for 0.9 s
      clock.advance(Duration.ofMillis(100));
      assertThatThrownBy(() -> platform.post(channel, ChatMessage.text("again")))
          .hasMessageContaining("not trying");
    }
    assertThat(posts(ops)).isEqualTo(1);

    clock.advance(Duration.ofMillis(200)); // 1 s after the first failure: one more try
    assertThatThrownBy(() -> platform.post(channel, ChatMessage.text("two")))
        .isInstanceOf(ChatPlatformException.class);
    clock.advance(Duration.ofSeconds(1)); // the second failure doubled the pause to 2 s
    assertThatThrownBy(() -> platform.post(channel, ChatMessage.text("early")))
        .hasMessageContaining("not trying");
    assertThat(posts(ops)).isEqualTo(2);

    clock.advance(Duration.ofSeconds(1));
    platform.post(channel, ChatMessage.text("three"));
    platform.post(channel, ChatMessage.text("four")); // a success resets the pause
    assertThat(posts(ops)).isEqualTo(4);
  }

  @Test
  void aPngTooLargeForDiscordIsReplacedByASmallerRendering() throws IOException {
    emu.uploadLimit(60_000);
    byte[] png = noise(800);
    assertThat(png.length).isGreaterThan(60_000);

    platform.postFile(DiscordRefs.channel(ops), "Task graph", "task-9.png", "image/png", png);

    EmuMessage posted = emu.awaitMessage(ops, m -> m.attachment("task-9.png").isPresent(), WAIT);
    byte[] sent = posted.attachment("task-9.png").orElseThrow().data();
    assertThat(sent.length).isLessThanOrEqualTo(60_000);
    assertThat(ImageIO.read(new java.io.ByteArrayInputStream(sent)).getWidth()).isLessThan(800);
    assertThat(posted.content()).contains("Task graph", "scaled down");
  }

  private static byte[] noise(int size) throws IOException {
    BufferedImage image = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
    Random random = new Random(42);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        image.setRGB(x, y, random.nextInt(0x1000000));
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(image, "png", out);
    return out.toByteArray();
  }

  @Test
  void anArchivedThreadAfterARestartIsFoundThroughDiscordAndUnarchivedByThePost()
      throws InterruptedException {
    ChannelRef thread = thread();
    long id = DiscordRefs.channelId(thread);
    emu.archiveThread(id);
    jda.shutdownNow();
    jda = EmulatedJda.connect(emu, token); // GUILD_CREATE lists active threads only
    platform = platform(jda);
    assertThat(jda.getThreadChannelById(id)).isNull();

    MessageRef posted = platform.post(thread, ChatMessage.text("the next post"));

    assertThat(DiscordRefs.channelId(posted)).isEqualTo(id);
    assertThat(emu.messages(id)).anyMatch(m -> m.content().equals("the next post"));
    assertThat(emu.thread(id).orElseThrow().archived()).isFalse();
  }

  @Test
  void aDeletedThreadMovesTheConversationToItsParentWithOneNotice() {
    ChannelRef thread = thread();
    long id = DiscordRefs.channelId(thread);
    emu.deleteThread(id);
    emu.awaitTrue(() -> jda.getThreadChannelById(id) == null, WAIT, "JDA drops the thread");

    MessageRef first = platform.post(thread, ChatMessage.text("after the delete"));
    MessageRef second = platform.post(thread, ChatMessage.text("and again"));

    assertThat(DiscordRefs.channelId(first)).isEqualTo(ops);
    assertThat(DiscordRefs.channelId(second)).isEqualTo(ops);
    assertThat(emu.messages(ops).stream().filter(m -> m.content().contains("is deleted")))
        .hasSize(1);
    assertThatThrownBy(
            () ->
                platform.edit(
                    DiscordRefs.message(id, id + 1), ChatMessage.text("edit in the old thread")))
        .isInstanceOfSatisfying(ChatPlatformException.class, e -> assertThat(e.gone()).isTrue());
  }
}
