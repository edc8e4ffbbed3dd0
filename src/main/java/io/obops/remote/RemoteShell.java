package io.obops.remote;

import java.time.Duration;

/**
 * The port for running one shell command on a host and collecting its output. {@link
 * SshRemoteShell} is the SSH implementation.
 *
 * <p>Threading: safe to call concurrently for the same or different hosts. Implementations bound
 * how many hosts are worked on at once; a caller may block until a slot is free.
 *
 * <p>The command is interpreted by the login shell on the host: every value put into it must go
 * through {@link ShellQuoting#quote}.
 */
public interface RemoteShell {

  /**
   * Runs {@code command} on {@code host} and returns once it has exited. Throws {@link
   * RemoteExecutionException} when the host cannot be reached, refuses us, or the command does not
   * finish within {@code timeout} (measured from when the command starts, after connecting). A
   * non-zero exit status is a normal result, not an exception.
   */
  CommandResult run(RemoteHost host, String command, Duration timeout)
      throws RemoteExecutionException, InterruptedException;

  /**
   * Runs {@code script} with {@code args} on {@code host}, as {@link #run} runs {@link
   * RemoteScript#command}: same result, same exceptions. An implementation may hand the arguments
   * to an instance of a {@link RemoteScript#serves() serving} script it keeps running on the host
   * instead, which spares the host a session and a shell per command.
   */
  default CommandResult runScript(
      RemoteHost host, RemoteScript script, java.util.List<String> args, Duration timeout)
      throws RemoteExecutionException, InterruptedException {
    return run(host, script.command(args), timeout);
  }
}
