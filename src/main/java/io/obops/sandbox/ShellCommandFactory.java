package io.obops.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/**
 * Runs each SSH "exec" request as {@code /bin/sh -c <command>} as the current OS user in its home
 * directory, like sshd does for a user whose login shell is /bin/sh. Standard input is the
 * channel's, as with sshd: a command kept running (observer-control.sh serving) reads its requests
 * there; it ends when the client closes the channel or the connection.
 */
final class ShellCommandFactory implements CommandFactory {

  private final ExecutorService pumps;
  private final boolean noInput;
  private final File workingDirectory = new File(System.getProperty("user.home"));
  private final ConcurrentHashMap<String, AtomicInteger> started = new ConcurrentHashMap<>();

  /**
   * {@code noInput}: commands read /dev/null instead of the channel, like a host whose sshd forces
   * a command or whose shell cannot keep a script running.
   */
  ShellCommandFactory(ExecutorService pumps, boolean noInput) {
    this.pumps = pumps;
    this.noInput = noInput;
  }

  @Override
  public Command createCommand(ChannelSession channel, String command) {
    if (channel.getSession().getLocalAddress() instanceof InetSocketAddress local) {
      started
          .computeIfAbsent(local.getAddress().getHostAddress(), ip -> new AtomicInteger())
          .incrementAndGet();
    }
    return new ShellCommand(command);
  }

  /** How many exec requests the host at {@code ip} received. */
  int started(String ip) {
    AtomicInteger n = started.get(ip);
    return n == null ? 0 : n.get();
  }

  private final class ShellCommand implements Command {
    private final String command;
    private InputStream in;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    ShellCommand(String command) {
      this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
      this.in = in;
    }

    @Override
    public void setOutputStream(OutputStream out) {
      this.out = out;
    }

    @Override
    public void setErrorStream(OutputStream err) {
      this.err = err;
    }

    @Override
    public void setExitCallback(ExitCallback callback) {
      this.exit = callback;
    }

    @Override
    public void start(ChannelSession channel, Environment env) throws IOException {
      ProcessBuilder builder =
          new ProcessBuilder("/bin/sh", "-c", command).directory(workingDirectory);
      if (noInput) {
        builder.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      }
      process = builder.start();
      Process running = process;
      if (!noInput) {
        pumps.execute(() -> feed(in, running));
      }
      CompletableFuture<Void> stdout =
          CompletableFuture.runAsync(() -> pump(process.getInputStream(), out), pumps);
      CompletableFuture<Void> stderr =
          CompletableFuture.runAsync(() -> pump(process.getErrorStream(), err), pumps);
      CompletableFuture.allOf(stdout, stderr)
          .thenCombine(process.onExit(), (done, p) -> p.exitValue())
          .whenCompleteAsync(
              (status, failure) -> exit.onExit(failure == null ? status : 255), pumps);
    }

    @Override
    public void destroy(ChannelSession channel) {
      Process p = process;
      if (p != null && p.isAlive()) {
        p.destroyForcibly();
      }
    }

    /** Copies the channel's input to the process until either ends, then closes its stdin. */
    private void feed(InputStream from, Process to) {
      try (OutputStream stdin = to.getOutputStream()) {
        copy(from, stdin);
      } catch (IOException e) {
        // the process ended or the client went away
      }
    }

    private void pump(InputStream from, OutputStream to) {
      try (from) {
        copy(from, to);
      } catch (IOException e) {
        // the client went away; the process is destroyed with the channel
      }
    }

    /** Copies until {@code from} ends, flushing each piece (a served request is one line). */
    private static void copy(InputStream from, OutputStream to) throws IOException {
      byte[] buffer = new byte[8192];
      for (int n; (n = from.read(buffer)) >= 0; ) {
        to.write(buffer, 0, n);
        to.flush();
      }
    }
  }
}
