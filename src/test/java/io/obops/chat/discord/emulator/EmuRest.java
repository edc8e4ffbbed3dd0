package io.obops.chat.discord.emulator;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The REST half of the emulator: routes below {@code /api/v10/} (paths URL-decoded first, because
 * JDA sends {@code %40original}), rate-limit headers on every answer, Discord's error bodies.
 */
final class EmuRest implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(EmuRest.class);
  private static final String API = "/api/v10/";

  /** A request body: the message JSON and the files uploaded with it. */
  private record Body(JsonNode json, List<EmuMessage.Attachment> files) {}

  private record Answer(int status, JsonNode json, byte[] raw, String contentType) {
    static Answer json(int status, JsonNode json) {
      return new Answer(status, json, null, null);
    }

    static Answer empty() {
      return new Answer(204, null, null, null);
    }

    static Answer error(int status, int code, String message) {
      ObjectNode e = EmuJson.object();
      e.put("code", code);
      e.put("message", message);
      return new Answer(status, e, null, null);
    }
  }

  private final DiscordEmulator emu;

  EmuRest(DiscordEmulator emu) {
    this.emu = emu;
  }

  @Override
  public void handle(HttpExchange ex) throws IOException {
    try (ex) {
      String method = ex.getRequestMethod();
      String rawPath = ex.getRequestURI().getRawPath();
      byte[] raw;
      try (InputStream in = ex.getRequestBody()) {
        raw = in.readAllBytes();
      }
      if (rawPath.startsWith("/attachments/")) {
        serveAttachment(ex, rawPath);
        return;
      }
      if (!rawPath.startsWith(API)) {
        respond(ex, Answer.error(404, 0, "404: Not Found"), Map.of());
        return;
      }
      String[] seg = rawPath.substring(API.length()).split("/");
      for (int i = 0; i < seg.length; i++) {
        seg[i] = URLDecoder.decode(seg[i], StandardCharsets.UTF_8);
      }
      String path = String.join("/", seg);
      EmuRateLimits.Decision limit = emu.rateLimits().decide(method, path);
      Answer answer;
      if (limit.limited()) {
        ObjectNode body = EmuJson.object();
        body.put("message", "You are being rate limited.");
        body.put("retry_after", limit.retryAfterSeconds());
        body.put("global", limit.global());
        answer = Answer.json(429, body);
      } else if (!authorized(ex, seg)) {
        answer = Answer.error(401, 0, "401: Unauthorized");
      } else {
        Optional<DiscordEmulator.Fault> fault = emu.fault(method, path);
        answer =
            fault.isPresent()
                ? Answer.error(
                    fault.get().status(),
                    fault.get().code(),
                    fault.get().code() == 50013 ? "Missing Permissions" : "Emulated fault")
                : route(method, seg, ex, raw);
      }
      emu.record(new DiscordEmulator.Request(method, path, answer.status()));
      respond(ex, answer, limit.headers());
    } catch (RuntimeException e) {
      log.warn("emulator failed on {} {}", ex.getRequestMethod(), ex.getRequestURI(), e);
      throw e;
    }
  }

  private boolean authorized(HttpExchange ex, String[] seg) {
    if (seg[0].equals("interactions") || seg[0].equals("webhooks")) {
      return true; // the interaction token in the path is the credential
    }
    String auth = ex.getRequestHeaders().getFirst("Authorization");
    return auth != null && auth.startsWith("Bot ") && emu.tokenMatches(auth.substring(4));
  }

  private Answer route(String method, String[] s, HttpExchange ex, byte[] raw) {
    int n = s.length;
    switch (s[0]) {
      case "users":
        if (method.equals("GET") && n == 2 && s[1].equals("@me")) {
          return Answer.json(200, emu.userJson());
        }
        break;
      case "gateway":
        if (method.equals("GET")) {
          ObjectNode g = EmuJson.object();
          g.put("url", emu.gatewayUrl());
          g.put("shards", 1);
          ObjectNode limit = g.putObject("session_start_limit");
          limit.put("total", 1000);
          limit.put("remaining", 1000);
          limit.put("reset_after", 0);
          limit.put("max_concurrency", 1);
          return Answer.json(200, g);
        }
        break;
      case "applications":
        if (n == 3 && s[2].equals("commands") && method.equals("PUT")) {
          return Answer.json(200, emu.registerCommands("global", EmuJson.parse(raw)));
        }
        if (n == 5 && s[2].equals("guilds") && s[4].equals("commands") && method.equals("PUT")) {
          return Answer.json(200, emu.registerCommands(s[3], EmuJson.parse(raw)));
        }
        if ((n == 3 || n == 5) && method.equals("GET")) {
          return Answer.json(200, emu.registeredCommands(n == 3 ? null : Long.parseLong(s[3])));
        }
        break;
      case "interactions":
        if (n == 4 && s[3].equals("callback") && method.equals("POST")) {
          return callback(s[1], s[2], body(ex, raw));
        }
        break;
      case "webhooks":
        return webhook(method, s, ex, raw);
      case "channels":
        return channel(method, s, ex, raw);
      default:
        break;
    }
    return Answer.error(404, 0, "404: Not Found");
  }

  // ------------------------------------------------------------------ interactions

  private Answer callback(String id, String itoken, Body body) {
    EmuInteraction i = emu.interaction(parseId(id));
    if (i == null || !i.token().equals(itoken)) {
      return Answer.error(404, 10062, "Unknown interaction");
    }
    synchronized (emu.lock) {
      if (i.acknowledged()) {
        i.refused("second acknowledgement");
        return Answer.error(400, 40060, "Interaction has already been acknowledged.");
      }
      long ageNanos = System.nanoTime() - i.dispatchedNanos();
      if (ageNanos > emu.ackDeadline().toNanos()) {
        i.refused("acknowledged after " + Duration.ofNanos(ageNanos).toMillis() + " ms");
        return Answer.error(404, 10062, "Unknown interaction");
      }
      int type = body.json().path("type").asInt();
      JsonNode data = body.json().path("data");
      switch (type) {
        case EmuInteraction.REPLY -> {
          EmuMessage m = emu.createMessage(i.channelId(), 20, true, data, body.files());
          i.original(m.id());
        }
        case EmuInteraction.DEFER_REPLY -> {
          boolean ephemeral = (data.path("flags").asInt() & 64) != 0;
          i.original(emu.createLoading(i.channelId(), ephemeral).id());
        }
        case EmuInteraction.UPDATE_MESSAGE -> {
          EmuMessage source = i.sourceMessageId().map(emu::messageById).orElse(null);
          if (source == null) {
            return Answer.error(400, 50035, "Invalid Form Body: no message to update");
          }
          emu.editMessage(source, data, body.files());
        }
        case EmuInteraction.AUTOCOMPLETE_RESULT -> i.choices(data.path("choices").deepCopy());
        case EmuInteraction.DEFER_EDIT, 9 -> {
          // nothing to show
        }
        default -> {
          return Answer.error(400, 50035, "Invalid Form Body: callback type " + type);
        }
      }
      emu.acknowledged(i, type);
    }
    return Answer.empty();
  }

  private Answer webhook(String method, String[] s, HttpExchange ex, byte[] raw) {
    int n = s.length;
    if (n < 3) {
      return Answer.error(404, 10015, "Unknown Webhook");
    }
    EmuInteraction i = emu.interactionByToken(s[2]);
    if (i == null || parseId(s[1]) != emu.applicationId()) {
      return Answer.error(404, 10015, "Unknown Webhook");
    }
    synchronized (emu.lock) {
      if (Duration.between(i.dispatchedAt(), emu.now()).compareTo(emu.tokenTtl()) > 0) {
        i.refused("webhook call with an expired token");
        return Answer.error(401, 50027, "Invalid Webhook Token");
      }
      if (!i.acknowledged()) {
        return Answer.error(404, 10015, "Unknown Webhook");
      }
      if (n == 3 && method.equals("POST")) {
        Body body = body(ex, raw);
        EmuMessage original =
            Optional.ofNullable(i.originalMessageId()).map(emu::messageById).orElse(null);
        if (original != null && original.loading()) {
          emu.editMessage(original, body.json(), body.files());
          return Answer.json(200, original.toJson(emu));
        }
        EmuMessage m = emu.createMessage(i.channelId(), 0, true, body.json(), body.files());
        i.followUp(m.id());
        emu.changed();
        return Answer.json(200, m.toJson(emu));
      }
      if (n == 5 && s[3].equals("messages")) {
        EmuMessage m =
            s[4].equals("@original")
                ? Optional.ofNullable(i.originalMessageId())
                    .or(i::sourceMessageId)
                    .map(emu::messageById)
                    .orElse(null)
                : emu.messageById(parseId(s[4]));
        if (m == null) {
          return Answer.error(404, 10008, "Unknown Message");
        }
        switch (method) {
          case "GET":
            return Answer.json(200, m.toJson(emu));
          case "PATCH":
            Body body = body(ex, raw);
            emu.editMessage(m, body.json(), body.files());
            return Answer.json(200, m.toJson(emu));
          case "DELETE":
            emu.deleteMessage(m.id());
            return Answer.empty();
          default:
            break;
        }
      }
    }
    return Answer.error(404, 0, "404: Not Found");
  }

  // ------------------------------------------------------------------ channels

  private Answer channel(String method, String[] s, HttpExchange ex, byte[] raw) {
    int n = s.length;
    long channelId = n > 1 ? parseId(s[1]) : -1;
    if (!emu.knownChannel(channelId)) {
      return Answer.error(404, 10003, "Unknown Channel");
    }
    if (!emu.botMay(channelId, EmuPermissions.VIEW_CHANNEL)) {
      return Answer.error(403, 50001, "Missing Access");
    }
    Optional<DiscordEmulator.Thread> thread = emu.thread(channelId);
    if (n == 2 && method.equals("GET")) {
      return Answer.json(200, emu.channelJson(channelId));
    }
    if (n == 3 && s[2].equals("messages") && method.equals("POST")) {
      long send =
          thread.isPresent()
              ? EmuPermissions.SEND_MESSAGES_IN_THREADS
              : EmuPermissions.SEND_MESSAGES;
      if (!emu.botMay(channelId, send)) {
        return Answer.error(403, 50013, "Missing Permissions");
      }
      if (thread.isPresent()
          && thread.get().locked()
          && !emu.botMay(channelId, EmuPermissions.MANAGE_THREADS)) {
        return Answer.error(403, 160005, "Thread is locked");
      }
      Body body = body(ex, raw);
      Answer invalid = validate(body);
      if (invalid != null) {
        return invalid;
      }
      if (!body.files().isEmpty() && !emu.botMay(channelId, EmuPermissions.ATTACH_FILES)) {
        return Answer.error(403, 50013, "Missing Permissions");
      }
      long size = body.files().stream().mapToLong(f -> f.data().length).sum();
      if (size > emu.uploadLimit()) {
        return Answer.error(413, 40005, "Request entity too large");
      }
      dropEmbedsWithoutPermission(channelId, body.json());
      if (thread.isPresent()) {
        emu.threadActivity(channelId); // un-archives an unlocked thread
      }
      return Answer.json(
          200, emu.createMessage(channelId, 0, false, body.json(), body.files()).toJson(emu));
    }
    if (n == 3 && s[2].equals("threads") && method.equals("POST")) {
      if (!emu.botMay(channelId, EmuPermissions.CREATE_PUBLIC_THREADS)) {
        return Answer.error(403, 50013, "Missing Permissions");
      }
      JsonNode body = EmuJson.parse(raw);
      return Answer.json(
          201,
          emu.threadJson(
              emu.createThread(channelId, null, threadName(body), autoArchive(body)).id()));
    }
    if (n == 4 && s[2].equals("thread-members")) {
      return Answer.empty();
    }
    if (n >= 4 && s[2].equals("messages")) {
      EmuMessage m = emu.messageById(parseId(s[3]));
      if (m == null || m.channelId() != channelId) {
        return Answer.error(404, 10008, "Unknown Message");
      }
      if (n == 5 && s[4].equals("threads") && method.equals("POST")) {
        if (!emu.botMay(channelId, EmuPermissions.CREATE_PUBLIC_THREADS)) {
          return Answer.error(403, 50013, "Missing Permissions");
        }
        if (m.threadId().isPresent()) {
          return Answer.error(400, 160004, "A thread has already been created for this message");
        }
        JsonNode body = EmuJson.parse(raw);
        return Answer.json(
            201,
            emu.threadJson(
                emu.createThread(channelId, m.id(), threadName(body), autoArchive(body)).id()));
      }
      if (n == 4) {
        switch (method) {
          case "GET":
            return Answer.json(200, m.toJson(emu));
          case "PATCH":
            if (Duration.between(m.createdAt(), emu.now()).compareTo(emu.editAgeLimit()) > 0) {
              emu.staleEdit();
              // Discord answers 429 code 30046 once an old message's edit budget is spent; the
              // emulator refuses every such edit (400) so a test sees the bot never tries.
              return Answer.error(
                  400,
                  30046,
                  "Maximum number of edits to messages older than 1 hour reached. Try again"
                      + " later.");
            }
            if (thread.isPresent() && thread.get().locked()) {
              return Answer.error(403, 160005, "Thread is locked");
            }
            if (thread.isPresent() && thread.get().archived()) {
              return Answer.error(
                  400, 50083, "Operation cannot be performed on an archived thread");
            }
            Body body = body(ex, raw);
            Answer invalid = validate(body);
            if (invalid != null) {
              return invalid;
            }
            dropEmbedsWithoutPermission(channelId, body.json());
            emu.editMessage(m, body.json(), body.files());
            return Answer.json(200, m.toJson(emu));
          case "DELETE":
            emu.deleteMessage(m.id());
            return Answer.empty();
          default:
            break;
        }
      }
    }
    return Answer.error(404, 0, "404: Not Found");
  }

  /** Discord drops embeds silently when the bot lacks Embed Links (the message still posts). */
  private void dropEmbedsWithoutPermission(long channelId, JsonNode json) {
    if (json instanceof ObjectNode o
        && o.has("embeds")
        && !emu.botMay(channelId, EmuPermissions.EMBED_LINKS)) {
      o.set("embeds", EmuJson.array());
    }
  }

  private static int autoArchive(JsonNode body) {
    return body.path("auto_archive_duration").asInt(1440);
  }

  private static String threadName(JsonNode body) {
    String name = body.path("name").asString("thread");
    return name.isEmpty() ? "thread" : name;
  }

  private static Answer validate(Body body) {
    JsonNode j = body.json();
    if (j.path("content").asString("").length() > 2000) {
      return Answer.error(400, 50035, "Invalid Form Body: content longer than 2000");
    }
    if (j.path("embeds").size() > 10) {
      return Answer.error(400, 50035, "Invalid Form Body: more than 10 embeds");
    }
    return null;
  }

  // ------------------------------------------------------------------ bodies and answers

  private Body body(HttpExchange ex, byte[] raw) {
    String type = ex.getRequestHeaders().getFirst("Content-Type");
    if (!Multipart.is(type)) {
      return new Body(EmuJson.parse(raw), List.of());
    }
    JsonNode json = EmuJson.object();
    List<Multipart.Part> parts = Multipart.parse(type, raw);
    for (Multipart.Part p : parts) {
      if ("payload_json".equals(p.name())) {
        json = EmuJson.parse(p.body());
      }
    }
    List<EmuMessage.Attachment> files = new ArrayList<>();
    for (Multipart.Part p : parts) {
      if (p.name() != null && p.name().startsWith("files[")) {
        String index = p.name().substring(6, p.name().length() - 1);
        String filename = p.filename();
        String contentType = p.contentType();
        for (JsonNode a : json.path("attachments")) {
          if (a.path("id").asString().equals(index)) {
            filename = a.path("filename").asString(filename);
            contentType = a.path("content_type").asString(contentType);
          }
        }
        files.add(emu.attachment(filename, contentType, p.body()));
      }
    }
    // Uploaded files are new; the attachments array then lists which old ones to keep.
    if (json instanceof ObjectNode o && o.has("attachments")) {
      ArrayNode keep = EmuJson.array();
      for (JsonNode a : o.get("attachments")) {
        if (a.path("id").asString().length() > 3) {
          keep.add(a);
        }
      }
      o.set("attachments", keep);
    }
    return new Body(json, files);
  }

  private void serveAttachment(HttpExchange ex, String rawPath) throws IOException {
    String[] s = rawPath.split("/");
    Optional<EmuMessage.Attachment> a =
        s.length > 3 ? emu.attachmentById(parseId(s[3])) : Optional.empty();
    if (a.isEmpty()) {
      ex.sendResponseHeaders(404, -1);
      return;
    }
    ex.getResponseHeaders()
        .set("Content-Type", Optional.ofNullable(a.get().contentType()).orElse("text/plain"));
    ex.sendResponseHeaders(200, a.get().data().length);
    ex.getResponseBody().write(a.get().data());
  }

  private static void respond(HttpExchange ex, Answer a, Map<String, String> headers)
      throws IOException {
    headers.forEach((k, v) -> ex.getResponseHeaders().set(k, v));
    if (a.status() == 204) {
      ex.sendResponseHeaders(204, -1);
      return;
    }
    byte[] bytes = a.raw() != null ? a.raw() : EmuJson.bytes(a.json());
    ex.getResponseHeaders().set("Content-Type", "application/json");
    ex.sendResponseHeaders(a.status(), bytes.length);
    ex.getResponseBody().write(bytes);
  }

  private static long parseId(String s) {
    try {
      return Long.parseLong(s);
    } catch (NumberFormatException e) {
      return -1;
    }
  }
}
