package io.obops.cluster;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads and validates {@code config/clusters.yml}. Validation is strict on everything that will
 * reach a remote shell (hosts, user names, paths): a value that is not plainly safe is refused at
 * load time, with a message naming the file, the entry and the field, and the start-up stops.
 *
 * <pre>
 * clusters:
 *   - id: 1                 # the OCP cluster id used in /obcluster stop 1
 *     name: demo
 *     ob_cluster_id: 1      # optional, defaults to id
 *     tags: [prod]
 *     ssh_user: admin       # cluster-wide defaults for ssh_user, ssh_port, home_path,
 *     home_path: /home/admin/oceanbase   # mysql_port, rpc_port; servers may override
 *     zones:
 *       - name: zone1
 *         servers:
 *           - { id: 1, ip: 10.0.0.5 }
 * </pre>
 */
public final class InventoryLoader {

  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,127}");
  static final Pattern ZONE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]{0,127}");
  static final Pattern TAG = Pattern.compile("[a-z0-9][a-z0-9_.-]{0,63}");
  static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  static final Pattern PATH = Pattern.compile("(/[A-Za-z0-9_.-]+)+");
  static final Pattern IPV4 =
      Pattern.compile(
          "((25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)\\.){3}(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)");
  static final Pattern HOSTNAME =
      Pattern.compile(
          "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
              + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
  static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]{2,39}");

  private static final Set<String> CLUSTER_FIELDS =
      Set.of(
          "id",
          "name",
          "ob_cluster_id",
          "tags",
          "zones",
          "ssh_user",
          "ssh_port",
          "home_path",
          "mysql_port",
          "rpc_port");
  private static final Set<String> ZONE_FIELDS = Set.of("name", "servers");
  private static final Set<String> SERVER_FIELDS =
      Set.of("id", "ip", "ssh_port", "ssh_user", "home_path", "mysql_port", "rpc_port");

  /** A cluster as the file describes it; zones in file order, servers in file order. */
  public record ClusterSpec(
      long id,
      String name,
      long obClusterId,
      List<String> tags,
      List<String> zones,
      List<ServerSpec> servers) {}

  /** A server as the file describes it. */
  public record ServerSpec(
      long id,
      String zone,
      String ip,
      int sshPort,
      String sshUser,
      String homePath,
      int mysqlPort,
      int rpcPort) {}

  private InventoryLoader() {}

  public static List<ClusterSpec> load(Path file) {
    if (!Files.isRegularFile(file)) {
      throw new InventoryException(
          file
              + ": inventory file not found; create it (see config/clusters.yml in the repository)"
              + " or point obops.inventory.file at it");
    }
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      return parse(file.toString(), reader);
    } catch (IOException e) {
      throw new InventoryException(file + ": cannot read the inventory: " + e.getMessage());
    }
  }

  public static List<ClusterSpec> parse(String source, Reader reader) {
    Object doc;
    try {
      doc = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
    } catch (YAMLException e) {
      throw new InventoryException(source + ": not valid YAML: " + e.getMessage());
    }
    var at = new Where(source);
    if (doc == null) {
      return List.of();
    }
    Map<String, Object> root = at.map(doc, "the document");
    at.only(root, Set.of("clusters"), "the document");
    Object clusters = root.get("clusters");
    if (clusters == null) {
      return List.of();
    }
    List<Object> list = at.list(clusters, "clusters");
    var result = new ArrayList<ClusterSpec>();
    var clusterIds = new HashSet<Long>();
    var clusterNames = new HashSet<String>();
    var serverIds = new HashSet<Long>();
    var endpoints = new HashSet<String>();
    for (int i = 0; i < list.size(); i++) {
      String entry = "clusters[" + i + "]";
      Map<String, Object> c = at.map(list.get(i), entry);
      at.only(c, CLUSTER_FIELDS, entry);
      long id = at.positiveLong(c, "id", entry, null);
      entry = entry + " (id " + id + ")";
      String name = at.matching(c, "name", entry, NAME, "letters, digits, '_', '.', '-'", null);
      if (!clusterIds.add(id)) {
        throw at.error(entry, "id", "duplicate cluster id " + id);
      }
      if (!clusterNames.add(name)) {
        throw at.error(entry, "name", "duplicate cluster name '" + name + "'");
      }
      long obClusterId = at.positiveLong(c, "ob_cluster_id", entry, id);
      var tags = new ArrayList<String>();
      if (c.get("tags") != null) {
        for (Object t : at.list(c.get("tags"), entry + ".tags")) {
          String tag = String.valueOf(t);
          if (!TAG.matcher(tag).matches()) {
            throw at.error(
                entry,
                "tags",
                "tag '" + tag + "' must be lower-case letters, digits, '_', '.', '-'");
          }
          tags.add(tag);
        }
      }
      Map<String, Object> defaults = new LinkedHashMap<>();
      for (String k : List.of("ssh_user", "ssh_port", "home_path", "mysql_port", "rpc_port")) {
        if (c.containsKey(k)) {
          defaults.put(k, c.get(k));
        }
      }
      List<Object> zones = at.list(at.required(c, "zones", entry), entry + ".zones");
      if (zones.isEmpty()) {
        throw at.error(entry, "zones", "a cluster needs at least one zone");
      }
      var zoneNames = new ArrayList<String>();
      var servers = new ArrayList<ServerSpec>();
      for (int z = 0; z < zones.size(); z++) {
        String zoneEntry = entry + ".zones[" + z + "]";
        Map<String, Object> zone = at.map(zones.get(z), zoneEntry);
        at.only(zone, ZONE_FIELDS, zoneEntry);
        String zoneName =
            at.matching(zone, "name", zoneEntry, ZONE, "letters, digits, '_', '-'", null);
        if (zoneNames.contains(zoneName)) {
          throw at.error(zoneEntry, "name", "duplicate zone '" + zoneName + "'");
        }
        zoneNames.add(zoneName);
        List<Object> zoneServers =
            at.list(at.required(zone, "servers", zoneEntry), zoneEntry + ".servers");
        if (zoneServers.isEmpty()) {
          throw at.error(zoneEntry, "servers", "a zone needs at least one server");
        }
        for (int s = 0; s < zoneServers.size(); s++) {
          String serverEntry = zoneEntry + ".servers[" + s + "]";
          Map<String, Object> server = new LinkedHashMap<>(defaults);
          Map<String, Object> own = at.map(zoneServers.get(s), serverEntry);
          at.only(own, SERVER_FIELDS, serverEntry);
          server.putAll(own);
          ServerSpec spec = server(at, server, serverEntry, zoneName);
          if (!serverIds.add(spec.id())) {
            throw at.error(serverEntry, "id", "duplicate server id " + spec.id());
          }
          for (int port : new int[] {spec.mysqlPort(), spec.rpcPort()}) {
            if (!endpoints.add(spec.ip() + ":" + port)) {
              throw at.error(
                  serverEntry,
                  port == spec.mysqlPort() ? "mysql_port" : "rpc_port",
                  spec.ip() + ":" + port + " is already used by another server");
            }
          }
          servers.add(spec);
        }
      }
      result.add(new ClusterSpec(id, name, obClusterId, tags, zoneNames, servers));
    }
    return result;
  }

  private static ServerSpec server(Where at, Map<String, Object> s, String entry, String zone) {
    long id = at.positiveLong(s, "id", entry, null);
    String ip = at.string(s, "ip", entry, null);
    if (!validHost(ip)) {
      throw at.error(entry, "ip", "'" + ip + "' is not an IPv4 or IPv6 address or a host name");
    }
    int sshPort = at.port(s, "ssh_port", entry, 22);
    String user = at.matching(s, "ssh_user", entry, USER, "a POSIX user name", null);
    String home = at.string(s, "home_path", entry, null);
    if (!PATH.matcher(home).matches() || home.length() > 256 || hasDotSegment(home)) {
      throw at.error(
          entry,
          "home_path",
          "'"
              + home
              + "' must be an absolute path of letters, digits, '_', '.', '-' and '/', without"
              + " '..' or a trailing '/'");
    }
    int mysql = at.port(s, "mysql_port", entry, 2881);
    int rpc = at.port(s, "rpc_port", entry, 2882);
    if (mysql == rpc) {
      throw at.error(entry, "rpc_port", "mysql_port and rpc_port are both " + mysql);
    }
    return new ServerSpec(id, zone, ip, sshPort, user, home, mysql, rpc);
  }

  static boolean validHost(String host) {
    if (host.indexOf(':') >= 0) {
      return IPV6.matcher(host).matches() && host.chars().filter(ch -> ch == ':').count() >= 2;
    }
    if (host.chars().allMatch(ch -> Character.isDigit(ch) || ch == '.')) {
      return IPV4.matcher(host).matches();
    }
    return HOSTNAME.matcher(host).matches();
  }

  private static boolean hasDotSegment(String path) {
    for (String segment : path.split("/")) {
      if (segment.equals(".") || segment.equals("..")) {
        return true;
      }
    }
    return false;
  }

  /** Field access with errors that name the file, the entry and the field. */
  private record Where(String source) {

    InventoryException error(String entry, String field, String problem) {
      return new InventoryException(source + ": " + entry + "." + field + ": " + problem);
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> map(Object o, String entry) {
      if (!(o instanceof Map<?, ?> m)) {
        throw new InventoryException(source + ": " + entry + ": expected a mapping of fields");
      }
      return (Map<String, Object>) m;
    }

    @SuppressWarnings("unchecked")
    List<Object> list(Object o, String entry) {
      if (!(o instanceof List<?> l)) {
        throw new InventoryException(source + ": " + entry + ": expected a list");
      }
      return (List<Object>) l;
    }

    void only(Map<String, Object> m, Set<String> known, String entry) {
      for (Object key : m.keySet()) {
        if (!known.contains(String.valueOf(key))) {
          throw new InventoryException(
              source
                  + ": "
                  + entry
                  + ": unknown field '"
                  + key
                  + "'; known fields: "
                  + String.join(", ", known.stream().sorted().toList()));
        }
      }
    }

    Object required(Map<String, Object> m, String field, String entry) {
      Object v = m.get(field);
      if (v == null) {
        throw error(entry, field, "is required");
      }
      return v;
    }

    String string(Map<String, Object> m, String field, String entry, String fallback) {
      Object v = m.get(field);
      if (v == null) {
        if (fallback == null) {
          throw error(entry, field, "is required");
        }
        return fallback;
      }
      if (!(v instanceof String || v instanceof Number)) {
        throw error(entry, field, "expected a single value");
      }
      return String.valueOf(v);
    }

    String matching(
        Map<String, Object> m,
        String field,
        String entry,
        Pattern pattern,
        String allowed,
        String fallback) {
      String v = string(m, field, entry, fallback);
      if (!pattern.matcher(v).matches()) {
        throw error(entry, field, "'" + v + "' is not allowed; use " + allowed);
      }
      return v;
    }

    long positiveLong(Map<String, Object> m, String field, String entry, Long fallback) {
      Object v = m.get(field);
      if (v == null) {
        if (fallback == null) {
          throw error(entry, field, "is required");
        }
        return fallback;
      }
      if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() <= 0) {
        throw error(entry, field, "'" + v + "' must be a positive whole number");
      }
      return ((Number) v).longValue();
    }

    int port(Map<String, Object> m, String field, String entry, int fallback) {
      Object v = m.get(field);
      if (v == null) {
        return fallback;
      }
      if (!(v instanceof Integer p) || p < 1 || p > 65535) {
        throw error(entry, field, "'" + v + "' must be a port number from 1 to 65535");
      }
      return p;
    }
  }
}
