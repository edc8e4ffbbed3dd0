package io.obops.chat;

import java.util.Objects;

/**
 * This replica's name in chat's shared tables: who claimed an outbox row, who holds a gateway
 * lease. Unique per running application (a restart is a new replica).
 */
public record ChatReplica(String name) {

  public ChatReplica {
    Objects.requireNonNull(name, "name");
  }
}
