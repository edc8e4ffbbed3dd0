package io.obops.testsupport;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/** OCP's published "Stop OB cluster" response, and a check that ours has its shape. */
public final class OcpSample {

  public static final JsonMapper JSON = JsonMapper.builder().build();

  private OcpSample() {}

  /** The whole envelope of OCP's sample (src/test/resources/ocp/stop-cluster-sample.json). */
  public static JsonNode stopClusterResponse() {
    try (InputStream in = OcpSample.class.getResourceAsStream("/ocp/stop-cluster-sample.json")) {
      return JSON.readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static List<String> keys(JsonNode node) {
    var keys = new ArrayList<String>();
    node.propertyNames().forEach(keys::add);
    return keys;
  }

  /**
   * Same keys in the same order and the same JSON types, all the way down; {@code finishTime} is
   * allowed as the one addition (OCP adds it once a task finished).
   */
  public static void assertSameShape(JsonNode ours, JsonNode theirs, String path) {
    assertThat(ours.getNodeType()).as(path).isEqualTo(theirs.getNodeType());
    if (theirs.isObject()) {
      List<String> ourKeys = keys(ours);
      ourKeys.remove("finishTime");
      assertThat(ourKeys).as(path).isEqualTo(keys(theirs));
      for (String key : keys(theirs)) {
        assertSameShape(ours.get(key), theirs.get(key), path + "." + key);
      }
    } else if (theirs.isArray() && !theirs.isEmpty() && !ours.isEmpty()) {
      for (JsonNode element : ours) {
        assertSameShape(element, theirs.get(0), path + "[]");
      }
    }
  }
}
