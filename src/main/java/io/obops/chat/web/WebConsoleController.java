package io.obops.chat.web;

import io.obops.access.AccessConfig;
import io.obops.access.AccessControl;
import io.obops.chat.ChannelRef;
import io.obops.chat.ChatCommand;
import io.obops.chat.ChatGateway;
import io.obops.chat.ChatReply;
import io.obops.chat.ChatUser;
import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The console's endpoints under {@code /console/api}: the messages of a channel, commands and
 * clicks (answered with the gateway's reply; ephemeral ones are shown only to the sender), files,
 * and live updates as Server-Sent Events. Identity: in the embedded default the {@code
 * X-Obops-User} header picked on the page (one of the access file's {@code web:} principals);
 * otherwise the logged-in user.
 */
@RestController
@org.springframework.boot.autoconfigure.condition.ConditionalOnExpression(
    WebConsoleConfiguration.ACTIVE)
class WebConsoleController {

  static final String CHANNEL = "ops";
  static final String USER_HEADER = "X-Obops-User";

  private final WebChatPlatform platform;
  private final ChatGateway gateway;
  private final AccessControl access;
  private final boolean embedded;

  WebConsoleController(
      WebChatPlatform platform,
      @org.springframework.beans.factory.annotation.Qualifier("webChatGateway") ChatGateway gateway,
      AccessControl access,
      @org.springframework.beans.factory.annotation.Value("${obops.embedded:false}")
          boolean embedded) {
    this.platform = platform;
    this.gateway = gateway;
    this.access = access;
    this.embedded = embedded;
  }

  record Command(String text) {}

  record Click(String buttonId, String channel) {}

  record Identity(String name, String principal, List<String> roles) {}

  record Session(boolean embedded, String user, List<Identity> identities) {}

  @GetMapping("/console/api/session")
  Session session(HttpServletRequest request) {
    if (!embedded) {
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
  List<WebChatPlatform.WebMessage> messages(@PathVariable String channel) {
    return platform.channel(channel, 200);
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
    return gateway.onButton(user(request), new ChannelRef(channel), click.buttonId());
  }

  @GetMapping("/console/api/files/{id}")
  ResponseEntity<byte[]> file(@PathVariable long id) {
    var file =
        platform
            .file(id)
            .orElseThrow(() -> new ResponseStatusException(HttpStatus.NOT_FOUND, "no file " + id));
    boolean image = file.getKey().fileType().startsWith("image/");
    return ResponseEntity.ok()
        .contentType(MediaType.parseMediaType(file.getKey().fileType()))
        .header(
            HttpHeaders.CONTENT_DISPOSITION,
            (image ? "inline" : "attachment") + "; filename=\"" + file.getKey().fileName() + "\"")
        .body(file.getValue());
  }

  @GetMapping(path = "/console/api/events", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  SseEmitter events() throws IOException {
    SseEmitter emitter = new SseEmitter(0L);
    Consumer<WebChatPlatform.WebMessage> listener =
        m -> {
          try {
            emitter.send(SseEmitter.event().name("message").data(m, MediaType.APPLICATION_JSON));
          } catch (IOException | IllegalStateException e) {
            emitter.completeWithError(e);
          }
        };
    platform.addListener(listener);
    Runnable remove = () -> platform.removeListener(listener);
    emitter.onCompletion(remove);
    emitter.onTimeout(remove);
    emitter.onError(e -> remove.run());
    emitter.send(SseEmitter.event().name("hello").data(Map.of("channel", CHANNEL)));
    return emitter;
  }

  private ChatUser user(HttpServletRequest request) {
    String principal;
    if (embedded) {
      String name = request.getHeader(USER_HEADER);
      principal = "web:" + (name == null ? "" : name.strip());
      if (identities().stream().noneMatch(i -> i.principal().equals(principal))) {
        throw new ResponseStatusException(
            HttpStatus.BAD_REQUEST,
            "pick who you are (one of "
                + identities().stream().map(Identity::name).toList()
                + ") before sending");
      }
    } else {
      principal = loggedIn();
    }
    String name = principal.substring(4);
    return new ChatUser(principal, Set.of(), name, "@" + name);
  }

  private static String loggedIn() {
    Authentication auth = SecurityContextHolder.getContext().getAuthentication();
    if (auth == null || !auth.isAuthenticated()) {
      throw new ResponseStatusException(HttpStatus.UNAUTHORIZED, "log in to use the console");
    }
    return "web:" + auth.getName();
  }

  @org.springframework.web.bind.annotation.ExceptionHandler(ResponseStatusException.class)
  @ResponseStatus(HttpStatus.BAD_REQUEST)
  ResponseEntity<Map<String, String>> refused(ResponseStatusException e) {
    return ResponseEntity.status(e.getStatusCode()).body(Map.of("error", e.getReason()));
  }
}
