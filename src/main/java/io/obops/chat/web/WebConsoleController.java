package io.obops.chat.web;

import io.obops.access.AccessConfig;
import io.obops.access.AccessControl;
import io.obops.access.Actor;
import io.obops.chat.ChannelRef;
import io.obops.chat.ChatCommand;
import io.obops.chat.ChatGateway;
import io.obops.chat.ChatReply;
import io.obops.chat.ChatUser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.context.request.async.AsyncRequestTimeoutException;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The console's endpoints under {@code /console/api}: the messages of a channel, commands and
 * clicks (answered with the gateway's reply; ephemeral ones go only to the sender and are never
 * stored), files, and live updates as Server-Sent Events.
 *
 * <p>Identity: with logins ({@code obops.console.users}), the logged-in user; with the identity
 * picker, the name picked on the page, sent as the {@code X-Obops-User} header or, where a browser
 * cannot send headers (the event stream, file links), the {@code user} query parameter. It must be
 * one of the access file's {@code web:} principals.
 *
 * <p>Reads show only what the reader may see: a message is shown when the cluster of its card or
 * thread (see {@link MessageScopes}) is one {@link ClusterVisibility} lets the reader view; a
 * message whose cluster cannot be determined is shown to nobody.
 */
@RestController
@ConditionalOnExpression(WebConsoleConfiguration.ACTIVE)
class WebConsoleController {

  static final String CHANNEL = "ops";
  static final String USER_HEADER = "X-Obops-User";
  static final String USER_PARAMETER = "user";
  private static final int PAGE = 200;

  private final WebChatPlatform platform;
  private final ChatGateway gateway;
  private final AccessControl access;
  private final boolean picker;
  private final MessageScopes scopes;
  private final ClusterVisibility visibility;
  private final ConsoleStreams streams;

  WebConsoleController(
      WebChatPlatform platform,
      @Qualifier("webChatGateway") ChatGateway gateway,
      AccessControl access,
      ConsoleProperties properties,
      MessageScopes scopes,
      ClusterVisibility visibility,
      ConsoleStreams streams) {
    this.platform = platform;
    this.gateway = gateway;
    this.access = access;
    this.picker = properties.picksIdentity();
    this.scopes = scopes;
    this.visibility = visibility;
    this.streams = streams;
  }

  record Command(String text) {}

  /** A click; {@code comment} is what the person typed with it (a Reject's reason). */
  record Click(String buttonId, String channel, String comment) {}

  record Identity(String name, String principal, List<String> roles) {}

  /**
   * What the page needs to start: with the picker, the people to pick from; with logins, who is
   * logged in.
   */
  record Session(boolean picker, String user, List<Identity> identities) {}

  @GetMapping("/console/api/session")
  Session session() {
    if (!picker) {
      return new Session(false, loggedIn().substring(4), List.of());
    }
    return new Session(true, null, identities());
  }

  private List<Identity> identities() {
    return access.config().bindings().stream()
        .map(AccessConfig.Binding::principal)
        .filter(p -> p.startsWith("web:"))
        .distinct()
        .map(
            p ->
                new Identity(
                    p.substring(4),
                    p,
                    access.config().bindings().stream()
                        .filter(b -> b.principal().equals(p))
                        .flatMap(b -> b.roles().stream())
                        .toList()))
        .toList();
  }

  @GetMapping("/console/api/channels/{channel}/messages")
  List<WebChatPlatform.WebMessage> messages(
      HttpServletRequest request, @PathVariable String channel) {
    Actor reader = actor(request);
    return visible(reader, platform.channel(channel, PAGE));
  }

  /** The messages the reader may see: those about a cluster they may view. */
  private List<WebChatPlatform.WebMessage> visible(
      Actor reader, List<WebChatPlatform.WebMessage> messages) {
    Map<Long, Long> clusters = scopes.clusters(messages);
    Map<Long, Boolean> allowed = new HashMap<>();
    return messages.stream()
        .filter(
            m -> {
              Long cluster = clusters.get(m.id());
              return cluster != null
                  && allowed.computeIfAbsent(cluster, c -> visibility.mayView(reader, c));
            })
        .toList();
  }

