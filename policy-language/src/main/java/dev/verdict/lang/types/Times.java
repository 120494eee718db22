package dev.verdict.lang.types;

import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.Year;
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
  /** What {@link #epochMillis} returns for a text that is not a time. */
  public static final long NOT_A_TIME = Long.MIN_VALUE;

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

  /**
   * The milliseconds since the epoch of the instant written {@code text} (as {@link #parse}
   * reads it, fractions below a millisecond dropped), or {@link #NOT_A_TIME}. Time comparisons
   * run this once per operand and decision, so the common shape
   * {@code yyyy-MM-ddTHH:mm:ss[.fraction](Z|±HH:mm)} is read without allocating; any other
   * text (lower-case separators, seconds left out, years past 9999, …) goes through
   * {@link #parse}, so both accept exactly the same texts.
   */
  public static long epochMillis(String text) {
    long fast = text == null ? NOT_A_TIME : common(text);
    if (fast != NOT_A_TIME) {
      return fast;
    }
    Optional<Instant> slow = parse(text);
    return slow.isPresent() ? slow.get().toEpochMilli() : NOT_A_TIME;
  }

  /** The common shape read directly; NOT_A_TIME when the text is not of that shape or not valid. */
  private static long common(String s) {
    int n = s.length();
    if (n < 20 || n > 35 || s.charAt(4) != '-' || s.charAt(7) != '-' || s.charAt(10) != 'T'
        || s.charAt(13) != ':' || s.charAt(16) != ':') {
      return NOT_A_TIME;
    }
    int year = digits(s, 0, 4);
    int month = digits(s, 5, 2);
    int day = digits(s, 8, 2);
    int hour = digits(s, 11, 2);
    int minute = digits(s, 14, 2);
    int second = digits(s, 17, 2);
    if (year < 0 || month < 1 || month > 12 || day < 1 || day > monthLength(year, month)
        || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0 || second > 59) {
      return NOT_A_TIME;
    }
    int i = 19;
    int millis = 0;
    if (s.charAt(i) == '.') {
      int start = ++i;
      while (i < n && i - start < 9 && isDigit(s.charAt(i))) {
        if (i - start < 3) {
          millis = millis * 10 + (s.charAt(i) - '0');
        }
        i++;
      }
      int count = i - start;
      if (count == 0) {
        return NOT_A_TIME;
      }
      for (int k = count; k < 3; k++) {
        millis *= 10;
      }
    }
    int offsetSeconds;
    if (i == n - 1 && s.charAt(i) == 'Z') {
      offsetSeconds = 0;
    } else if (i == n - 6 && (s.charAt(i) == '+' || s.charAt(i) == '-') && s.charAt(i + 3) == ':') {
      int oh = digits(s, i + 1, 2);
      int om = digits(s, i + 4, 2);
      if (oh < 0 || oh > 17 || om < 0 || om > 59) {
        return NOT_A_TIME;
      }
      offsetSeconds = (s.charAt(i) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
    } else {
      return NOT_A_TIME;
    }
    long seconds = epochDay(year, month, day) * 86_400L + hour * 3600L + minute * 60L + second - offsetSeconds;
    return seconds * 1000L + millis;
  }

  /** The days from 1970-01-01 to a proleptic Gregorian date (the civil-calendar formula). */
  private static long epochDay(int year, int month, int day) {
    long y = month <= 2 ? year - 1L : year;
    long era = Math.floorDiv(y, 400);
    long yearOfEra = y - era * 400;
    long dayOfYear = (153L * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
    long dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return era * 146_097 + dayOfEra - 719_468;
  }

  private static int monthLength(int year, int month) {
    return switch (month) {
      case 2 -> Year.isLeap(year) ? 29 : 28;
      case 4, 6, 9, 11 -> 30;
      default -> 31;
    };
  }

  /** The value of {@code count} decimal digits at {@code from}, or -1 when one is not a digit. */
  private static int digits(String s, int from, int count) {
    int v = 0;
    for (int i = from; i < from + count; i++) {
      char c = s.charAt(i);
      if (!isDigit(c)) {
        return -1;
      }
      v = v * 10 + (c - '0');
    }
    return v;
  }

  private static boolean isDigit(char c) {
    return c >= '0' && c <= '9';
  }
}
