package io.obops.remote;

import java.nio.file.Path;

/**
 * A key file and a known_hosts file supplied by another part of the application instead of {@code
 * obops.remote.private-key} and {@code obops.remote.known-hosts}. The sandbox registers one so the
 * remote executor can reach its hosts; when a bean of this type exists, {@link RemoteConfiguration}
 * uses it.
 *
 * @param privateKey an unencrypted private key file
 * @param knownHosts the known_hosts file holding every host's key
 */
public record SshClientFiles(Path privateKey, Path knownHosts) {}
