package io.obops;

import io.obops.access.AccessConfigLoader;
import io.obops.cluster.InventoryLoader;
import java.nio.file.Path;
import java.util.Set;
import org.springframework.core.env.ConfigurableEnvironment;

/**
 * The files obops cannot start without, read before anything else is created (no {@code ./data}, no
 * database, no port): the access file and the inventory. A missing or invalid one stops start-up
 * with its loader's one-line message (the failure analyzers print it without a stack).
 */
final class SettingsCheck {

  private SettingsCheck() {}

  /** Reads both files, except those the demo's packaged copies stand in for ({@code skip}). */
  static void check(ConfigurableEnvironment env, Set<String> skip) {
    if (!skip.contains("obops.access.file")) {
      AccessConfigLoader.load(Path.of(env.getProperty("obops.access.file", "config/access.yml")));
    }
    if (!skip.contains("obops.inventory.file")) {
      InventoryLoader.load(Path.of(env.getProperty("obops.inventory.file", "config/clusters.yml")));
    }
  }
}
