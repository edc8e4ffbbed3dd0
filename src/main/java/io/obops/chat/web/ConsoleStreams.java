package io.obops.chat.web;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.context.SmartLifecycle;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * The console's open event streams, ended first when obops shuts down: an open Server-Sent Events
 * request otherwise holds the web server's graceful shutdown until its timeout (30 s per browser
 * tab). The browser reconnects on its own to whichever obops answers next.
 */
final class ConsoleStreams implements SmartLifecycle {

  private final Set<SseEmitter> open = ConcurrentHashMap.newKeySet();
  private volatile boolean running;

  /** Remembers a stream until it ends (completed, timed out, broken). */
  void add(SseEmitter emitter) {
    open.add(emitter);
    emitter.onCompletion(() -> open.remove(emitter));
    emitter.onTimeout(() -> open.remove(emitter));
    emitter.onError(e -> open.remove(emitter));
  }

  int size() {
    return open.size();
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    for (SseEmitter e : open) {
      try {
        e.complete();
      } catch (RuntimeException ignored) {
        // already ended by the container
      }
    }
    open.clear();
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Stops before the web server's graceful shutdown (which runs in a lower phase). */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE;
  }
}
