package io.obops;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * The embedded default's demo files when the working directory has none (the jar run from an empty
 * folder): {@code config/access-demo.yml} and {@code config/clusters.yml} ship in the jar under
 * {@code obops/demo-config/}; when the configured file is still the default and absent, the jar's
 * copy is written to {@code data/config/} (the embedded default's own folder) and used. A file
 * somebody configured is never replaced: if it is missing, start-up says so.
 */
final class DemoConfigFallback {

  static final String SOURCE = "obopsDemoConfig";
  private static final String CLASSPATH = "obops/demo-config/";

  private DemoConfigFallback() {}

  /** The demo files, by property, that are absent here and packaged in the jar. */
  static Map<String, String> missing(ConfigurableEnvironment env) {
    Map<String, String> missing = new LinkedHashMap<>();
    missing(env, "obops.access.file", "config/access-demo.yml", missing);
    missing(env, "obops.inventory.file", "config/clusters.yml", missing);
    return missing;
  }

  private static void missing(
      ConfigurableEnvironment env, String property, String demo, Map<String, String> out) {
    String configured = env.getProperty(property, demo);
    String name = Path.of(demo).getFileName().toString();
    if (configured.equals(demo)
        && !Files.exists(Path.of(configured))
        && DemoConfigFallback.class.getClassLoader().getResource(CLASSPATH + name) != null) {
      out.put(property, name);
    }
  }

  /** Writes the jar's copies of {@code missing} under {@code data/config} and points at them. */
  static void apply(ConfigurableEnvironment env, Map<String, String> missing) {
    Map<String, Object> values = new LinkedHashMap<>();
    missing.forEach((property, name) -> values.put(property, write(name).toString()));
    if (!values.isEmpty() && !env.getPropertySources().contains(SOURCE)) {
      env.getPropertySources().addFirst(new MapPropertySource(SOURCE, values));
    }
  }

  private static Path write(String name) {
    try (InputStream in =
        DemoConfigFallback.class.getClassLoader().getResourceAsStream(CLASSPATH + name)) {
      Path target = Path.of("data", "config", name);
      Files.createDirectories(target.getParent());
      Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
      return target;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the demo's " + name + " under data/config", e);
    }
  }
}
