package io.obops.sandbox;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Stream;

/** Reads /proc: listeners, liveness, command lines. */
final class ProcNet {
  private ProcNet() {}

  static boolean alive(long pid) {
    try {
      String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
      String state = stat.substring(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3);
      return !state.equals("Z") && !state.equals("X");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }

  static Optional<String> argv0(long pid) {
    try {
      byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
      int end = 0;
      while (end < cmdline.length && cmdline[end] != 0) {
        end++;
      }
      return Optional.of(new String(cmdline, 0, end, StandardCharsets.UTF_8));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Live processes whose argv[0] lies under {@code dir}, by argv[0]. */
  static Map<String, List<Long>> pidsByArgv0Under(String dir) {
    Map<String, List<Long>> found = new LinkedHashMap<>();
    for (ProcessHandle p : processesUnder(dir)) {
      if (alive(p.pid())) {
        argv0(p.pid())
            .ifPresent(a -> found.computeIfAbsent(a, k -> new ArrayList<>()).add(p.pid()));
      }
    }
    return found;
  }

  static List<ProcessHandle> processesUnder(String dir) {
    String prefix = dir.endsWith("/") ? dir : dir + "/";
    List<ProcessHandle> found = new ArrayList<>();
    ProcessHandle.allProcesses()
        .filter(p -> p.pid() != ProcessHandle.current().pid())
        .forEach(
            p -> argv0(p.pid()).filter(a -> a.startsWith(prefix)).ifPresent(a -> found.add(p)));
    return found;
  }

  static boolean listening(String ip, int port) {
    String[] o = ip.split("\\.");
    String v4 =
        String.format(
            Locale.ROOT,
            "%02X%02X%02X%02X",
            Integer.parseInt(o[3]),
            Integer.parseInt(o[2]),
            Integer.parseInt(o[1]),
            Integer.parseInt(o[0]));
    String portHex = String.format(Locale.ROOT, "%04X", port);
    Set<String> addresses =
        Set.of("00000000", v4, "00000000000000000000000000000000", "0000000000000000FFFF0000" + v4);
    return listeners().anyMatch(l -> l[1].equals(portHex) && addresses.contains(l[0]));
  }

  static boolean anyListenerIn(int x, int y) {
    String suffix = String.format(Locale.ROOT, "%02X%02X7F", y, x);
    return listeners().anyMatch(l -> l[0].length() == 8 && l[0].endsWith(suffix));
  }

  /** {address hex, port hex} of every LISTEN socket. */
  private static Stream<String[]> listeners() {
    List<String[]> result = new ArrayList<>();
    for (String file : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        for (String line : Files.readAllLines(Path.of(file))) {
          String[] f = line.trim().split("\\s+");
          if (f.length > 3 && f[3].equals("0A")) {
            int colon = f[1].indexOf(':');
            result.add(new String[] {f[1].substring(0, colon), f[1].substring(colon + 1)});
          }
        }
      } catch (IOException e) {
        // no IPv6 on this machine
      }
    }
    return result.stream();
  }
}
