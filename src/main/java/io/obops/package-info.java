/**
 * obops: a chat-ops bot that stops OceanBase clusters the way OCP does, behind a two-person
 * approval.
 *
 * <p>This package is the composition root ({@link io.obops.ObopsConfiguration}): it assembles the
 * capabilities, each in its own package: {@code cluster} (inventory and OCP statuses), {@code task}
 * (the persisted task engine, free of Spring), {@code obcluster} (the "Stop OB cluster" graph and
 * its handlers), {@code access} (principals, roles, policies), {@code approval} (the two-person
 * rule), {@code core} (typed ids and refusals), {@code operations} (every action and read, for
 * every surface), {@code audit}, {@code api} (REST on OCP's paths), {@code chat} (the conversation,
 * with {@code chat.discord} and {@code chat.web}), {@code remote} (SSH), {@code sandbox} (the demo
 * cluster). See README.md, "Architecture".
 */
package io.obops;
