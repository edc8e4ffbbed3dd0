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
 * <p>The parts, one job each ({@code ChatConfiguration} assembles them): {@link
 * io.obops.chat.ChatService} routes; {@code ChatCommands} turns each command into an
 * operations-layer call (a cluster is named by id or name, free text after it is the reason, a near
 * miss gets "did you mean"); {@code ChatButtons} does the same for clicks, whose ids are one typed
 * value with one codec for every adapter ({@link io.obops.chat.ComponentId}; Approve carries the
 * shown pre-flight plan's hash, {@code obops:approve:<request>:<hash>}, so an approval is bound to
 * what the card showed); {@code ChatRefusals} words the core's typed refusals as a sentence that
 * names the chat command or button to use next, with times as "… (in 14 min)", never a REST path or
 * a permission id; {@code ApprovalCards} posts the approval card and its thread (and after a
 * Refresh of its pre-flight plan shows it: {@code PlanRendering} renders the plan, anomalies first,
 * within Discord's limits whatever the cluster's size, and the full plan as a file in the thread
 * when the card cannot list every server); {@code CardEditor} edits the card in place as its
 * request and task move (PENDING → RUNNING k/n → one line once finished); {@code ApprovalReminders}
 * reminds a thread once half a pending request's time to live passed; {@link
 * io.obops.chat.ProgressReporter} reports a task's progress. {@code Rendering} (with {@code
 * TaskProgress} and {@link io.obops.chat.TaskGraphImage}) is pure: messages and pictures are
 * functions of one snapshot of a request and its task, fitted to the platform's length limit. No
 * access check or audit lives here: the operations layer does both (it also says who may approve).
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
