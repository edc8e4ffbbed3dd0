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
 * created; if the platform refuses its card or thread anyway, the request is cancelled at once
 * rather than left PENDING, holding the cluster.
 *
 * <p>The parts, one job each ({@code ChatConfiguration} assembles them): {@link
 * io.obops.chat.ChatService} routes; {@code ChatCommands} turns each command into an
 * operations-layer call (a cluster is named by id or name, free text after it is the reason, a near
 * miss gets "did you mean"); {@code ChatButtons} does the same for clicks, whose ids are one typed
 * value with one codec for every adapter ({@link io.obops.chat.ComponentId}; Approve carries the
 * shown pre-flight plan's hash, {@code obops:approve:<request>:<hash>}, so an approval is bound to
 * what the card showed); {@code ChatRefusals} words the core's typed refusals as a sentence that
 * names the chat command or button to use next, with times as "… (in 14 min)", never a REST path or
 * a permission id; {@code ApprovalCards} records the approval card and its thread with the request,
 * the card's edit once its request closes, and its pre-flight plan once made or refreshed ({@code
 * PlanRendering} renders the plan, anomalies first, within Discord's limits whatever the cluster's
 * size, and the full plan as a file in the thread when the card cannot list every server); {@code
 * CardEditor} renders the card as its request and task stand at delivery (PENDING → RUNNING k/n →
 * one line once finished); {@code ApprovalReminders} reminds a thread once half a pending request's
 * time to live passed; {@link io.obops.chat.ProgressReporter} reads a task's stored progress
 * (version, typed milestones, subtask targets), whoever ran it. {@code Rendering} (with {@code
 * TaskProgress} and {@link io.obops.chat.TaskGraphImage}) is pure: messages and pictures are
 * functions of one snapshot of a request and its task, fitted to the platform's length limit. No
 * access check or audit lives here: the operations layer does both (it also says who may approve).
 *
 * <p>Nothing is posted directly: every outbound effect is a row of the outbox ({@code ChatOutbox}),
 * recorded in the transaction of the state change it reports (the request, the card's state, the
 * reporter's cursor), with a key that makes recording idempotent. {@code OutboxSender} delivers
 * rows through the platforms connected on this replica, each conversation on its own worker (a
 * bounded pool, {@code obops.chat.outbox-workers}): a conversation's rows go strictly in order, one
 * at a time (claims decide between replicas, an in-memory map between this replica's threads),
 * while conversations progress independently, so a thread waiting out Discord's per-channel rate
 * limit delays no other request's card, thread or board. Deliveries retry with backoff, carry an
 * idempotency key per create (the platform's nonce), and mark a row delivered only once the
 * platform confirmed it. A card that cannot be posted before its request would expire, or that the
 * platform refused for good, cancels the request (audited). Both run as routines ({@code
 * chat-reporter}, {@code chat-outbox}; the latter hands due conversations to the workers and
 * returns at once); a command or a click also delivers at once, and its answer waits for that
 * delivery at most 10 s; {@link io.obops.chat.ChatService#tick()} waits until everything due was
 * delivered (tests).
 *
 * <p>The core stores every reference a platform gave it (the approval card, its thread, the
 * progress board) in the {@code chat_conversation} table, keyed by the approval request, with the
 * reporter's cursor, so buttons and progress survive a restart and any replica can report.
 *
 * <p>Replicas: {@link io.obops.chat.GatewayLease} lets one replica at a time hold a platform's
 * gateway (Discord's); another takes over once the lease runs out. {@link
 * io.obops.chat.ChatReplica} names this replica in claims and leases.
 *
 * <p>Adapters: {@code chat.discord} (the only package importing JDA) and {@code chat.web} (the
 * local web console). The role mentioned on new approval cards is {@link
 * io.obops.chat.ChatProperties#approverRole()}, one setting for every platform ({@link
 * io.obops.chat.ApproverRoleAlias} reads the retired Discord one).
 */
package io.obops.chat;
