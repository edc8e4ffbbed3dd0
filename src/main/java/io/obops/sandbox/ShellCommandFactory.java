package io.obops.sandbox;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import org.apache.sshd.server.Environment;
import org.apache.sshd.server.ExitCallback;
import org.apache.sshd.server.channel.ChannelSession;
import org.apache.sshd.server.command.Command;
import org.apache.sshd.server.command.CommandFactory;

/**
 * Runs each SSH "exec" request as {@code /bin/sh -c <command>} as the current OS user in its home
 * directory, like sshd does for a user whose login shell is /bin/sh. Standard input is /dev/null:
 * no sandbox command reads it.
 */
final class ShellCommandFactory implements CommandFactory {

  private final ExecutorService pumps;
  private final File workingDirectory = new File(System.getProperty("user.home"));

  ShellCommandFactory(ExecutorService pumps) {
    this.pumps = pumps;
  }

  @Override
  public Command createCommand(ChannelSession channel, String command) {
    return new ShellCommand(command);
  }

  private final class ShellCommand implements Command {
    private final String command;
    private OutputStream out;
    private OutputStream err;
    private ExitCallback exit;
    private volatile Process process;

    ShellCommand(String command) {
      this.command = command;
    }

    @Override
    public void setInputStream(InputStream in) {
      // stdin is /dev/null for the process
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
          new ProcessBuilder("/bin/sh", "-c", command)
              .directory(workingDirectory)
              .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
      process = builder.start();
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

    private void pump(InputStream from, OutputStream to) {
      byte[] buffer = new byte[8192];
      try (from) {
        for (int n; (n = from.read(buffer)) >= 0; ) {
          to.write(buffer, 0, n);
          to.flush();
        }
      } catch (IOException e) {
        // the client went away; the process is destroyed with the channel
      }
    }
  }
}
