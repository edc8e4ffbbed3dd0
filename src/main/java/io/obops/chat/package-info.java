/**
 * The platform-neutral chat conversation: what {@code /obcluster} does in any chat.
 *
 * <p>Two seams. Inbound, {@link io.obops.chat.ChatGateway}: an adapter hands the core a command or
 * a button click from an authenticated {@link io.obops.chat.ChatUser} and gets a {@link
 * io.obops.chat.ChatReply} back (refusals are ephemeral and say what to do). Outbound, {@link
 * io.obops.chat.ChatPlatform}: the core posts and edits messages, opens threads and posts files
 * through it. An adapter registers its platform with {@link io.obops.chat.ChatCore#connect} and
 * receives the gateway bound to it.
 *
 * <p>The core stores every reference a platform gave it (the approval card, its thread, the
 * progress board) in the {@code chat_conversation} table, keyed by the approval request, so buttons
 * and progress survive a restart. Approval decisions go through {@link
 * io.obops.approval.ApprovalService}, which re-checks every click; progress comes from the task
 * engine's events, coalesced by the progress reporter.
 *
 * <p>Adapters: {@code chat.discord} (the only package importing JDA) and {@code chat.web} (the
 * local web console).
 */
package io.obops.chat;
