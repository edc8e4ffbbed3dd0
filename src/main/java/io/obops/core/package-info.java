/**
 * The vocabulary every capability and surface shares with the operations layer: typed ids ({@link
 * io.obops.core.ClusterId}, {@link io.obops.core.TaskId}, {@link io.obops.core.SubtaskId}, {@link
 * io.obops.core.RequestId}) read by one strict codec ({@link io.obops.core.Ids}), checked free text
 * ({@link io.obops.core.Texts}: one length limit, no control characters), pages ({@link
 * io.obops.core.PageRequest}), and typed refusals ({@link io.obops.core.Refusal}, a sealed set of
 * records with typed parameters, thrown as {@link io.obops.core.Refused}). Surfaces word refusals
 * themselves: {@code api} as OCP's error envelope, {@code chat} as a sentence naming the next chat
 * command.
 *
 * <p>Plain Java; depends only on {@code access} (principals, permissions, cluster references).
 */
package io.obops.core;
