package io.obops.chat.discord.emulator;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicLong;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** JSON, snowflakes and timestamps as Discord writes them. */
final class EmuJson {

  static final JsonMapper MAPPER = JsonMapper.builder().build();
  private static final long DISCORD_EPOCH = 1420070400000L;
  private static final AtomicLong LAST = new AtomicLong();
  private static final DateTimeFormatter ISO =
      DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

  private EmuJson() {}

  static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  static ArrayNode array() {
    return MAPPER.createArrayNode();
  }

  static JsonNode parse(byte[] body) {
    return body.length == 0 ? object() : MAPPER.readTree(body);
  }

  static byte[] bytes(JsonNode node) {
    return MAPPER.writeValueAsBytes(node);
  }

  /**
   * A time-based snowflake of the real clock (JDA derives creation times and the interaction hook's
   * expiry from ids), strictly increasing.
   */
  static long snowflake() {
    long candidate = (System.currentTimeMillis() - DISCORD_EPOCH) << 22;
    return LAST.updateAndGet(last -> Math.max(last + 1, candidate));
  }

  /** A snowflake that claims to have been created at {@code at}. */
  static long snowflakeAt(Instant at) {
    long candidate = (at.toEpochMilli() - DISCORD_EPOCH) << 22;
    return candidate | (LAST.incrementAndGet() & 0xFFF);
  }

  static String timestamp(Instant at) {
    return ISO.format(at);
  }
}
