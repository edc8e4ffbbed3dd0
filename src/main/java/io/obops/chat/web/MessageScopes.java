package io.obops.chat.web;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Which cluster each console message is about, found at read time: a card is the message a {@code
 * chat_conversation} row names as its card, a thread is {@code thread:<card>}, and the
 * conversation's approval request names the cluster. A message that belongs to no conversation
 * (yet) has no cluster, and the console shows it to nobody.
 *
 * <p>A card's cluster never changes, so known answers are cached (at most {@link #CACHE_SIZE}).
 * Thread-safe.
 */
final class MessageScopes {

  static final int CACHE_SIZE = 10_000;
  private static final String THREAD = "thread:";

  private final JdbcClient jdbc;
  private final Map<String, Long> known =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Long> eldest) {
          return size() > CACHE_SIZE;
        }
      };

  MessageScopes(JdbcClient jdbc) {
    this.jdbc = jdbc;
  }

  /** The card a message is or hangs under: {@code w<id>} for a channel message, else its thread. */
  static String cardOf(WebChatPlatform.WebMessage m) {
    return m.channel().startsWith(THREAD) ? m.channel().substring(THREAD.length()) : "w" + m.id();
  }

  /** The cluster of one message, if it can be determined. */
  Optional<Long> cluster(WebChatPlatform.WebMessage m) {
    return Optional.ofNullable(clusters(List.of(m)).get(m.id()));
  }

  /** Message id → cluster id, for the messages whose cluster can be determined. */
  Map<Long, Long> clusters(Collection<WebChatPlatform.WebMessage> messages) {
    Map<String, Long> byCard = new HashMap<>();
    List<String> unknown = new ArrayList<>();
    synchronized (known) {
      for (WebChatPlatform.WebMessage m : messages) {
        String card = cardOf(m);
        Long cluster = known.get(card);
        if (cluster != null) {
          byCard.put(card, cluster);
        } else if (!unknown.contains(card)) {
          unknown.add(card);
        }
      }
    }
    if (!unknown.isEmpty()) {
      Map<String, Long> found = new HashMap<>();
      jdbc.sql(
              "select c.card_ref, r.cluster_id from chat_conversation c"
                  + " join approval_request r on r.id = c.request_id"
                  + " where c.surface = 'WEB' and c.card_ref in (:cards)")
          .param("cards", unknown)
          .query((rs, n) -> found.put(rs.getString(1), rs.getLong(2)))
          .list();
      synchronized (known) {
        known.putAll(found);
      }
      byCard.putAll(found);
    }
    Map<Long, Long> result = new HashMap<>();
    for (WebChatPlatform.WebMessage m : messages) {
      Long cluster = byCard.get(cardOf(m));
      if (cluster != null) {
        result.put(m.id(), cluster);
      }
    }
    return result;
  }
}
