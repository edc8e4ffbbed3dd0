package io.obops.testsupport;

import java.io.File;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * An obops replica in its own JVM (the application's main class, the test classpath), so that a
 * test or a benchmark can kill it with SIGKILL. Its properties are command-line arguments; its
 * output goes to a file.
 */
public final class ReplicaProcess implements AutoCloseable {

  private final Process process;

  private ReplicaProcess(Process process) {
    this.process = process;
  }

  /** Starts {@code mainClass} with {@code --key=value} per property; output appended to log. */
  public static ReplicaProcess start(String mainClass, Map<String, String> properties, Path log)
      throws java.io.IOException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-XX:TieredStopAtLevel=1");
    command.add("-cp");
    command.add(classpath());
    command.add(mainClass);
    properties.forEach((k, v) -> command.add("--" + k + "=" + v));
    return new ReplicaProcess(
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
            .start());
  }

  /** SIGKILL, and waits until it is gone. */
  public void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor();
  }

  /** SIGTERM (a clean shutdown), and waits until it is gone. */
  public void stop() throws InterruptedException {
    process.destroy();
    process.waitFor();
  }

  public boolean alive() {
    return process.isAlive();
  }

  public long pid() {
    return process.pid();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private static String classpath() {
    return Thread.currentThread().getContextClassLoader() instanceof URLClassLoader loader
        ? java.util.Arrays.stream(loader.getURLs())
            .map(u -> Path.of(java.net.URI.create(u.toString())).toString())
            .collect(Collectors.joining(File.pathSeparator))
        : System.getProperty("java.class.path");
  }
}
