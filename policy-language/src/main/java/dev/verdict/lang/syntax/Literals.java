package dev.verdict.lang.syntax;

import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.List;

/** Checking and decoding of string, number and duration tokens. */
public final class Literals {
  /** Digits a number literal may have; policies compare amounts, not astronomy. */
  public static final int MAX_NUMBER_DIGITS = 38;

  private Literals() {}

  static void checkString(String token, Span span, List<Diagnostic> diags, List<Span> lexicalErrors) {
    boolean closed = token.length() >= 2 && token.endsWith("\"") && !endsWithEscapedQuote(token);
    if (!closed) {
      diags.add(Diagnostic.of(Code.UNTERMINATED_STRING, span, "string is never closed",
          "add `\"` before the end of the line"));
      lexicalErrors.add(span);
      return;
    }
    String body = token.substring(1, token.length() - 1);
    for (int i = 0; i < body.length(); i++) {
      if (body.charAt(i) != '\\') {
        continue;
      }
      char next = i + 1 < body.length() ? body.charAt(i + 1) : ' ';
      int len = escapeLength(body, i);
      if (len < 0) {
        int col = span.column() + 1 + body.codePointCount(0, i);
        Span at = new Span(span.file(), span.line(), col, span.line(), col + 2, span.start(), span.start());
        diags.add(Diagnostic.of(Code.BAD_ESCAPE, at, "invalid escape `\\" + next + "` in string",
            "valid escapes are `\\\"`, `\\\\`, `\\n`, `\\t`, `\\r`, `\\*` and `\\u{1F600}`"));
        lexicalErrors.add(at);
        return;
      }
      i += len - 1;
    }
  }

  private static boolean endsWithEscapedQuote(String token) {
    int backslashes = 0;
    for (int i = token.length() - 2; i >= 1 && token.charAt(i) == '\\'; i--) {
      backslashes++;
    }
    return backslashes % 2 == 1;
  }

  /** Length of the escape starting at {@code i}, or -1 when it is not valid. */
  private static int escapeLength(String s, int i) {
    if (i + 1 >= s.length()) {
      return -1;
    }
    char c = s.charAt(i + 1);
    switch (c) {
      case '"', '\\', 'n', 't', 'r', '*', '0':
        return 2;
      case 'u': {
        if (i + 2 >= s.length() || s.charAt(i + 2) != '{') {
          return -1;
        }
        int close = s.indexOf('}', i + 3);
        if (close < 0 || close - (i + 3) < 1 || close - (i + 3) > 6) {
          return -1;
        }
        try {
          int cp = Integer.parseInt(s.substring(i + 3, close), 16);
          if (!Character.isValidCodePoint(cp) || (cp >= 0xD800 && cp <= 0xDFFF)) {
            return -1;
          }
        } catch (NumberFormatException e) {
          return -1;
        }
        return close - i + 1;
      }
      default:
        return -1;
    }
  }

