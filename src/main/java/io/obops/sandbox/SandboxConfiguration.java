package io.obops.sandbox;

import io.obops.remote.SshClientFiles;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Starts the {@link Sandbox} (bean {@code sandbox}, closed on shutdown: every process it started is
 * killed) when {@code obops.sandbox.enabled=true}, and hands its key and known_hosts to the remote
 * executor (bean {@code sandboxSshClientFiles}). With a base dir (the embedded default's preset
 * sets {@code data/sandbox}) it keeps its state there, so a restart reuses its keys and addresses,
 * adopts the observers still running and leaves stopped observers stopped.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = "obops.sandbox", name = "enabled", havingValue = "true")
@EnableConfigurationProperties(SandboxProperties.class)
public class SandboxConfiguration {

  @Bean(destroyMethod = "close")
  Sandbox sandbox(SandboxProperties properties) {
    java.nio.file.Path baseDir = properties.baseDir();
    return Sandbox.builder()
        .zones(properties.zones())
        .serversPerZone(properties.serversPerZone())
        .baseDir(baseDir)
        .observerExitDelay(properties.observerExitDelay())
        // a kept base dir is a restart: observers are started per their recorded status
        .startObservers(baseDir == null)
        .start();
  }

  @Bean
  SshClientFiles sandboxSshClientFiles(Sandbox sandbox) {
    return new SshClientFiles(sandbox.clientPrivateKey(), sandbox.knownHosts());
  }
}
