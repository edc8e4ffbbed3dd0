package io.obops.chat.discord.emulator;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.WebSocketServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * The gateway: HELLO on open, IDENTIFY at any time (JDA sends it before HELLO arrives), READY with
 * {@code private_channels} then one full GUILD_CREATE, heartbeats and ACKs, RESUME with replay of
 * the dispatches the client missed, and dispatches to the newest live session.
 */
final class EmuGateway extends WebSocketServer {

  private static final Logger log = LoggerFactory.getLogger(EmuGateway.class);

  /** One IDENTIFYed session; it outlives its connection so that a RESUME can replay. */
  static final class Session {
    final String id;
    final List<ObjectNode> sent = new ArrayList<>();
    WebSocket connection;
    int seq;

    Session(String id) {
      this.id = id;
    }
  }

  private final DiscordEmulator emu;
  private final CountDownLatch started = new CountDownLatch(1);
  private final Map<String, Session> sessions = new ConcurrentHashMap<>();
  private final Map<WebSocket, Session> byConnection = new ConcurrentHashMap<>();
  private volatile Session current;
  private volatile int identifies;
  private volatile int resumes;

  EmuGateway(DiscordEmulator emu, int port) {
    super(new InetSocketAddress("127.0.0.1", port));
    this.emu = emu;
    setReuseAddr(true);
    setTcpNoDelay(true);
  }

  void startAndWait() {
    start();
    try {
      if (!started.await(10, TimeUnit.SECONDS)) {
        throw new IllegalStateException("the emulator's gateway did not start in 10 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  @Override
  public void onStart() {
    started.countDown();
  }

  @Override
  public void onOpen(WebSocket conn, ClientHandshake handshake) {
    ObjectNode hello = EmuJson.object();
    hello.put("op", 10);
    hello.putObject("d").put("heartbeat_interval", 41250);
    conn.send(hello.toString());
  }

  @Override
  public void onMessage(WebSocket conn, String text) {
    JsonNode msg = EmuJson.MAPPER.readTree(text);
    int op = msg.path("op").asInt(-1);
    JsonNode d = msg.path("d");
    switch (op) {
      case 1 -> conn.send("{\"op\":11}");
      case 2 -> identify(conn, d);
      case 6 -> resume(conn, d);
      case 3, 4, 8 -> {
        // presence, voice state, member chunk requests: nothing to do
      }
      default -> log.debug("gateway op {} ignored", op);
    }
  }

  private void identify(WebSocket conn, JsonNode d) {
    if (!emu.tokenMatches(d.path("token").asString(""))) {
      conn.close(4004, "Authentication failed.");
      return;
    }
    identifies++;
    Session s = new Session("emu-session-" + EmuJson.snowflake());
    synchronized (s) {
      s.connection = conn;
      sessions.put(s.id, s);
      byConnection.put(conn, s);
      current = s;
      send(s, "READY", emu.readyPayload(s.id, "ws://127.0.0.1:" + getPort() + "/gateway"));
      send(s, "GUILD_CREATE", emu.guildCreatePayload());
    }
  }

  private void resume(WebSocket conn, JsonNode d) {
    Session s = sessions.get(d.path("session_id").asString(""));
    if (s == null || !emu.tokenMatches(d.path("token").asString(""))) {
      conn.send("{\"op\":9,\"d\":false}");
      return;
    }
    resumes++;
    int from = d.path("seq").asInt();
    synchronized (s) {
      s.connection = conn;
      byConnection.put(conn, s);
      current = s;
      for (ObjectNode missed : s.sent) {
        if (missed.path("s").asInt() > from) {
          conn.send(missed.toString());
        }
      }
      ObjectNode resumed = EmuJson.object();
      resumed.put("op", 0);
      resumed.put("t", "RESUMED");
      resumed.put("s", ++s.seq);
      resumed.putObject("d");
      conn.send(resumed.toString());
    }
  }

  private void send(Session s, String type, JsonNode payload) {
    ObjectNode frame = EmuJson.object();
    frame.put("op", 0);
    frame.put("t", type);
    frame.put("s", ++s.seq);
    frame.set("d", payload);
    s.sent.add(frame);
    WebSocket c = s.connection;
    if (c != null && c.isOpen()) {
      c.send(frame.toString());
    }
  }

  /** Sends a dispatch to the newest session (kept for replay if its connection is down). */
  boolean dispatch(String type, JsonNode payload) {
    Session s = current;
    if (s == null) {
      return false;
    }
    synchronized (s) {
      send(s, type, payload);
    }
    return true;
  }

  boolean hasLiveSession() {
    Session s = current;
    return s != null && s.connection != null && s.connection.isOpen();
  }

  /** Closes the live connection with a resumable code; JDA reconnects and RESUMEs. */
  void dropConnection() {
    Session s = current;
    if (s != null && s.connection != null) {
      s.connection.close(4000, "emulator: connection dropped");
    }
  }

  /** Asks the client to reconnect (op 7); JDA closes, reconnects and RESUMEs. */
  void requestReconnect() {
    Session s = current;
    if (s != null && s.connection != null && s.connection.isOpen()) {
      s.connection.send("{\"op\":7,\"d\":null}");
    }
  }

  int identifies() {
    return identifies;
  }

  int resumes() {
    return resumes;
  }

  @Override
  public void onClose(WebSocket conn, int code, String reason, boolean remote) {
    Session s = byConnection.remove(conn);
    if (s != null) {
      synchronized (s) {
        if (s.connection == conn) {
          s.connection = null;
        }
      }
    }
  }

  @Override
  public void onError(WebSocket conn, Exception ex) {
    log.debug("gateway error", ex);
  }
}
