package io.obops.access;

import java.nio.file.Path;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code obops.access.*}.
 *
 * @param file the access configuration (roles, people, bindings, policies); the embedded default
 *     uses the demo file, production points this at its copy of {@code config/access.yml}
 * @param reloadInterval how often the file is checked for changes; an edit is in force within this
 *     time, an invalid edit is logged and ignored
 */
@ConfigurationProperties("obops.access")
public record AccessProperties(
    @DefaultValue("config/access-demo.yml") Path file,
    @DefaultValue("10s") Duration reloadInterval) {}
