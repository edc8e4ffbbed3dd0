package io.obops.sandbox;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.certificate.OpenSshCertificateBuilder;
import org.apache.sshd.common.config.keys.KeyUtils;
import org.apache.sshd.common.config.keys.OpenSshCertificate;
import org.apache.sshd.common.keyprovider.KeyPairProvider;
import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.session.SessionListener;
import org.apache.sshd.core.CoreModuleProperties;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.command.CommandFactory;

/**
 * One simulated host: an embedded SSH server on its own loopback address, with its own host key,
 * that accepts only the sandbox's client key for the current OS user. Guarded by {@code this}.
 */
final class SandboxHost {

  private final String ip;
  private final String user;
  private final PublicKey clientKey;
  private final CommandFactory commands;
  private KeyPair hostKey;
  private OpenSshCertificate certificate; // presented beside the plain key once certified
  private int port; // 0 until first started, then kept so the host comes back on the same port
  private SshServer server;
  private final AtomicInteger sessions = new AtomicInteger();

  SandboxHost(String ip, String user, PublicKey clientKey, CommandFactory commands) {
    this(ip, user, clientKey, commands, SandboxKeys.generate(), 0);
  }

  /** A host with a kept host key, preferring a port it had before (0: any). */
  SandboxHost(
      String ip,
      String user,
      PublicKey clientKey,
      CommandFactory commands,
      KeyPair hostKey,
      int preferredPort) {
    this.hostKey = hostKey;
    this.port = preferredPort;
    this.ip = ip;
    this.user = user;
    this.clientKey = clientKey;
    this.commands = commands;
  }

  String ip() {
    return ip;
  }

  synchronized int port() {
    return port;
  }

  synchronized PublicKey hostKey() {
    return hostKey.getPublic();
  }

  /** How many SSH connections this host has accepted so far. */
  int sessionsAccepted() {
    return sessions.get();
  }

  synchronized boolean running() {
    return server != null;
  }

  synchronized void start() {
    if (server != null) {
      return;
    }
    SshServer s = SshServer.setUpDefaultServer();
    s.setHost(ip);
    s.setPort(port);
    s.setKeyPairProvider(KeyPairProvider.wrap(hostKey));
    OpenSshCertificate presented = certificate;
    if (presented != null) {
      s.setHostKeyCertificateProvider(session -> List.of(presented));
    }
    s.setPublickeyAuthenticator(
        (username, key, session) -> user.equals(username) && KeyUtils.compareKeys(clientKey, key));
    s.setPasswordAuthenticator(null);
    s.setKeyboardInteractiveAuthenticator(null);
    s.setGSSAuthenticator(null);
    s.setHostBasedAuthenticator(null);
    s.setShellFactory(null);
    s.setCommandFactory(commands);
    CoreModuleProperties.NIO_WORKERS.set(s, 1);
    s.addSessionListener(
        new SessionListener() {
          @Override
          public void sessionCreated(Session session) {
            sessions.incrementAndGet();
          }
        });
    try {
      s.start();
    } catch (IOException e) {
      boolean inUse = String.valueOf(e.getMessage()).contains("in use");
      throw new UncheckedIOException(
          "cannot start the sandbox SSH server on "
              + ip
              + ":"
              + port
              + (inUse
                  ? ": the address is in use. Another obops (or one still shutting down) holds"
                      + " it: stop it and start again, or delete the sandbox folder (./data/sandbox"
                      + " in the embedded default) to get new addresses"
                  : ""),
          e);
    }
    port = s.getPort();
    server = s;
  }

  /** Stops the SSH server: connections drop and new ones are refused. Processes keep running. */
  synchronized void stop() {
    if (server == null) {
      return;
    }
    try {
      server.stop(true);
    } catch (IOException e) {
      // closing is best effort; the port is released with the acceptor
    } finally {
      server = null;
    }
  }

  /** A new host key, as after a reinstall; the SSH server restarts with it if it was running. */
  synchronized void regenerateHostKey() {
    boolean wasRunning = server != null;
    stop();
    hostKey = SandboxKeys.generate();
    certificate = null;
    if (wasRunning) {
      start();
    }
  }

  /**
   * Gives the host a certificate of its current key, signed by {@code ca} for {@code principals};
   * the SSH server restarts to present it (a client that asks for a certificate gets it).
   */
  synchronized void certify(KeyPair ca, List<String> principals) {
    try {
      certificate =
          OpenSshCertificateBuilder.hostCertificate()
              .publicKey(hostKey.getPublic())
              .serial(System.nanoTime())
              .id("obops sandbox host " + ip)
              .principals(principals)
              .validAfter(Instant.now().minus(Duration.ofHours(1)))
              .validBefore(Instant.now().plus(Duration.ofDays(1)))
              .sign(ca);
    } catch (Exception e) {
      throw new IllegalStateException("cannot sign a host certificate for " + ip, e);
    }
    boolean wasRunning = server != null;
    stop();
    if (wasRunning) {
      start();
    }
  }

  /** The known_hosts line for this host's current key. */
  synchronized String knownHostsLine() {
    return "[" + ip + "]:" + port + " " + SandboxKeys.publicKeyLine(hostKey.getPublic());
  }
}
