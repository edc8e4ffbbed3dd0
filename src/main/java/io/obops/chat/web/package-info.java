/**
 * The web console: a local chat page (static HTML, CSS and JavaScript under {@code static/}) that
 * talks to the same conversation as Discord through the {@link io.obops.chat.ChatPlatform} seam.
 * {@link io.obops.chat.web.WebChatPlatform} stores its messages in {@code web_chat_message} and
 * pushes posts and edits to the page as Server-Sent Events; the controller turns typed commands and
 * button clicks into {@link io.obops.chat.ChatGateway} calls.
 *
 * <p>Its own security filter chain ({@link io.obops.chat.web.WebConsoleConfiguration}): first
 * {@link io.obops.chat.web.ConsoleRequestGuard} refuses a {@code Host} that is not a loopback name
 * or an allowed host (DNS rebinding) and a state-changing call from another origin; then HTTP Basic
 * logins whenever {@code obops.console.users} are configured, else the identity picker when it is
 * on (the embedded default), else the console is off.
 *
 * <p>Reads are scoped per message: {@link io.obops.chat.web.MessageScopes} finds the cluster of a
 * card or thread message at read time ({@code chat_conversation} → {@code approval_request}), and
 * {@link io.obops.chat.web.ClusterVisibility} says whether the reader may view it (backed by {@link
 * io.obops.access.AccessControl}; a {@code @Primary} bean elsewhere replaces it). A message whose
 * cluster is unknown is shown to nobody; the live stream holds such a message back until its card's
 * conversation is written ({@link io.obops.chat.web.ConsoleSubscription}). The {@link
 * io.obops.chat.ChatPlatform} interface is unchanged by this.
 */
package io.obops.chat.web;
