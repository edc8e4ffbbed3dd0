package io.obops.remote;

import io.obops.cluster.ObServer;
import io.obops.obcluster.ObserverProcessControl;
import io.obops.task.SubtaskLog;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Stops and starts observers the way obd does (reference/oceanbase-stop.md §3). Stop: read {@code
 * home_path/run/observer.pid}, make sure that pid is alive and really this server's observer (its
 * argv[0] is {@code home_path/bin/observer}), signal it, wait until the process is gone and its
 * mysql and rpc ports are released, then remove the pid file.
 *
 * <p>Each call is one SSH exchange: the script {@code observer-control.sh} does the checking, the
 * signalling and the polling on the host. A stale pid file, or one naming somebody else's process,
 * never leads to a signal. Running {@link #stop} again after a crash is safe: a dead pid is a stale
 * pid file, and the wait for the ports runs again.
 *
 * <p>Start (obd's start_pre and start): a verified observer already listening on both ports is left
 * alone; otherwise, with the ports free and {@code bin/observer} and {@code
 * etc/observer.config.bin} in place, {@code cd home_path; home_path/bin/observer -p mysql_port}
 * with {@code LD_LIBRARY_PATH=home_path/lib}, then the host polls until the process its pid file
 * names is verified, alive and listening (the start timeout), or reports that it exited, with the
 * tail of {@code log/observer.log}. Running {@link #start} again is safe: it finds the observer
 * running.
 *
 * <p>Threading: stateless apart from the shared {@link RemoteShell}; call it from any thread.
 *
 * <p>Why one file: inspect, stop, start and survey share the argument list of {@code
 * observer-control.sh} and the parsing of what it prints; keeping that contract in one class next
 * to the script is what keeps them in step.
 */
public final class SshObserverProcessControl implements ObserverProcessControl {

  private static final RemoteScript SCRIPT = new RemoteScript("obops-observer", loadScript(), true);
  private static final String RESULT = "obops-result ";
  private static final String STATE = "obops-state ";
  private static final String PORT = "obops-port ";
  private static final String UPTIME = "obops-uptime ";
  private static final String ERROR = "obops-error ";
  private static final String FOREIGN = "obops-foreign-cmdline ";
  private static final String LOG = "obops-log ";

  private final RemoteShell shell;
  private final ObserverControlSettings settings;

  public SshObserverProcessControl(RemoteShell shell, ObserverControlSettings settings) {
    this.shell = shell;
    this.settings = settings;
  }

  @Override
  public ObserverState inspect(ObServer server, SubtaskLog log)
      throws RemoteExecutionException, ObserverControlException, InterruptedException {
    ObserverTarget target = ObserverTarget.of(server);
    log.append("inspecting observer " + server.address() + " over SSH as " + target.host());
    try (BufferedLog buffered = new BufferedLog(log)) {
      return inspect(server, target, buffered);
    }
  }

  private ObserverState inspect(ObServer server, ObserverTarget target, SubtaskLog log)
      throws RemoteExecutionException, ObserverControlException, InterruptedException {
    Output out = run(target, "inspect", settings.commandTimeout(), log);
    String[] state = out.field(STATE);
    String kind = state[0];
    long pid = Long.parseLong(state[1]);
    List<String> ports = out.all(PORT);
    String portFacts = ports.stream().map(p -> "port " + p).collect(Collectors.joining(", "));
    boolean anyHeld = ports.stream().anyMatch(p -> p.endsWith(" held"));
    ObserverState found =
        switch (kind) {
          case "running" ->
              new ObserverState(true, pid, "running as pid " + pid + "; " + portFacts);
          case "absent" -> new ObserverState(false, 0, "not running: no pid file; " + portFacts);
          case "dead" ->
              new ObserverState(
                  false, 0, "not running: stale pid file names dead pid " + pid + "; " + portFacts);
          case "foreign", "garbage" -> {
            if (anyHeld) {
              throw new ObserverControlException(untrusted(target, kind, pid, out));
            }
            yield new ObserverState(
                false,
                0,
                "not running: stale pid file "
                    + (kind.equals("foreign")
                        ? "names pid " + pid + ", which runs " + out.foreignArgv0()
                        : "holds no pid")
                    + "; "
                    + portFacts);
          }
          default -> throw unexpected(target, out);
        };
    log.append("observer " + server.address() + ": " + found.detail());
    if (!found.running() && anyHeld) {
      log.append(
          "warning: the observer is not running by its pid file, yet a port is in use on "
              + target.ip()
              + "; stop will fail unless it is released");
    }
    return found;
  }

  /**
   * One SSH exchange running the script's read-only {@code inspect}; whatever the host answers (or
   * does not) becomes the survey. Over the same {@link RemoteShell} as {@link #stop}, so a pooled
   * connection opened here is the one a stop that follows reuses.
   */
  @Override
  public Survey survey(ObServer server) throws InterruptedException {
    ObserverTarget target;
    try {
      target = ObserverTarget.of(server);
    } catch (IllegalArgumentException e) {
      return Survey.failed(Reach.FAILED, e.getMessage());
    }
    Output out;
    try {
      out = run(target, "inspect", settings.commandTimeout(), line -> {});
    } catch (RemoteExecutionException e) {
      return Survey.failed(reach(e.reason()), e.getMessage());
    } catch (ObserverControlException e) {
      return Survey.failed(Reach.FAILED, e.getMessage());
    }
    try {
      String[] state = out.field(STATE);
      PidFile pidFile = PidFile.valueOf(state[0].toUpperCase(java.util.Locale.ROOT));
      long pid = Long.parseLong(state[1]);
      String uptime = out.first(UPTIME);
      java.util.Map<Integer, Boolean> ports = new java.util.LinkedHashMap<>();
      for (String p : out.all(PORT)) {
        String[] f = p.split(" ");
        ports.put(Integer.parseInt(f[0]), f[1].equals("held"));
      }
      return new Survey(
          Reach.REACHABLE,
          null,
          pidFile,
          pid,
          uptime == null ? -1 : Long.parseLong(uptime),
          ports,
          pidFile == PidFile.FOREIGN ? out.foreignArgv0() : null);
    } catch (ObserverControlException | RuntimeException e) {
      return Survey.failed(Reach.FAILED, unexpected(target, out).getMessage());
    }
  }

  private static Reach reach(RemoteExecutionException.Reason reason) {
    return switch (reason) {
      case HOST_KEY_UNKNOWN, HOST_KEY_CHANGED, HOST_KEY_REVOKED -> Reach.HOST_KEY_REJECTED;
      case AUTHENTICATION_FAILED -> Reach.LOGIN_REFUSED;
      case UNREACHABLE, CONNECTION_LOST, TIMED_OUT, CLOSED -> Reach.UNREACHABLE;
    };
  }

  @Override
  public StopReport stop(ObServer server, SubtaskLog log)
      throws RemoteExecutionException, ObserverControlException, InterruptedException {
    ObserverTarget target = ObserverTarget.of(server);
    log.append(
        "stopping observer "
            + server.address()
            + " over SSH as "
            + target.host()
            + " ("
            + (settings.signal() == ObserverControlSettings.StopSignal.KILL
                ? "SIGKILL"
                : "SIGTERM, SIGKILL after " + settings.gracefulTimeout().toMillis() + " ms")
            + ", ports must be released within "
            + settings.releaseTimeout().toMillis()
            + " ms)");
    try (BufferedLog buffered = new BufferedLog(log)) {
      return stop(server, target, buffered);
    }
  }

  private StopReport stop(ObServer server, ObserverTarget target, SubtaskLog log)
      throws RemoteExecutionException, ObserverControlException, InterruptedException {
    Output out = run(target, "stop", settings.stopCommandTimeout(), log);
    String[] result = out.field(RESULT);
    StopReport report =
        new StopReport(
            result[0].equals("already-stopped"),
            Long.parseLong(result[1]),
            result[2],
            Long.parseLong(result[3]));
    log.append(
        report.alreadyStopped()
            ? "observer " + server.address() + " already stopped"
            : "observer "
                + server.address()
                + " stopped: pid "
                + report.pid()
                + " got "
                + report.signal()
                + ", gone and ports released after "
                + report.releasedAfterMillis()
                + " ms");
    return report;
  }

  @Override
  public StartReport start(ObServer server, SubtaskLog log)
      throws RemoteExecutionException, ObserverControlException, InterruptedException {
    ObserverTarget target = ObserverTarget.of(server);
    log.append(
        "starting observer "
            + server.address()
            + " over SSH as "
            + target.host()
            + " (it must be alive with ports "
            + target.mysqlPort()
            + " and "
            + target.rpcPort()
            + " listening within "
            + settings.startTimeout().toMillis()
            + " ms)");
    try (BufferedLog buffered = new BufferedLog(log)) {
      return start(server, target, buffered);
    }
  }

  private StartReport start(ObServer server, ObserverTarget target, SubtaskLog log)
      throws RemoteExecutionException, ObserverControlException, InterruptedException {
    Output out = run(target, "start", settings.startCommandTimeout(), log);
    String[] result = out.field(RESULT);
    StartReport report =
        new StartReport(
            result[0].equals("already-running"),
            Long.parseLong(result[1]),
            Long.parseLong(result[2]));
    log.append(
        report.alreadyRunning()
            ? "observer " + server.address() + " already running as pid " + report.pid()
            : "observer "
                + server.address()
                + " started: pid "
                + report.pid()
                + ", alive and listening after "
                + report.readyAfterMillis()
                + " ms");
    return report;
  }

  private Output run(ObserverTarget target, String mode, java.time.Duration timeout, SubtaskLog log)
      throws RemoteExecutionException, ObserverControlException, InterruptedException {
    List<String> args = new ArrayList<>();
    args.add(mode);
    args.addAll(target.scriptArguments(settings));
    CommandResult result = shell.runScript(target.host(), SCRIPT, args, timeout);
    Output out = new Output(result);
    List<String> lines = new ArrayList<>(out.human());
    out.all(LOG).forEach(line -> lines.add("log/observer.log: " + Output.printable(line)));
    log.appendAll(lines);
    String error = out.first(ERROR);
    if (error != null) {
      throw new ObserverControlException(explain(target, error, out));
    }
    if (result.exitStatus() != 0) {
      throw new ObserverControlException(
          "observer "
              + mode
              + " on "
              + target.ip()
              + " failed with exit status "
              + result.exitStatus()
              + ": "
              + out.tail());
    }
    return out;
  }

  private String explain(ObserverTarget target, String error, Output out) {
    String[] f = error.split(" ");
    String ip = target.ip();
    return switch (f[0]) {
      case "port-not-released" -> "port " + f[1] + " not released on " + ip;
      case "no-home" ->
          "home_path "
              + RemoteHost.printable(target.homePath())
              + " does not exist on "
              + ip
              + "; check the inventory";
      case "untrusted-pid-file" ->
          untrusted(target, f[1], Long.parseLong(f[2]), out)
              + "; nothing was signalled. Find the observer's real pid, correct or remove the pid"
              + " file, then retry";
      case "kill-failed" ->
          "could not signal observer pid "
              + f[1]
              + " on "
              + ip
              + " as "
              + target.host().user()
              + " (permission denied?); stop it by hand, then retry";
      case "still-alive" ->
          "observer pid "
              + f[1]
              + " on "
              + ip
              + " is still alive "
              + settings.releaseTimeout().toMillis()
              + " ms after SIGKILL (stuck in the kernel?); check the host, then retry";
      case "pid-file-not-removed" ->
          "observer on "
              + ip
              + " stopped but its pid file "
              + RemoteHost.printable(target.pidFile())
              + " could not be removed";
      case "port-held" ->
          "port "
              + f[1]
              + " on "
              + ip
              + " is held by another process, so the observer cannot listen on it; stop that"
              + " process (ss -ltnp 'sport = :"
              + f[1]
              + "' names it), then retry";
      case "no-binary" ->
          RemoteHost.printable(target.homePath())
              + "/bin/observer is missing on "
              + ip
              + "; reinstall the observer (obd cluster deploy) or correct home_path, then retry";
      case "not-executable" ->
          RemoteHost.printable(target.homePath())
              + "/bin/observer on "
              + ip
              + " is not executable by "
              + target.host().user()
              + "; chmod +x it, then retry";
      case "no-config" ->
          RemoteHost.printable(target.homePath())
              + "/etc/observer.config.bin is missing on "
              + ip
              + ", so the observer has no saved parameters; start it once with obd (obd cluster"
              + " start), then retry";
      case "exited-at-once", "exited" ->
          "the observer on "
              + ip
              + " exited right after it was started"
              + logTail(out)
              + "; fix the cause, then retry";
      case "not-listening" ->
          "the observer on "
              + ip
              + " (pid "
              + f[1]
              + ") is alive but ports "
              + target.mysqlPort()
              + " and "
              + target.rpcPort()
              + " were not both listening within "
              + settings.startTimeout().toMillis()
              + " ms; it may still be replaying its log: look at log/observer.log, then retry"
              + " (or raise obops.remote.start-timeout)";
      case "no-process" ->
          "no observer process appeared on "
              + ip
              + " within "
              + settings.startTimeout().toMillis()
              + " ms of the start (pid file: "
              + f[1]
              + ")"
              + logTail(out)
              + "; check the host, then retry";
      default -> "observer control on " + ip + " failed: " + error;
    };
  }

  /** "; log/observer.log ends: a | b | c", or nothing without a log. */
  private static String logTail(Output out) {
    List<String> lines = out.all(LOG).stream().map(Output::printable).toList();
    if (lines.isEmpty()) {
      List<String> said = out.human();
      return said.isEmpty() ? "" : ": " + out.tail();
    }
    return "; log/observer.log ends: "
        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 5), lines.size()));
  }

  private static String untrusted(ObserverTarget target, String kind, long pid, Output out) {
    String pidFile = RemoteHost.printable(target.pidFile());
    String what =
        kind.equals("foreign")
            ? "names pid "
                + pid
                + ", which is alive but is not this server's observer (it runs "
                + out.foreignArgv0()
                + ")"
            : "does not hold a pid";
    return "observer state on "
        + target.ip()
        + " is unknown: pid file "
        + pidFile
        + " "
        + what
        + ", while mysql_port "
        + target.mysqlPort()
        + " or rpc_port "
        + target.rpcPort()
        + " is in use";
  }

  private static ObserverControlException unexpected(ObserverTarget target, Output out) {
    return new ObserverControlException(
        "unexpected answer from the observer script on " + target.ip() + ": " + out.tail());
  }

  private static String loadScript() {
    try (InputStream in =
        SshObserverProcessControl.class.getResourceAsStream("observer-control.sh")) {
      if (in == null) {
        throw new IllegalStateException("observer-control.sh is missing from the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Holds the lines of one exchange and its summary and writes them in one {@link
   * SubtaskLog#appendAll} when closed (also when it failed): one database round trip instead of one
   * per line.
   */
  private static final class BufferedLog implements SubtaskLog, AutoCloseable {
    private final SubtaskLog target;
    private final List<String> lines = new ArrayList<>();

    BufferedLog(SubtaskLog target) {
      this.target = target;
    }

    @Override
    public void append(String line) {
      lines.add(line);
    }

    @Override
    public void appendAll(List<String> more) {
      lines.addAll(more);
    }

    @Override
    public void close() {
      target.appendAll(List.copyOf(lines));
    }
  }

  /** The script's output split into lines for the caller ("obops-...") and lines for the log. */
  private static final class Output {
    private final List<String> lines;

    Output(CommandResult result) {
      this.lines = result.lines();
    }

    List<String> human() {
      return lines.stream().filter(l -> !l.startsWith("obops-")).map(Output::printable).toList();
    }

    String first(String prefix) {
      return lines.stream()
          .filter(l -> l.startsWith(prefix))
          .map(l -> l.substring(prefix.length()).trim())
          .findFirst()
          .orElse(null);
    }

    List<String> all(String prefix) {
      return lines.stream()
          .filter(l -> l.startsWith(prefix))
          .map(l -> l.substring(prefix.length()).trim())
          .toList();
    }

    String[] field(String prefix) throws ObserverControlException {
      String value = first(prefix);
      if (value == null) {
        throw new ObserverControlException(
            "the observer script ended without a " + prefix.trim() + " line: " + tail());
      }
      return value.split(" ");
    }

    /** argv[0] of the foreign process the pid file names, printable. */
    String foreignArgv0() {
      String hex = first(FOREIGN);
      if (hex == null || hex.isEmpty() || hex.length() % 2 != 0) {
        return "an unknown command";
      }
      try {
        String cmdline = new String(HexFormat.of().parseHex(hex), StandardCharsets.UTF_8);
        int nul = cmdline.indexOf('\0');
        return RemoteHost.printable(nul >= 0 ? cmdline.substring(0, nul) : cmdline);
      } catch (IllegalArgumentException e) {
        return "an unknown command";
      }
    }

    String tail() {
      List<String> human = human();
      return human.isEmpty()
          ? "(no output)"
          : String.join(" | ", human.subList(Math.max(0, human.size() - 5), human.size()));
    }

    static String printable(String line) {
      return line.codePoints()
          .map(c -> Character.isISOControl(c) && c != '\t' ? '?' : c)
          .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
          .toString();
    }
  }
}
