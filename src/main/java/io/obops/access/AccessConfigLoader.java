package io.obops.access;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and validates an access file. Every problem is reported as {@code <file>: <entry>: field
 * '<field>' <what is wrong>; <what is expected>}; unknown fields are errors (a typo must not
 * silently widen or narrow access).
 */
public final class AccessConfigLoader {

  static final Set<String> ACTIONS = Set.of("cluster.stop", "cluster.start");
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,64}");
  private static final Pattern DURATION = Pattern.compile("([0-9]{1,6})(s|m|h|d)");

  private final String file;

  private AccessConfigLoader(String file) {
    this.file = file;
  }

  public static AccessConfig load(Path path) {
    return parse(path.toString(), read(path));
  }

  /** The file's bytes, read once (so what is hashed is what is parsed). */
  static byte[] read(Path path) {
    String file = path.toString();
    if (!Files.isRegularFile(path)) {
      throw new AccessConfigException(
          file
              + ": no such file; set obops.access.file to the access configuration (see"
              + " config/access.yml for a documented template)");
    }
    try {
      return Files.readAllBytes(path);
    } catch (IOException e) {
      throw new AccessConfigException(file + ": cannot be read: " + e.getMessage(), e);
    }
  }

  /** Parses the content of an access file; {@code file} names it in messages. */
  static AccessConfig parse(String file, byte[] content) {
    Object root;
    try (Reader reader =
        new InputStreamReader(
            new ByteArrayInputStream(content), StandardCharsets.UTF_8.newDecoder())) {
      root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (IOException | YAMLException e) {
      throw new AccessConfigException(file + ": cannot be read as YAML: " + e.getMessage(), e);
    }
    return new AccessConfigLoader(file).parse(root);
  }

  private AccessConfig parse(Object root) {
    Map<String, Object> top = map(root, "the file", "(top level)");
    known(top, "the file", Set.of("roles", "people", "bindings", "policies"));
    Map<String, Set<Permission>> roles = roles(top.get("roles"));
    Map<String, String> people = people(top.get("people"));
    List<AccessConfig.Binding> bindings = bindings(top.get("bindings"), roles);
    List<AccessConfig.PolicyRule> policies = policies(top.get("policies"));
    return new AccessConfig(file, roles, people, bindings, policies);
  }

  private Map<String, Set<Permission>> roles(Object node) {
    var roles = new LinkedHashMap<String, Set<Permission>>();
    if (node == null) {
      return roles;
    }
    for (var e : map(node, "roles", "roles").entrySet()) {
      String entry = "roles." + e.getKey();
      if (!NAME.matcher(e.getKey()).matches()) {
        throw error(entry, "name", "is not a valid role name; use letters, digits, . _ -");
      }
      Set<Permission> permissions = EnumSet.noneOf(Permission.class);
      for (String p : strings(e.getValue(), entry, "permissions")) {
        permissions.add(
            Permission.fromWire(p)
                .orElseThrow(
                    () ->
                        error(
                            entry,
                            "permissions",
                            "names unknown permission '"
                                + p
                                + "'; known: cluster.view, cluster.stop, cluster.start,"
                                + " task.manage, approval.decide")));
      }
      roles.put(e.getKey(), permissions);
    }
    return roles;
  }

  private Map<String, String> people(Object node) {
    var byPrincipal = new HashMap<String, String>();
    if (node == null) {
      return byPrincipal;
    }
    for (var e : map(node, "people", "people").entrySet()) {
      String entry = "people." + e.getKey();
      if (!NAME.matcher(e.getKey()).matches()) {
        throw error(entry, "name", "is not a valid person name; use letters, digits, . _ -");
      }
      for (String principal : strings(e.getValue(), entry, "principals")) {
        principal(principal, entry, "principals");
        if (principal.startsWith("discord-role:")) {
          throw error(entry, "principals", "lists a role (" + principal + "); list users only");
        }
        String other = byPrincipal.put(principal, e.getKey());
        if (other != null) {
          throw error(
              entry, "principals", "repeats " + principal + ", already listed for " + other);
        }
      }
    }
    return byPrincipal;
  }

  private List<AccessConfig.Binding> bindings(Object node, Map<String, Set<Permission>> roles) {
    var bindings = new ArrayList<AccessConfig.Binding>();
    if (node == null) {
      return bindings;
    }
    List<Object> items = list(node, "bindings", "bindings");
    for (int i = 0; i < items.size(); i++) {
      String entry = "bindings[" + i + "]";
      Map<String, Object> b = map(items.get(i), entry, "(entry)");
      Object p = b.get("principal");
      if (p != null) {
        entry += " (principal " + p + ")";
      }
      known(b, entry, Set.of("principal", "roles", "clusters"));
      String principal = principal(required(b, entry, "principal"), entry, "principal");
      List<String> bound = strings(required(b, entry, "roles"), entry, "roles");
      if (bound.isEmpty()) {
        throw error(entry, "roles", "is empty; list at least one role");
      }
      for (String role : bound) {
        if (!roles.containsKey(role)) {
          throw error(
              entry,
              "roles",
              "names unknown role '"
                  + role
                  + "'; known roles: "
                  + String.join(", ", roles.keySet()));
        }
      }
      bindings.add(new AccessConfig.Binding(principal, bound, selector(b.get("clusters"), entry)));
    }
    return bindings;
  }

  private List<AccessConfig.PolicyRule> policies(Object node) {
    var rules = new ArrayList<AccessConfig.PolicyRule>();
    if (node == null) {
      return rules;
    }
    List<Object> items = list(node, "policies", "policies");
    for (int i = 0; i < items.size(); i++) {
      String entry = "policies[" + i + "]";
      Map<String, Object> p = map(items.get(i), entry, "(entry)");
      known(
          p,
          entry,
          Set.of(
              "action",
              "clusters",
              "approvals",
              "approver-permission",
              "pending-ttl",
              "reason-required"));
      String action = string(required(p, entry, "action"), entry, "action");
      if (!ACTIONS.contains(action)) {
        throw error(entry, "action", "is '" + action + "'; use one of " + ACTIONS);
      }
      Integer approvals = null;
      if (p.get("approvals") != null) {
        if (!(p.get("approvals") instanceof Integer n) || n < 0 || n > 10) {
          throw error(
              entry, "approvals", "is '" + p.get("approvals") + "'; use 0 (no approval) to 10");
        }
        approvals = n;
      }
      Permission approverPermission = null;
      if (p.get("approver-permission") != null) {
        String s = string(p.get("approver-permission"), entry, "approver-permission");
        approverPermission =
            Permission.fromWire(s)
                .orElseThrow(
                    () -> error(entry, "approver-permission", "names unknown permission " + s));
      }
      Duration ttl = null;
      if (p.get("pending-ttl") != null) {
        ttl = duration(p.get("pending-ttl"), entry, "pending-ttl");
      }
      Boolean reasonRequired = null;
      if (p.get("reason-required") != null) {
        if (!(p.get("reason-required") instanceof Boolean r)) {
          throw error(
              entry, "reason-required", "is '" + p.get("reason-required") + "'; use true or false");
        }
        reasonRequired = r;
      }
      rules.add(
          new AccessConfig.PolicyRule(
              action,
              selector(p.get("clusters"), entry),
              approvals,
              approverPermission,
              ttl,
              reasonRequired));
    }
    return rules;
  }

  private ClusterSelector selector(Object node, String entry) {
    if (node == null) {
      return ClusterSelector.ALL;
    }
    Map<String, Object> s = map(node, entry, "clusters");
    known(s, entry + " clusters", Set.of("ids", "names", "tags"));
    if (s.isEmpty()) {
      throw error(entry, "clusters", "is empty; give ids, names or tags, or leave it out for all");
    }
    Set<Long> ids = null;
    if (s.get("ids") != null) {
      ids = new LinkedHashSet<>();
      for (Object o : list(s.get("ids"), entry, "clusters.ids")) {
        if (!(o instanceof Number n)) {
          throw error(entry, "clusters.ids", "contains '" + o + "'; use numeric cluster ids");
        }
        ids.add(n.longValue());
      }
    }
    Set<String> names =
        s.get("names") == null
            ? null
            : new LinkedHashSet<>(strings(s.get("names"), entry, "clusters.names"));
    Set<String> tags =
        s.get("tags") == null
            ? null
            : new LinkedHashSet<>(strings(s.get("tags"), entry, "clusters.tags"));
    return new ClusterSelector(ids, names, tags);
  }

  private Duration duration(Object node, String entry, String field) {
    String s = String.valueOf(node).trim();
    var m = DURATION.matcher(s);
    if (m.matches()) {
      long n = Long.parseLong(m.group(1));
      return switch (m.group(2)) {
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
    }
    try {
      Duration d = Duration.parse(s);
      if (!d.isNegative() && !d.isZero()) {
        return d;
      }
    } catch (DateTimeParseException e) {
      // fall through to the error below
    }
    throw error(entry, field, "is '" + s + "'; use a duration such as 90s, 15m, 2h or PT15M");
  }

  // ---------------------------------------------------------------- helpers

  private String principal(Object node, String entry, String field) {
    String s = string(node, entry, field);
    if (!Principals.isValid(s)) {
      throw error(
          entry,
          field,
          "is '"
              + s
              + "', not a principal; use discord-user:<id>, discord-role:<id>, web:<name> or"
              + " api:<name>");
    }
    return s;
  }

  private Object required(Map<String, Object> m, String entry, String field) {
    Object v = m.get(field);
    if (v == null) {
      throw error(entry, field, "is missing");
    }
    return v;
  }

  private void known(Map<String, Object> m, String entry, Set<String> fields) {
    for (String key : m.keySet()) {
      if (!fields.contains(key)) {
        throw error(entry, key, "is not a known field; known: " + String.join(", ", fields));
      }
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> map(Object node, String entry, String field) {
    if (node instanceof Map<?, ?> m) {
      var copy = new LinkedHashMap<String, Object>();
      m.forEach((k, v) -> copy.put(String.valueOf(k), v));
      return copy;
    }
    throw error(entry, field, "must be a mapping (key: value), was " + describe(node));
  }

  @SuppressWarnings("unchecked")
  private List<Object> list(Object node, String entry, String field) {
    if (node instanceof List<?> l) {
      return (List<Object>) l;
    }
    throw error(entry, field, "must be a list, was " + describe(node));
  }

  private List<String> strings(Object node, String entry, String field) {
    var out = new ArrayList<String>();
    for (Object o : list(node, entry, field)) {
      out.add(string(o, entry, field));
    }
    return out;
  }

  private String string(Object node, String entry, String field) {
    if (node instanceof String s && !s.isBlank()) {
      return s.trim();
    }
    throw error(entry, field, "must be a non-empty text, was " + describe(node));
  }

  private static String describe(Object node) {
    return node == null ? "empty" : "'" + node + "'";
  }

  private AccessConfigException error(String entry, String field, String problem) {
    return new AccessConfigException(file + ": " + entry + ": field '" + field + "' " + problem);
  }
}
