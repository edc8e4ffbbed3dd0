package io.obops.chat;

/**
 * An autocomplete choice: {@code value} is what the option gets ("1"), {@code label} "1 — demo".
 */
public record Choice(String value, String label) {}
