package io.obops.task;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * OCP's task context: a string map and a list map. Split keys of a template name lists here; the
 * copy of a split node at {@code parallelIdx = i} works on element i of its list.
 *
 * <p>Insertion order is kept, because OCP prints the context in that order and so do we: {@code
 * Context(parallelIdx=-1, stringMap={cluster_name=…}, listMap={server_ids=[5],
 * zone_names=[zone1]})}. Instances are immutable; {@link #withString} returns a copy.
 */
public final class TaskContext {

  private static final JsonMapper JSON = JsonMapper.builder().build();

  private final Map<String, String> stringMap;
  private final Map<String, List<String>> listMap;

  private TaskContext(Map<String, String> stringMap, Map<String, List<String>> listMap) {
    this.stringMap = Collections.unmodifiableMap(new LinkedHashMap<>(stringMap));
    var lists = new LinkedHashMap<String, List<String>>();
    listMap.forEach((k, v) -> lists.put(k, List.copyOf(v)));
    this.listMap = Collections.unmodifiableMap(lists);
  }

  public static Builder builder() {
    return new Builder();
  }

  public Map<String, String> stringMap() {
    return stringMap;
  }

  public Map<String, List<String>> listMap() {
    return listMap;
  }

  public String string(String key) {
    return stringMap.get(key);
  }

  public List<String> list(String key) {
    return listMap.getOrDefault(key, List.of());
  }

  /** A copy with one string entry set (kept at its place if present, appended if not). */
  public TaskContext withString(String key, String value) {
    var strings = new LinkedHashMap<>(stringMap);
    strings.put(key, value);
    return new TaskContext(strings, listMap);
  }

  /** OCP's rendering, e.g. for the task's {@code context} field. */
  public String render(int parallelIdx) {
    return "Context(parallelIdx="
        + parallelIdx
        + ", stringMap="
        + renderMap(stringMap)
        + ", listMap="
        + listMap.entrySet().stream()
            .map(e -> e.getKey() + "=[" + String.join(", ", e.getValue()) + "]")
            .collect(Collectors.joining(", ", "{", "}"))
        + ")";
  }

  @Override
  public String toString() {
    return render(-1);
  }

  private static String renderMap(Map<String, String> map) {
    return map.entrySet().stream()
        .map(e -> e.getKey() + "=" + e.getValue())
        .collect(Collectors.joining(", ", "{", "}"));
  }

  String toJson() {
    var doc = new LinkedHashMap<String, Object>();
    doc.put("stringMap", stringMap);
    doc.put("listMap", listMap);
    return JSON.writeValueAsString(doc);
  }

  static TaskContext fromJson(String json) {
    Stored stored = JSON.readValue(json, new TypeReference<Stored>() {});
    return new TaskContext(
        stored.stringMap() == null ? Map.of() : stored.stringMap(),
        stored.listMap() == null ? Map.of() : stored.listMap());
  }

  private record Stored(
      LinkedHashMap<String, String> stringMap, LinkedHashMap<String, List<String>> listMap) {}

  @Override
  public boolean equals(Object o) {
    return o instanceof TaskContext other
        && stringMap.equals(other.stringMap)
        && listMap.equals(other.listMap);
  }

  @Override
  public int hashCode() {
    return stringMap.hashCode() * 31 + listMap.hashCode();
  }

  /** Collects entries in order. */
  public static final class Builder {
    private final Map<String, String> strings = new LinkedHashMap<>();
    private final Map<String, List<String>> lists = new LinkedHashMap<>();

    public Builder put(String key, String value) {
      strings.put(key, value);
      return this;
    }

    public Builder putList(String key, List<?> values) {
      var copy = new ArrayList<String>();
      values.forEach(v -> copy.add(String.valueOf(v)));
      lists.put(key, copy);
      return this;
    }

    public TaskContext build() {
      return new TaskContext(strings, lists);
    }
  }
}
