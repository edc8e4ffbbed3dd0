package io.obops.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class InventoryLoaderTest {

  private static List<InventoryLoader.ClusterSpec> parse(String yaml) {
    return InventoryLoader.parse("clusters.yml", new StringReader(yaml));
  }

  private static String withServer(String field, String yamlValue) {
    return """
        clusters:
          - id: 1
            name: c1
            ssh_user: admin
            home_path: /home/admin/oceanbase
            zones:
              - name: zone1
                servers:
                  - id: 5
                    ip: 10.0.0.5
                    %s: %s
        """
        .formatted(field, yamlValue);
  }

  @Test
  void theShippedExampleInventoryLoads() {
    var clusters = InventoryLoader.load(Path.of("config/clusters.yml"));
    assertThat(clusters).extracting(InventoryLoader.ClusterSpec::name).containsExactly("demo");
    assertThat(clusters.get(0).servers()).hasSize(3);
  }

  @Test
  void serversInheritTheClustersDefaultsAndOcpsPorts() {
    var server = parse(withServer("ssh_port", "2222")).get(0).servers().get(0);
    assertThat(server)
        .isEqualTo(
            new InventoryLoader.ServerSpec(
                5, "zone1", "10.0.0.5", 2222, "admin", "/home/admin/oceanbase", 2881, 2882));
  }

  /** Values an attacker or a typo could put where a remote shell will see them. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"/home/admin/ob;rm -rf /\"",
        "\"/home/admin/$(touch /tmp/pwned)\"",
        "\"/home/admin/`id`\"",
        "\"/home/admin/ob'x\"",
        "'/home/admin/ob\"x'",
        "\"/home/admin/my ob\"",
        "\"/home/admin/ob\\nrm -rf /\"",
        "relative/path",
        "/home/admin/../../etc",
        "/home/admin/ob/",
        "\"/home/admin/ob|cat\"",
        "\"/home/admin/ob&\"",
        "\"/home/admin/$HOME\"",
      })
  void aHomePathThatIsNotPlainlySafeIsRefusedNamingTheEntryAndField(String value) {
    assertThatThrownBy(() -> parse(withServer("home_path", value)))
        .isInstanceOf(InventoryException.class)
        .hasMessageStartingWith(
            "clusters.yml: clusters[0] (id 1).zones[0].servers[0].home_path: '");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"admin;id\"",
        "\"$(id)\"",
        "\"ad min\"",
        "\"`id`\"",
        "\"root\\n\"",
        "\"-oProxyCommand=x\"",
        "\"Admin\""
      })
  void anSshUserThatIsNotAPosixUserNameIsRefused(String value) {
    assertThatThrownBy(() -> parse(withServer("ssh_user", value)))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("servers[0].ssh_user: '")
        .hasMessageContaining("use a POSIX user name");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"10.0.0.5;id\"",
        "\"$(id)\"",
        "\"10.0.0.256\"",
        "\"-oProxyCommand=touch\"",
        "\"host name\"",
        "\"a`b`\"",
        "\"10.0.0.5\\n\""
      })
  void anIpThatIsNotAnAddressOrHostNameIsRefused(String value) {
    assertThatThrownBy(() -> parse(withServer("ip", value)))
        .isInstanceOf(InventoryException.class)
        .hasMessageContaining("servers[0].ip: '")
        .hasMessageContaining("is not an IPv4 or IPv6 address or a host name");
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.5", "127.0.1.3", "::1", "fe80::1", "ob-host-1.example.com"})
  void addressesAndHostNamesAreAccepted(String ip) {
    assertThat(parse(withServer("ip", "\"" + ip + "\"")).get(0).servers().get(0).ip())
        .isEqualTo(ip);
  }

  @ParameterizedTest
  @ValueSource(strings = {"0", "65536", "-1", "\"22\"", "abc"})
  void aPortOutsideOneTo65535IsRefused(String port) {
    assertThatThrownBy(() -> parse(withServer("mysql_port", port)))
        .hasMessageContaining("servers[0].mysql_port: '")
        .hasMessageContaining("must be a port number from 1 to 65535");
  }

  @Test
  void anUnknownFieldIsRefusedListingTheKnownOnes() {
    assertThatThrownBy(() -> parse(withServer("hom_path", "/x")))
        .hasMessageStartingWith(
            "clusters.yml: clusters[0] (id 1).zones[0].servers[0]: unknown field 'hom_path'");
  }

  @Test
  void aMissingSshUserIsRefused() {
    assertThatThrownBy(
            () ->
                parse(
                    """
                    clusters:
                      - id: 1
                        name: c1
                        zones:
                          - name: z1
                            servers:
                              - { id: 1, ip: 10.0.0.1, home_path: /home/a }
                    """))
        .hasMessage("clusters.yml: clusters[0] (id 1).zones[0].servers[0].ssh_user: is required");
  }

  @Test
  void duplicateServerIdsAndEndpointsAreRefused() {
    String twoServers =
        """
        clusters:
          - id: 1
            name: c1
            ssh_user: admin
            home_path: /home/admin/ob
            zones:
              - name: z1
                servers:
                  - { id: 1, ip: 10.0.0.1 }
                  - { id: %s, ip: 10.0.0.%s }
        """;
    assertThatThrownBy(() -> parse(twoServers.formatted(1, 2)))
        .hasMessageContaining("servers[1].id: duplicate server id 1");
    assertThatThrownBy(() -> parse(twoServers.formatted(2, 1)))
        .hasMessageContaining("servers[1].mysql_port: 10.0.0.1:2881 is already used");
  }

  @Test
  void aMissingFileSaysWhereToLook() {
    assertThatThrownBy(() -> InventoryLoader.load(Path.of("no/such/clusters.yml")))
        .hasMessageStartingWith("no/such/clusters.yml: inventory file not found");
  }

  @Test
  void invalidYamlIsRefusedNamingTheFile() {
    assertThatThrownBy(() -> parse("clusters: [ {id: 1"))
        .hasMessageStartingWith("clusters.yml: not valid YAML");
  }
}
