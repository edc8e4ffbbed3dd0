package io.obops.remote;

import io.obops.obcluster.ObserverProcessControl;
import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;

/**
 * Registers the SSH {@link ObserverProcessControl} (bean {@code observerProcessControl}) and its
 * connection pool (bean {@code sshRemoteShell}, closed on shutdown) when {@code
 * obops.remote.enabled=true} or {@code obops.sandbox.enabled=true}. A {@link SshClientFiles} bean,
 * if present (the sandbox provides one), replaces the configured key and known_hosts.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(RemoteConfiguration.RemoteWanted.class)
@EnableConfigurationProperties(RemoteProperties.class)
class RemoteConfiguration {

  private static final Logger log = LoggerFactory.getLogger(RemoteConfiguration.class);

  @Bean(destroyMethod = "close")
  SshRemoteShell sshRemoteShell(RemoteProperties properties, ObjectProvider<SshClientFiles> files)
      throws IOException {
    SshClientFiles supplied = files.getIfAvailable();
    SshIdentity identity;
    Path knownHosts;
    if (supplied != null) {
      log.info(
          "SSH uses the supplied key {} and known_hosts {}",
          supplied.privateKey(),
          supplied.knownHosts());
      identity = SshIdentity.fromFile(supplied.privateKey(), null);
      knownHosts = supplied.knownHosts();
    } else {
      identity = properties.identity(System::getenv);
      knownHosts = properties.knownHostsOrDefault();
    }
    try {
      return new SshRemoteShell(properties.sshSettings(identity, knownHosts));
    } finally {
      identity.wipe();
    }
  }

  @Bean
  SshObserverProcessControl observerProcessControl(
      SshRemoteShell sshRemoteShell, RemoteProperties properties) {
    return new SshObserverProcessControl(sshRemoteShell, properties.observerControlSettings());
  }

  /** obops.remote.enabled=true, or the sandbox is on (it needs a way to reach its hosts). */
  static final class RemoteWanted extends AnyNestedCondition {

    RemoteWanted() {
      super(ConfigurationPhase.PARSE_CONFIGURATION);
    }

    @ConditionalOnProperty(prefix = "obops.remote", name = "enabled", havingValue = "true")
    static final class RemoteEnabled {}

    @ConditionalOnProperty(prefix = "obops.sandbox", name = "enabled", havingValue = "true")
    static final class SandboxEnabled {}
  }
}
