package io.obops.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import io.obops.core.PageRequest;
import java.util.List;

/** OCP's paginated data: {@code {contents: [...], page: {...}}}, page numbers from 1. */
@JsonPropertyOrder(alphabetic = true)
record Page<T>(List<T> contents, Info page) {

  @JsonPropertyOrder(alphabetic = true)
  public record Info(long totalElements, int totalPages, int number, int size) {}

  /** The requested page of everything. */
  public static <T> Page<T> of(List<T> all, PageRequest p) {
    int from = (int) Math.min(p.offset(), all.size());
    return new Page<>(
        all.subList(from, Math.min(from + p.size(), all.size())),
        new Info(all.size(), p.pages(all.size()), p.page(), p.size()));
  }

  /** One page of {@code total} elements. */
  public static <T> Page<T> of(List<T> contents, long total, PageRequest p) {
    return new Page<>(contents, new Info(total, p.pages(total), p.page(), p.size()));
  }
}
