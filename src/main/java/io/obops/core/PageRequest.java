package io.obops.core;

/**
 * One page of a list, as OCP numbers them: {@code page} from 1, {@code size} 1 to {@link
 * #MAX_SIZE}. Parsed strictly (the id codec's spelling of numbers); anything else is refused.
 */
public record PageRequest(int page, int size) {

  public static final int MAX_SIZE = 2000; // what OCP documents for its lists
  public static final int MAX_PAGE = 1_000_000;
  public static final PageRequest FIRST = new PageRequest(1, 20);

  public PageRequest {
    if (page < 1 || page > MAX_PAGE || size < 1 || size > MAX_SIZE) {
      throw new IllegalArgumentException("page " + page + ", size " + size);
    }
  }

  /** The page asked for; null parameters take the defaults (page 1, size 20). */
  public static PageRequest parse(String page, String size) {
    return new PageRequest(
        number("page", page, FIRST.page(), MAX_PAGE), number("size", size, FIRST.size(), MAX_SIZE));
  }

  private static int number(String field, String raw, int fallback, int max) {
    if (raw == null) {
      return fallback;
    }
    if (!Ids.isId(raw) || Long.parseLong(raw) > max) {
      throw new Refused(new Refusal.OutOfRange(field, raw, 1, max));
    }
    return Integer.parseInt(raw);
  }

  /** Rows to skip. */
  public long offset() {
    return (long) (page - 1) * size;
  }

  /** Pages needed for {@code total} elements. */
  public int pages(long total) {
    return (int) ((total + size - 1) / size);
  }
}
