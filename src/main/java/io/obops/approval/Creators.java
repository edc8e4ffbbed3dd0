package io.obops.approval;

import io.obops.task.Creator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * A task's {@code creator{id,name}} for a principal. The id is derived from the principal (the
 * first 53 bits of its SHA-256, so it is the same on every replica and after every restart, and is
 * exact in JavaScript); the name is the principal.
 */
final class Creators {

  private Creators() {}

  public static Creator of(String principal) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(principal.getBytes(StandardCharsets.UTF_8));
      long id = ByteBuffer.wrap(digest).getLong() & ((1L << 53) - 1);
      return new Creator(id == 0 ? 1 : id, principal);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
