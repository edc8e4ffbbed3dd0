package io.obops.access;

import jakarta.validation.constraints.NotNull;
import java.nio.file.Path;
import java.time.Duration;
import org.hibernate.validator.constraints.time.DurationMin;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * {@code obops.access.*}.
 *
 * @param file the access configuration (roles, people, bindings, policies); the embedded default
 *     uses the demo file, production points this at its copy of {@code config/access.yml}
 * @param reloadInterval how often the file is checked for changes (default 10s). An edit is applied
 *     when two consecutive checks see the same content, so it is in force within two intervals; a
 *     file still being written is never applied, an invalid edit is logged and ignored. For a
 *     guaranteed switch, write the new file next to it and rename it over the old one.
 */
@Validated
@ConfigurationProperties("obops.access")
public record AccessProperties(
    @NotNull @DefaultValue("config/access-demo.yml") Path file,
    @NotNull @DurationMin(millis = 1) @DefaultValue("10s") Duration reloadInterval) {}
