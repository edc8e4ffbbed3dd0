package io.obops.chat;

import io.obops.task.SubtaskInstance;
import io.obops.task.SubtaskStatus;
import io.obops.task.TaskInstance;
import io.obops.task.TaskStatus;
import io.obops.task.TaskTemplate;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a person wants to know about a task, read from one snapshot of it: each server's state (its
 * server steps, the observer-process step deciding "stopped"), the phases (nodes of one name, Wait
 * nodes left out) and the headline counts. A pure function of the task and the server names.
 */
record TaskProgress(
    TaskInstance task, List<Server> servers, List<Phase> phases, String verb, Duration elapsed) {

  /** Where one server is: done (the observer step succeeded), failed, running a step, waiting. */
  enum State {
    DONE,
    FAILED,
    RUNNING,
    WAITING
  }

  record Server(long id, String zone, String address, State state, String step, Duration took) {}

  record Phase(String name, int total, int successful, int failed, int running) {
    boolean done() {
      return successful == total;
    }
  }

  static final String SERVER_KEY = "server_ids";

  static TaskProgress of(
      TaskInstance t, Map<Long, String> names, Map<Long, String> zones, OffsetDateTime now) {
    Map<String, List<SubtaskInstance>> byName = new LinkedHashMap<>();
    Map<Long, List<SubtaskInstance>> byServer = new LinkedHashMap<>();
    for (SubtaskInstance s : t.subtasks()) {
      if (TaskTemplate.WAIT.handler().equals(s.handler())) {
        continue;
      }
      byName.computeIfAbsent(s.name(), k -> new ArrayList<>()).add(s);
      Long server = server(t, s);
      if (server != null) {
        byServer.computeIfAbsent(server, k -> new ArrayList<>()).add(s);
      }
    }
    List<Phase> phases = new ArrayList<>();
    byName.forEach(
        (name, list) ->
            phases.add(
                new Phase(
                    name,
                    list.size(),
                    count(list, SubtaskStatus.SUCCESSFUL),
                    count(list, SubtaskStatus.FAILED),
                    (int) list.stream().filter(s -> s.status().executing()).count())));
    List<Server> servers = new ArrayList<>();
    byServer.forEach(
        (id, steps) ->
            servers.add(
                server(
                    id,
                    zones.getOrDefault(id, ""),
                    names.getOrDefault(id, "server " + id),
                    steps,
                    now)));
    servers.sort(Comparator.comparing(Server::zone).thenComparing(Server::address));
    OffsetDateTime end = t.finishTime() == null || !t.finished() ? now : t.finishTime();
    Duration elapsed =
        t.startTime() == null ? Duration.ZERO : Duration.between(t.startTime(), end).abs();
    String name = t.name() == null ? "" : t.name().toLowerCase(Locale.ROOT);
    String verb =
        name.startsWith("stop") ? "stopped" : name.startsWith("start") ? "started" : "done";
    return new TaskProgress(t, List.copyOf(servers), List.copyOf(phases), verb, elapsed);
  }

  private static Long server(TaskInstance t, SubtaskInstance s) {
    String raw = null;
    if (s.target() != null) {
      raw = SERVER_KEY.equals(s.target().key()) ? s.target().value() : null;
    } else if (s.name().toLowerCase(Locale.ROOT).contains("observer")) {
      List<String> ids = t.context().list(SERVER_KEY);
      int i = s.parallelIdx();
      raw = ids != null && i >= 0 && i < ids.size() ? ids.get(i) : null;
    }
    try {
      return raw == null ? null : Long.parseLong(raw);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static int count(List<SubtaskInstance> list, SubtaskStatus status) {
    return (int) list.stream().filter(s -> s.status() == status).count();
  }

  /** The step that decides "stopped" (or "started"): the observer process step, else the last. */
  private static SubtaskInstance key(List<SubtaskInstance> steps) {
    return steps.stream()
        .filter(s -> s.handler() != null && s.handler().endsWith("observer-process"))
        .findFirst()
        .orElse(steps.get(steps.size() - 1));
  }

  private static Server server(
      long id, String zone, String address, List<SubtaskInstance> steps, OffsetDateTime now) {
    SubtaskInstance key = key(steps);
    Duration took =
        key.startTime() == null
            ? null
            : Duration.between(key.startTime(), key.finishTime() == null ? now : key.finishTime())
                .abs();
    for (SubtaskInstance s : steps) {
      if (s.status() == SubtaskStatus.FAILED) {
        return new Server(id, zone, address, State.FAILED, s.name(), null);
      }
    }
    if (key.status() == SubtaskStatus.SUCCESSFUL) {
      return new Server(id, zone, address, State.DONE, key.name(), took);
    }
    for (SubtaskInstance s : steps) {
      if (s.status().executing()) {
        return new Server(id, zone, address, State.RUNNING, s.name(), s == key ? took : null);
      }
    }
    return new Server(id, zone, address, State.WAITING, "", null);
  }

  long count(State state) {
    return servers.stream().filter(s -> s.state() == state).count();
  }

  boolean finished() {
    return task.finished();
  }

  boolean failed() {
    return task.status() == TaskStatus.FAILED;
  }

  /** "2/3 observers stopped · 1 failed · 0:04". */
  String headline() {
    StringBuilder h = new StringBuilder();
    if (servers.isEmpty()) {
      long done = phases.stream().filter(Phase::done).count();
      h.append(done).append('/').append(phases.size()).append(" steps done");
    } else {
      h.append(count(State.DONE))
          .append('/')
          .append(servers.size())
          .append(" observers ")
          .append(verb);
    }
    long failed =
        servers.isEmpty() ? phases.stream().mapToInt(Phase::failed).sum() : count(State.FAILED);
    if (failed > 0) {
      h.append(" · ").append(failed).append(" failed");
    }
    return h.append(" · ").append(clock(elapsed)).toString();
  }

  /** "0:04", "12:30", "1:02:03". */
  static String clock(Duration d) {
    long s = Math.max(0, d.toSeconds());
    return s >= 3600
        ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
        : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
  }
}
