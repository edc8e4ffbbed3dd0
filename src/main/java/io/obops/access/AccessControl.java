package io.obops.access;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.HashSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "may this actor do this on this cluster?" and "what does this action take?" from the
 * access file in force. The file is loaded at start (an invalid file stops start-up) and re-read
 * when it changes ({@link #reloadIfModified()}); an invalid edit is logged and the previous
 * configuration stays in force. Every answer reads the current configuration, so a role removed
 * between a request and its approval is no longer there when the approval is decided.
 *
 * <p>Thread-safe: the configuration is one immutable value behind a volatile field.
 */
public final class AccessControl {

  private static final Logger log = LoggerFactory.getLogger(AccessControl.class);

  private final Path file;
  private volatile AccessConfig config;
  private volatile FileTime loadedModified;

  public AccessControl(Path file) {
    this.file = file;
    this.loadedModified = modified();
    this.config = AccessConfigLoader.load(file);
    log.info(
        "access: loaded {} ({} roles, {} bindings, {} policies)",
        file,
        config.roles().size(),
        config.bindings().size(),
        config.policies().size());
  }

  /** For tests and tools: a fixed configuration. */
  public AccessControl(AccessConfig config) {
    this.file = null;
    this.config = config;
  }

  public AccessConfig config() {
    return config;
  }

  /**
   * Every principal the actor speaks for right now: itself plus the role principals vouched for.
   */
  private static Set<String> principals(Actor actor) {
    var all = new HashSet<String>(actor.rolePrincipals());
    all.add(actor.principal());
    return all;
  }

  public Set<Permission> permissions(Actor actor, ClusterRef cluster) {
    return config.permissions(principals(actor), cluster);
  }

  public boolean has(Actor actor, Permission permission, ClusterRef cluster) {
    return permissions(actor, cluster).contains(permission);
  }

  public Policy policy(String action, ClusterRef cluster) {
    return config.policy(action, cluster);
  }

  /** The person behind a principal (see {@link AccessConfig#person}). */
  public String person(String principal) {
    return config.person(principal);
  }

  /**
   * Re-reads the file if it changed since it was loaded. Returns true when a new configuration is
   * in force; an invalid file is logged and ignored.
   */
  public boolean reloadIfModified() {
    if (file == null) {
      return false;
    }
    FileTime now = modified();
    if (now == null || now.equals(loadedModified)) {
      return false;
    }
    return reload();
  }

  /** Re-reads the file now. Returns true when it was valid and is now in force. */
  public boolean reload() {
    if (file == null) {
      return false;
    }
    FileTime now = modified();
    try {
      AccessConfig fresh = AccessConfigLoader.load(file);
      config = fresh;
      loadedModified = now;
      log.info("access: reloaded {}", file);
      return true;
    } catch (AccessConfigException e) {
      loadedModified = now;
      log.error(
          "access: kept the previous configuration; the edited file is invalid: {}",
          e.getMessage());
      return false;
    }
  }

  private FileTime modified() {
    try {
      return file == null ? null : Files.getLastModifiedTime(file);
    } catch (IOException e) {
      return null;
    }
  }
}
