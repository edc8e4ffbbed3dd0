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
 * <p>Before a stop request is created, {@code ChatCommands} asks the platform what the bot lacks in
 * the channel ({@link io.obops.chat.ChatPlatform#missingPermissions}) and refuses with the core's
 * {@code BotLacksPermissions} if anything is missing, so a request nobody could follow is never
 * created; if posting its card or thread fails anyway, the request is cancelled at once rather than
 * left PENDING, holding the cluster.
 *
 * <p>The parts, one job each ({@code ChatConfiguration} assembles them): {@link
 * io.obops.chat.ChatService} routes; {@code ChatCommands} turns each command into an
 * operations-layer call (a cluster is named by id or name); {@code ChatButtons} does the same for
 * clicks; {@code ChatRefusals} words the core's typed refusals as a sentence that names the chat
 * command or button to use next, with times as "… (in 14 min)", never a REST path or a permission
 * id; {@code ApprovalCards} posts the approval card and its thread and re-renders the card once its
 * request closes (and after a Refresh of its pre-flight plan: {@code PlanRendering} renders the
 * plan, anomalies first, within Discord's limits whatever the cluster's size, and the full plan as
 * a file in the thread when the card cannot list every server; the Approve button's id carries the
 * shown plan's hash, {@code obops:approve:<request>:<hash>}, so an approval is bound to what the
 * card showed); {@link io.obops.chat.ProgressReporter} reports a task's progress. No access check
 * or audit lives here: the operations layer does both.
 *
 * <p>The core stores every reference a platform gave it (the approval card, its thread, the
 * progress board) in the {@code chat_conversation} table, keyed by the approval request, so buttons
 * and progress survive a restart.
 *
 * <p>Adapters: {@code chat.discord} (the only package importing JDA) and {@code chat.web} (the
 * local web console). The role mentioned on new approval cards is {@link
 * io.obops.chat.ChatProperties#approverRole()}, one setting for every platform ({@link
 * io.obops.chat.ApproverRoleAlias} reads the retired Discord one).
 */
package io.obops.chat;
