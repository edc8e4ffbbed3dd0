/**
 * obops: a chat-ops bot that stops OceanBase clusters the way OCP does, behind a two-person
 * approval.
 *
 * <p>This package is the composition root ({@link io.obops.ObopsConfiguration}): it assembles the
 * capabilities, each in its own package: {@code cluster} (inventory and OCP statuses), {@code task}
 * (the persisted task engine, free of Spring), {@code obcluster} (the "Stop OB cluster" and "Start
 * OB cluster" graphs, their handlers and the pre-flight plan), {@code access} (principals, roles,
 * policies), {@code approval} (the two-person rule), {@code core} (typed ids and refusals), {@code
 * operations} (every action and read, for every surface), {@code audit}, {@code api} (REST on OCP's
 * paths), {@code ocp} (OCP's shapes shared by surfaces), {@code chat} (the conversation, with
 * {@code chat.discord} and {@code chat.web}), {@code remote} (SSH), {@code routine} (periodic
 * jobs), {@code sandbox} (the demo cluster). See README.md, "Architecture".
 *
 * <p>Settings: every capability owns a validated {@code @ConfigurationProperties} record; {@link
 * io.obops.ObopsProperties} holds obops' own ({@code obops.embedded}, server name, time zone,
 * inventory, engine). {@code obops.embedded=true} is a preset applied by {@link
 * io.obops.EmbeddedDefault} (loopback address, identity picker, kept sandbox), each value only
 * where nothing else set it. {@link io.obops.UrlRedaction} makes configured URLs safe to log.
 */
package io.obops;