  /**
   * The value of a checked string token, without quotes and escapes. {@code \*} stays
   * {@code \*} so that {@code like} patterns can tell a literal star from a wildcard.
   */
  public static String unquote(String token) {
    String body = token.length() >= 2 ? token.substring(1, token.endsWith("\"") ? token.length() - 1 : token.length()) : "";
    StringBuilder out = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c != '\\' || i + 1 >= body.length()) {
        out.append(c);
        continue;
      }
      char n = body.charAt(++i);
      switch (n) {
        case 'n' -> out.append('\n');
        case 't' -> out.append('\t');
        case 'r' -> out.append('\r');
        case '0' -> out.append('\0');
        case '*' -> out.append("\\*");
        case 'u' -> {
          int close = body.indexOf('}', i);
          try {
            out.appendCodePoint(Integer.parseInt(body.substring(i + 2, close), 16));
          } catch (RuntimeException e) {
            out.append('\uFFFD');
          }
          i = close < 0 ? body.length() : close;
        }
        default -> out.append(n);
      }
    }
    return out.toString();
  }

  /** Whether {@code name} can be written without quotes where a name stands. */
  public static boolean isWord(String name) {
    if (name.isEmpty() || Character.isDigit(name.charAt(0))) {
      return false;
    }
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_')) {
        return false;
      }
    }
    return true;
  }

  private static final java.util.Set<String> HARD_KEYWORDS = java.util.Set.of("permit", "forbid", "when", "unless",
      "if", "then", "else", "and", "or", "not", "in", "is", "has", "like", "true", "false", "principal", "resource",
      "context", "action");

  /** An action name as written: bare when it is a word and no hard keyword, else quoted. */
  public static String actionName(String name) {
    return isWord(name) && !HARD_KEYWORDS.contains(name) ? name : quote(name);
  }

  /** An attribute name as written: bare when it is a word, else quoted ({@code "Role-A"}). */
  public static String attrName(String name) {
    return isWord(name) ? name : quote(name);
  }

  /** A string value written back as a literal, quotes and escapes included. */
  public static String quote(String value) {
    StringBuilder b = new StringBuilder(value.length() + 2).append('"');
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      switch (c) {
        case '"' -> b.append("\\\"");
        case '\\' -> {
          if (i + 1 < value.length() && value.charAt(i + 1) == '*') {
            b.append("\\*");
            i++;
          } else {
            b.append("\\\\");
          }
        }
        case '\n' -> b.append("\\n");
        case '\t' -> b.append("\\t");
        case '\r' -> b.append("\\r");
        case '\0' -> b.append("\\0");
        default -> {
          if (c < 0x20 || c == 0x7f) {
            b.append("\\u{").append(Integer.toHexString(c)).append('}');
          } else {
            b.append(c);
          }
        }
      }
    }
    return b.append('"').toString();
  }

  static void checkNumber(String token, Span span, List<Diagnostic> diags) {
    long digits = token.chars().filter(Character::isDigit).count();
    if (digits > MAX_NUMBER_DIGITS) {
      diags.add(Diagnostic.of(Code.BAD_NUMBER, span, "number has more than " + MAX_NUMBER_DIGITS + " digits"));
    }
  }

  public static BigDecimal number(String token) {
    return new BigDecimal(token);
  }

  static void checkDuration(String token, Span span, List<Diagnostic> diags) {
    if (duration(token) == null) {
      diags.add(Diagnostic.of(Code.BAD_DURATION, span, "duration `" + token + "` is too long",
          "durations go up to 100000 days"));
    }
  }

  /**
   * The value of a duration such as {@code 1h30m}, {@code 500ms} or {@code -24h} (a sign
   * is allowed for the {@code duration("…")} function), or null if it is not one or is
   * longer than 100,000 days.
   */
  public static Duration duration(String text) {
    if (text == null || text.isEmpty() || text.length() > 64) {
      return null;
    }
    int i = 0;
    boolean negative = false;
    if (text.charAt(0) == '-' || text.charAt(0) == '+') {
      negative = text.charAt(0) == '-';
      i = 1;
    }
    if (i >= text.length()) {
      return null;
    }
    long millis = 0;
    while (i < text.length()) {
      int start = i;
      while (i < text.length() && Character.isDigit(text.charAt(i))) {
        i++;
      }
      if (i == start || i - start > 12) {
        return null;
      }
      long n = Long.parseLong(text.substring(start, i));
      long unit;
      if (text.startsWith("ms", i)) {
        unit = 1;
        i += 2;
      } else if (i < text.length() && text.charAt(i) == 's') {
        unit = 1000;
        i++;
      } else if (i < text.length() && text.charAt(i) == 'm') {
        unit = 60_000;
        i++;
      } else if (i < text.length() && text.charAt(i) == 'h') {
        unit = 3_600_000;
        i++;
      } else if (i < text.length() && text.charAt(i) == 'd') {
        unit = 86_400_000;
        i++;
      } else {
        return null;
      }
      millis += n * unit;
      if (millis > 100_000L * 86_400_000L) {
        return null;
      }
    }
    return Duration.ofMillis(negative ? -millis : millis);
  }
}
