package io.obops.chat.discord.emulator;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import tools.jackson.databind.JsonNode;

/**
 * One interaction the emulator dispatched (a slash command, an autocomplete or a button click) and
 * how the bot answered it: the callback type, when, the response message and follow-ups.
 */
public final class EmuInteraction {

  /** Interaction callback types (Discord's numbers). */
  public static final int REPLY = 4;

  public static final int DEFER_REPLY = 5;
  public static final int DEFER_EDIT = 6;
  public static final int UPDATE_MESSAGE = 7;
  public static final int AUTOCOMPLETE_RESULT = 8;

  private final DiscordEmulator emu;
  private final long id;
  private final String token;
  private final int type;
  private final long channelId;
  private final long userId;
  private final Instant dispatchedAt;
  private final long dispatchedNanos;
  private final Long sourceMessageId;
  private Integer callbackType;
  private long ackNanos = -1;
  private Instant ackAt;
  private Long originalMessageId;
  private JsonNode choices;
  private final List<Long> followUps = new ArrayList<>();
  private final List<String> refusals = new ArrayList<>();

  EmuInteraction(
      DiscordEmulator emu,
      long id,
      String token,
      int type,
      long channelId,
      long userId,
      Long sourceMessageId,
      Instant dispatchedAt) {
    this.emu = emu;
    this.id = id;
    this.token = token;
    this.type = type;
    this.channelId = channelId;
    this.userId = userId;
    this.sourceMessageId = sourceMessageId;
    this.dispatchedAt = dispatchedAt;
    this.dispatchedNanos = System.nanoTime();
  }

  public long id() {
    return id;
  }

  public String token() {
    return token;
  }

  public long channelId() {
    return channelId;
  }

  public long userId() {
    return userId;
  }

  Instant dispatchedAt() {
    return dispatchedAt;
  }

  Optional<Long> sourceMessageId() {
    return Optional.ofNullable(sourceMessageId);
  }

  int type() {
    return type;
  }

  /** The callback type the bot answered with, once it has. */
  public Optional<Integer> callbackType() {
    synchronized (emu.lock) {
      return Optional.ofNullable(callbackType);
    }
  }

  /** Waits until the bot acknowledged the interaction; returns the callback type. */
  public int awaitAck(Duration timeout) {
    return emu.await(() -> callbackType, timeout, "an acknowledgement of interaction " + id);
  }

  /** Time from dispatch to the bot's acknowledgement, once it acknowledged. */
  public Optional<Duration> ackLatency() {
    synchronized (emu.lock) {
      return ackNanos < 0
          ? Optional.empty()
          : Optional.of(Duration.ofNanos(ackNanos - dispatchedNanos));
    }
  }

  long dispatchedNanos() {
    return dispatchedNanos;
  }

  /** The response message (a reply, or the deferred "thinking…" message and its edits). */
  public Optional<EmuMessage> original() {
    synchronized (emu.lock) {
      return Optional.ofNullable(originalMessageId).map(emu::messageById);
    }
  }

  /**
   * Waits until the response message is no longer "thinking…" and returns its text (content and
   * embeds).
   */
  public String awaitResponseText(Duration timeout) {
    EmuMessage m =
        emu.await(
            () -> {
              EmuMessage o = originalMessageId == null ? null : emu.messageById(originalMessageId);
              return o != null && !o.loading() ? o : null;
            },
            timeout,
            "a response to interaction " + id);
    return m.text();
  }

  public List<EmuMessage> followUps() {
    synchronized (emu.lock) {
      return followUps.stream().map(emu::messageById).toList();
    }
  }

  /** The choices of an autocomplete answer. */
  public Optional<JsonNode> choices() {
    synchronized (emu.lock) {
      return Optional.ofNullable(choices);
    }
  }

  public JsonNode awaitChoices(Duration timeout) {
    return emu.await(() -> choices, timeout, "autocomplete choices for " + id);
  }

  /** Requests about this interaction the emulator refused (late ack, double ack, expired token). */
  public List<String> refusals() {
    synchronized (emu.lock) {
      return List.copyOf(refusals);
    }
  }

  // ------------------------------------------------------------ emulator side (under emu.lock)

  boolean acknowledged() {
    return callbackType != null;
  }

  void acknowledge(int callback, Instant at) {
    callbackType = callback;
    ackAt = at;
    ackNanos = System.nanoTime();
  }

  Optional<Instant> ackAt() {
    return Optional.ofNullable(ackAt);
  }

  Long originalMessageId() {
    return originalMessageId;
  }

  void original(long messageId) {
    originalMessageId = messageId;
  }

  void choices(JsonNode c) {
    choices = c;
  }

  void followUp(long messageId) {
    followUps.add(messageId);
  }

  void refused(String why) {
    refusals.add(why);
  }
}
