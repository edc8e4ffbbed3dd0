/**
 * Periodic jobs, one abstraction: each is a {@link io.obops.routine.Routine} bean (a name, a delay
 * between runs, the work) that the capability owning the job declares; {@link
 * io.obops.routine.Routines} runs them all. Today: {@code chat-reporter} and {@code chat-outbox}
 * (chat), {@code chat-gateway-lease} (chat, when an adapter needs the single gateway), {@code
 * approval-expiry} (approval), {@code access-reload} (access). The task engine keeps its own
 * threads: it is plain Java, free of Spring.
 */
package io.obops.routine;
