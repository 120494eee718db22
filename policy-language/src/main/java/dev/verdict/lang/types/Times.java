package dev.verdict.lang.types;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Times written as text: RFC 3339 ({@code 2024-05-01T09:30:00Z}, {@code …+02:00}), the same
 * with an offset without a colon ({@code 2024-10-15T11:35:00-0500}, as ISO 8601 basic offsets
 * and many logs write it), or a date alone ({@code 2024-10-15}, midnight UTC). A Time is an
 * instant: the offset places it and is not kept, so {@code 12:00:00+02:00} and
 * {@code 10:00:00Z} are the same Time, and hours, minutes and days are read in UTC.
 */
public final class Times {
  private Times() {}

  private static final Pattern COMPACT_OFFSET = Pattern.compile(".*T.*[+-][0-9]{4}");
  private static final Pattern DATE = Pattern.compile("[0-9]{4}-[0-9]{2}-[0-9]{2}");

  /** The instant written {@code text}; a date and time needs an offset (or {@code Z}). */
  public static Optional<Instant> parse(String text) {
    if (text == null || text.length() > 64) {
      return Optional.empty();
    }
    try {
      if (DATE.matcher(text).matches()) {
        return Optional.of(LocalDate.parse(text).atStartOfDay(ZoneOffset.UTC).toInstant());
      }
      String rfc = COMPACT_OFFSET.matcher(text).matches()
          ? text.substring(0, text.length() - 2) + ":" + text.substring(text.length() - 2) : text;
      return Optional.of(OffsetDateTime.parse(rfc, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant());
    } catch (DateTimeParseException e) {
      return Optional.empty();
    }
  }
}
