package io.obops.remote;

import io.obops.cluster.ObServer;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * The validated facts about one server that reach the observer script, each as it will be passed.
 * Nothing here is trusted to be shell-safe: every value is still quoted when the command is built.
 */
record ObserverTarget(
    RemoteHost host,
    String ip,
    String homePath,
    int argv0Length,
    String argv0Od,
    String addresses,
    int mysqlPort,
    int rpcPort) {

  static ObserverTarget of(ObServer server) {
    RemoteHost host = RemoteHost.of(server);
    String home =
        ShellQuoting.requireShellSafe("home_path of " + server.address(), server.homePath());
    if (!home.startsWith("/")) {
      throw new IllegalArgumentException(
          "home_path of "
              + server.address()
              + " must be absolute, was "
              + RemoteHost.printable(home));
    }
    while (home.length() > 1 && home.endsWith("/")) {
      home = home.substring(0, home.length() - 1);
    }
    if (home.equals("/") || home.length() > 4000) {
      throw new IllegalArgumentException(
          "home_path of " + server.address() + " is not usable: " + RemoteHost.printable(home));
    }
    requirePort(server, "mysql_port", server.mysqlPort());
    requirePort(server, "rpc_port", server.rpcPort());
    if (server.mysqlPort() == server.rpcPort()) {
      throw new IllegalArgumentException(
          "mysql_port and rpc_port of " + server.address() + " are the same port");
    }
    byte[] argv0 = (home + "/bin/observer\0").getBytes(StandardCharsets.UTF_8);
    return new ObserverTarget(
        host,
        server.ip(),
        home,
        argv0.length,
        odHex(argv0),
        IpAddresses.procNetAlternatives(server.ip()),
        server.mysqlPort(),
        server.rpcPort());
  }

  String pidFile() {
    return homePath + "/run/observer.pid";
  }

  /** The positional arguments of observer-control.sh after MODE, unquoted. */
  List<String> scriptArguments(ObserverControlSettings settings) {
    return List.of(
        homePath,
        Integer.toString(argv0Length),
        argv0Od,
        addresses,
        Integer.toString(mysqlPort),
        portHex(mysqlPort),
        Integer.toString(rpcPort),
        portHex(rpcPort),
        settings.signal().name().toLowerCase(Locale.ROOT),
        Long.toString(settings.gracefulTimeout().toMillis()),
        Long.toString(settings.releaseTimeout().toMillis()),
        Long.toString(settings.pollInterval().toMillis()),
        Long.toString(settings.startTimeout().toMillis()));
  }

  /**
   * {@code bytes} as GNU {@code od -An -v -tx1} prints them, with a space for each of its line
   * breaks (the script compares both sides so, and a served request is one line).
   */
  static String odHex(byte[] bytes) {
    HexFormat hex = HexFormat.of();
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < bytes.length; i++) {
      if (i > 0 && i % 16 == 0) {
        sb.append(' ');
      }
      sb.append(' ').append(hex.toHexDigits(bytes[i]));
    }
    return sb.toString();
  }

  private static String portHex(int port) {
    return String.format(Locale.ROOT, "%04X", port);
  }

  private static void requirePort(ObServer server, String name, int port) {
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException(name + " of " + server.address() + " is invalid: " + port);
    }
  }
}