  @PostMapping("/console/api/command")
  ChatReply command(HttpServletRequest request, @RequestBody Command command) {
    ChatUser user = user(request);
    ChatCommand parsed;
    try {
      parsed = ChatCommand.parse(command.text());
    } catch (IllegalArgumentException e) {
      return ChatReply.ephemeral(e.getMessage());
    }
    return gateway.onCommand(user, new ChannelRef(CHANNEL), parsed);
  }

  @PostMapping("/console/api/button")
  ChatReply button(HttpServletRequest request, @RequestBody Click click) {
    String channel =
        click.channel() == null || click.channel().isBlank() ? CHANNEL : click.channel();
    return gateway.onButton(
        user(request), new ChannelRef(channel), click.buttonId(), click.comment());
  }

  @GetMapping("/console/api/files/{id}")
  ResponseEntity<byte[]> file(HttpServletRequest request, @PathVariable long id) {
    Actor reader = actor(request);
    var file =
        platform
            .file(id)
            .filter(f -> !visible(reader, List.of(f.getKey())).isEmpty())
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no file " + id));
    // inline: the browser shows the picture and the JSON in a tab rather than downloading them;
    // nosniff keeps it to the stored type (only image/png and application/json are stored).
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(file.getKey().fileType()))
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            ContentDisposition.inline()
                .filename(file.getKey().fileName(), java.nio.charset.StandardCharsets.UTF_8)
                .build()
                .toString())
        .header("X-Content-Type-Options", "nosniff")
        .body(file.getValue());
  }

  @GetMapping(path = "/console/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events(HttpServletRequest request) throws IOException {
    Actor reader = actor(request);
    SseEmitter emitter = new SseEmitter(0L);
    streams.add(emitter);
    ConsoleSubscription subscription = new ConsoleSubscription(reader, emitter, scopes, visibility);
    platform.addListener(subscription);
    Runnable remove = () -> platform.removeListener(subscription);
    subscription.onGone(remove);
    emitter.onCompletion(remove);
    emitter.onTimeout(remove);
    emitter.onError(e -> remove.run());
    emitter.send(SseEmitter.event().name("hello").data(Map.of("channel", CHANNEL)));
    return emitter;
  }

  private Actor actor(HttpServletRequest request) {
    return Actor.web(name(request));
  }

  private ChatUser user(HttpServletRequest request) {
    String name = name(request);
    return new ChatUser("web:" + name, Set.of(), name, "@" + name);
  }

  /** Who is asking: the picked identity or the logged-in user. */
  private String name(HttpServletRequest request) {
    if (!picker) {
      return loggedIn().substring(4);
    }
    String name = request.getHeader(USER_HEADER);
    if (name == null) {
      name = request.getParameter(USER_PARAMETER);
    }
    String principal = "web:" + (name == null ? "" : name.strip());
    if (identities().stream().noneMatch(i -> i.principal().equals(principal))) {
      throw new ResponseStatusException(
          HttpStatus.BAD_REQUEST,
          "pick who you are (one of "
              + identities().stream().map(Identity::name).toList()
              + ") before using the console");
    }
    return principal.substring(4);
  }

  private static String loggedIn() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated()) {
      throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "log in to use the console");
    }
    return "web:" + auth.getName();
  }

  /**
   * A stream that ended: the page went away (closed, reloaded, switched identity) or the server is
   * shutting down. Nothing to answer or log.
   */
  @ExceptionHandler({AsyncRequestNotUsableException.class, AsyncRequestTimeoutException.class})
  void pageGone() {
    // the stream's listener is already removed (see ConsoleSubscription)
  }

  @ExceptionHandler(ResponseStatusException.class)
  ResponseEntity<Map<String, String>> refused(ResponseStatusException e) {
    return ResponseEntity.status(e.getStatusCode()).body(Map.of("error", e.getReason()));
  }
}
