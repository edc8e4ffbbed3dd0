package io.obops.chat.discord.emulator;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Discord's per-route rate limits as JDA's {@code SequentialRestRateLimiter} reads them: a bucket
 * per route template and major parameter, a fixed window per bucket, and 429s with an integer
 * {@code Retry-After}, {@code Via}, {@code X-RateLimit-Bucket} and {@code X-RateLimit-Scope}. Real
 * (monotonic) time, because JDA waits in real time.
 *
 * <p>Defaults like Discord's: 5 messages per 5 s per channel ({@code POST channels/{id}/messages}),
 * 50 per second on every other route, and a global 50 per second across routes (interaction routes
 * exempt), answered with {@code X-RateLimit-Global: true}.
 */
final class EmuRateLimits {

  /** What to answer: either go ahead (with headers) or 429 (with headers and a body). */
  record Decision(
      boolean limited, Map<String, String> headers, double retryAfterSeconds, boolean global) {}

  private record Forced(String method, Pattern path, int[] remaining, int retryAfterSeconds) {}

  private record RouteLimit(String method, Pattern path, int limit, long windowNanos) {}

  private static final class Window {
    long startNanos;
    int used;
  }

  private final Map<String, Window> windows = new HashMap<>();
  private final List<Forced> forced = new ArrayList<>();
  private final List<RouteLimit> routes = new ArrayList<>();
  private final Window global = new Window();
  private int limit;
  private long windowNanos;
  private int globalLimit = 50;
  private long globalWindowNanos = 1_000_000_000L;
  private int rateLimited;
  private int forcedRateLimited;
  private int globalRateLimited;

  EmuRateLimits() {
    configure(50, 1000);
    route("POST", "^channels/\\d+/messages$", 5, 5000);
  }

  /** The limit of every route without a route limit of its own. */
  synchronized void configure(int limit, long windowMillis) {
    this.limit = limit;
    this.windowNanos = windowMillis * 1_000_000L;
    windows.clear();
  }

  /** A limit for the routes matching {@code pathRegex} (first match wins; replaces the same). */
  synchronized void route(String method, String pathRegex, int limit, long windowMillis) {
    String m = method.toUpperCase(Locale.ROOT);
    routes.removeIf(r -> r.method().equals(m) && r.path().pattern().equals(pathRegex));
    routes.add(0, new RouteLimit(m, Pattern.compile(pathRegex), limit, windowMillis * 1_000_000L));
    windows.clear();
  }

  synchronized void global(int limit, long windowMillis) {
    this.globalLimit = limit;
    this.globalWindowNanos = windowMillis * 1_000_000L;
    global.used = 0;
  }

  synchronized int globalRateLimited() {
    return globalRateLimited;
  }

  synchronized void force(String method, String pathRegex, int count, int retryAfterSeconds) {
    forced.add(
        new Forced(
            method.toUpperCase(Locale.ROOT),
            Pattern.compile(pathRegex),
            new int[] {count},
            retryAfterSeconds));
  }

  synchronized int rateLimited() {
    return rateLimited;
  }

  synchronized int forcedRateLimited() {
    return forcedRateLimited;
  }

  /** Route template (ids replaced) and major parameter of a path below {@code /api/v10/}. */
  static String[] bucketOf(String method, String path) {
    String[] seg = path.split("/");
    String major = "";
    if (seg.length > 1
        && (seg[0].equals("channels") || seg[0].equals("guilds") || seg[0].equals("webhooks"))) {
      major = seg[1];
    }
    if (seg.length > 2 && seg[0].equals("webhooks")) {
      major = seg[1] + "/" + seg[2];
    }
    if (seg.length > 2 && seg[0].equals("interactions")) {
      major = seg[2];
    }
    StringBuilder template = new StringBuilder(method);
    for (String s : seg) {
      template.append('/');
      template.append(s.matches("\\d+") || s.length() > 40 ? "{id}" : s);
    }
    return new String[] {template.toString(), major};
  }

  synchronized Decision decide(String method, String path) {
    String[] b = bucketOf(method, path);
    String hash = Integer.toHexString(b[0].hashCode());
    String key = b[0] + "|" + b[1];
    long now = System.nanoTime();
    int limit = this.limit;
    long windowNanos = this.windowNanos;
    for (RouteLimit r : routes) {
      if (r.method().equals(method) && r.path().matcher(path).find()) {
        limit = r.limit();
        windowNanos = r.windowNanos();
        break;
      }
    }
    Window w = windows.computeIfAbsent(key, k -> new Window());
    if (w.used == 0 || now - w.startNanos >= windowNanos) {
      w.startNanos = now;
      w.used = 0;
    }
    double resetAfter = Math.max(0, (windowNanos - (now - w.startNanos)) / 1e9);
    Map<String, String> h = new HashMap<>();
    h.put("X-RateLimit-Bucket", hash);
    h.put("X-RateLimit-Limit", Integer.toString(limit));
    for (Iterator<Forced> it = forced.iterator(); it.hasNext(); ) {
      Forced f = it.next();
      if (f.method().equals(method) && f.path().matcher(path).find() && f.remaining()[0] > 0) {
        if (--f.remaining()[0] == 0) {
          it.remove();
        }
        rateLimited++;
        forcedRateLimited++;
        return limited(h, f.retryAfterSeconds());
      }
    }
    if (w.used >= limit) {
      rateLimited++;
      return limited(h, resetAfter);
    }
    boolean exempt = path.startsWith("interactions/") || path.startsWith("webhooks/");
    if (!exempt) {
      if (global.used == 0 || now - global.startNanos >= globalWindowNanos) {
        global.startNanos = now;
        global.used = 0;
      }
      if (global.used >= globalLimit) {
        rateLimited++;
        globalRateLimited++;
        double after = Math.max(0.001, (globalWindowNanos - (now - global.startNanos)) / 1e9);
        Decision d = limited(h, after);
        d.headers().put("X-RateLimit-Global", "true");
        d.headers().put("X-RateLimit-Scope", "global");
        return new Decision(true, d.headers(), after, true);
      }
      global.used++;
    }
    w.used++;
    h.put("X-RateLimit-Remaining", Integer.toString(limit - w.used));
    h.put("X-RateLimit-Reset-After", String.format(Locale.ROOT, "%.3f", resetAfter));
    h.put(
        "X-RateLimit-Reset",
        String.format(Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0 + resetAfter));
    return new Decision(false, h, 0, false);
  }

  private static Decision limited(Map<String, String> h, double retryAfter) {
    h.put("X-RateLimit-Remaining", "0");
    h.put("X-RateLimit-Reset-After", String.format(Locale.ROOT, "%.3f", retryAfter));
    h.put(
        "X-RateLimit-Reset",
        String.format(Locale.ROOT, "%.3f", System.currentTimeMillis() / 1000.0 + retryAfter));
    h.put("Retry-After", Long.toString((long) Math.ceil(Math.max(retryAfter, 0.001))));
    h.put("Via", "1.1 google");
    h.put("X-RateLimit-Scope", "user");
    return new Decision(true, h, retryAfter, false);
  }
}
