package io.obops.access;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers "may this actor do this on this cluster?" and "what does this action take?" from the
 * access file in force. The file is loaded at start (an invalid file stops start-up) and checked
 * for edits by {@link #reloadIfChanged()}; every answer reads the current configuration, so a role
 * removed between a request and its approval is no longer there when the approval is decided.
 *
 * <p>An edit takes effect only when the file's content (its SHA-256, not its modification time) is
 * the same at two consecutive checks: a file caught while an editor or a deployment tool is still
 * writing it differs from one check to the next and is never applied, even when what was written so
 * far happens to be valid YAML (a binding without its {@code clusters:} selector yet, a policy
 * without its second approval). An edit written within the same clock tick as the one before is
 * still seen, because content is compared, not times. An invalid edit is logged once and the
 * previous configuration stays in force.
 *
 * <p>Thread-safe: the configuration is one immutable value behind a volatile field; checks are
 * serialized.
 */
public final class AccessControl {

  private static final Logger log = LoggerFactory.getLogger(AccessControl.class);
  private static final String UNREADABLE = "unreadable";

  private final Path file;
  private volatile AccessConfig config;

  /** SHA-256 of the content in force. */
  private String appliedHash;

  /** SHA-256 seen at the previous check and not applied yet; applied if the next check agrees. */
  private String candidateHash;

  /** SHA-256 of stable content that was invalid, so it is reported once. */
  private String rejectedHash;

  public AccessControl(Path file) {
    this.file = file;
    byte[] content = AccessConfigLoader.read(file);
    this.config = AccessConfigLoader.parse(file.toString(), content);
    this.appliedHash = sha256(content);
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
   * One check of the file: reads it and compares its content with what is in force and with what
   * the previous check saw. Applies it when it differs from what is in force and equals what the
   * previous check saw (unchanged across two consecutive checks) and is valid. Returns true when a
   * new configuration is now in force.
   */
  public synchronized boolean reloadIfChanged() {
    if (file == null) {
      return false;
    }
    byte[] content;
    try {
      content = AccessConfigLoader.read(file);
    } catch (AccessConfigException e) {
      if (!UNREADABLE.equals(rejectedHash)) {
        log.warn("access: kept the configuration in force; {}", e.getMessage());
      }
      candidateHash = null;
      rejectedHash = UNREADABLE;
      return false;
    }
    String hash = sha256(content);
    if (hash.equals(appliedHash) || hash.equals(rejectedHash)) {
      candidateHash = null;
      return false;
    }
    if (!hash.equals(candidateHash)) {
      candidateHash = hash; // changed since the last check: maybe still being written
      log.debug("access: {} changed; applied if unchanged at the next check", file);
      return false;
    }
    candidateHash = null;
    try {
      config = AccessConfigLoader.parse(file.toString(), content);
      appliedHash = hash;
      rejectedHash = null;
      log.info("access: reloaded {}", file);
      return true;
    } catch (AccessConfigException e) {
      rejectedHash = hash;
      log.error(
          "access: kept the previous configuration; the edited file is invalid: {}",
          e.getMessage());
      return false;
    }
  }

  private static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
