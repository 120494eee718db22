package dev.verdict.lang.types;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Times written as RFC 3339 strings, e.g. {@code 2024-05-01T09:30:00Z} or {@code …+02:00}. */
public final class Times {
  private Times() {}

  /** The instant written {@code text}; an offset (or {@code Z}) is required, as RFC 3339 says. */
  public static Optional<Instant> parse(String text) {
    if (text == null || text.length() > 64) {
      return Optional.empty();
    }
    try {
      return Optional.of(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
