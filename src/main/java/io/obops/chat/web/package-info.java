/**
 * The web console: a local chat page (static HTML, CSS and JavaScript under {@code static/}) that
 * talks to the same conversation as Discord through the {@link io.obops.chat.ChatPlatform} seam.
 * {@link io.obops.chat.web.WebChatPlatform} stores its messages in {@code web_chat_message} and
 * pushes posts and edits to the page as Server-Sent Events; the controller turns typed commands and
 * button clicks into {@link io.obops.chat.ChatGateway} calls. Its own security filter chain: open
 * with an identity picker in the embedded default, HTTP Basic logins otherwise, off without them.
 */
package io.obops.chat.web;
