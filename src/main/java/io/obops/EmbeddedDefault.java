package io.obops;

import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * {@code obops.embedded=true} as a preset: the one place that reads the switch. It gives the
 * settings of the capabilities involved their single-node-trial values, each only when nobody set
 * it (the preset is the last property source, so {@code application.yml}, the environment and the
 * command line all win):
 *
 * <ul>
 *   <li>{@code server.address=127.0.0.1}: the HTTP server (console and API share it) listens on
 *       loopback only; set {@code server.address} (e.g. {@code 0.0.0.0}) to open it wider.
 *   <li>{@code obops.console.identity-picker=true}: the console without logins, people pick who
 *       they are; configured {@code obops.console.users} still mean a login is required.
 *   <li>{@code obops.sandbox.base-dir=data/sandbox}: the sandbox keeps its keys, addresses and
 *       observers' homes across restarts.
 *   <li>the demo's access file and inventory come from the jar when the working directory has none
 *       ({@link DemoConfigFallback}).
 * </ul>
 *
 * <p>Then, embedded or not, the access file and the inventory are read once ({@link SettingsCheck})
 * before anything is created, so a missing or invalid one stops start-up with one clear message and
 * no {@code ./data} left behind.
 *
 * <p>Runs after Spring Boot has loaded the configuration files. Properties a test adds with
 * {@code @DynamicPropertySource} come later and are not seen here; such a test sets {@code
 * obops.embedded} through {@code @SpringBootTest(properties = ...)} or arguments.
 */
public final class EmbeddedDefault implements EnvironmentPostProcessor {

  /** The name of the preset's property source. */
  public static final String SOURCE = "obopsEmbeddedDefault";

  /** What the preset sets, unless set elsewhere. */
  public static final Map<String, Object> PRESET = preset();

  private static Map<String, Object> preset() {
    Map<String, Object> values = new LinkedHashMap<>();
    values.put("server.address", "127.0.0.1");
    values.put("obops.console.identity-picker", "true");
    values.put("obops.sandbox.base-dir", "data/sandbox");
    return Map.copyOf(values);
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication app) {
    boolean embedded = Binder.get(environment).bind("obops.embedded", Boolean.class).orElse(false);
    if (embedded && !environment.getPropertySources().contains(SOURCE)) {
      environment.getPropertySources().addLast(new MapPropertySource(SOURCE, PRESET));
    }
    Map<String, String> demo = embedded ? DemoConfigFallback.missing(environment) : Map.of();
    SettingsCheck.check(environment, demo.keySet());
    DemoConfigFallback.apply(environment, demo);
  }
}
