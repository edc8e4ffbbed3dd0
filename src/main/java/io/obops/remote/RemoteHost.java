package io.obops.remote;

import io.obops.cluster.ObServer;
import java.util.regex.Pattern;

/**
 * Where a command runs: an SSH login {@code user@ip:port}. Also the key of the connection pool, so
 * two servers on one host share one connection.
 */
public record RemoteHost(String user, String ip, int port) {

  private static final Pattern USER = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,63}");

  public RemoteHost {
    if (user == null || !USER.matcher(user).matches()) {
      throw new IllegalArgumentException("invalid SSH user " + printable(user));
    }
    IpAddresses.requireLiteral(ip);
    if (port < 1 || port > 65535) {
      throw new IllegalArgumentException("invalid SSH port " + port + " for " + ip);
    }
  }

  /** The SSH login of a server as the inventory describes it. */
  public static RemoteHost of(ObServer server) {
    return new RemoteHost(server.sshUser(), server.ip(), server.sshPort());
  }

  @Override
  public String toString() {
    return user + "@" + ip + ":" + port;
  }

  static String printable(String value) {
    if (value == null) {
      return "(missing)";
    }
    StringBuilder sb = new StringBuilder("'");
    value
        .codePoints()
        .limit(200)
        .forEach(c -> sb.append(Character.isISOControl(c) ? '?' : (char) c));
    return sb.append("'").toString();
  }
}
