package io.obops.api;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import java.util.List;

/** OCP's paginated data: {@code {contents: [...], page: {...}}}, page numbers from 1. */
@JsonPropertyOrder(alphabetic = true)
public record Page<T>(List<T> contents, Info page) {

  @JsonPropertyOrder(alphabetic = true)
  public record Info(long totalElements, int totalPages, int number, int size) {}

  /** A single page holding everything. */
  public static <T> Page<T> of(List<T> all) {
    return new Page<>(all, new Info(all.size(), 1, 1, all.size()));
  }
}
