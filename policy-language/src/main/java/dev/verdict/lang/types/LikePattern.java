package dev.verdict.lang.types;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code like} pattern of the language: {@code *} is any run of characters, {@code \*} a star.
 * Matching places each literal run greedily left to right, which is exact for star-only globs
 * and never backtracks. Decisions and the query planner's in-memory filter match with it, so a
 * plan's {@code like} means what the rule's does. Immutable.
 */
public final class LikePattern {
  /** The literal runs between unescaped stars; one run means no star at all. */
  private final String[] parts;

  private LikePattern(String[] parts) {
    this.parts = parts;
  }

  public static LikePattern of(String pattern) {
    List<String> ps = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
        cur.append('*');
        i++;
      } else if (c == '*') {
        ps.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(c);
      }
    }
    ps.add(cur.toString());
    return new LikePattern(ps.toArray(new String[0]));
  }

  /** The pattern written canonically: literal stars escaped, runs joined by {@code *}. */
  public String text() {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        b.append('*');
      }
      b.append(parts[i].replace("*", "\\*"));
    }
    return b.toString();
  }

  public boolean matches(String s) {
    if (parts.length == 1) {
      return s.equals(parts[0]);
    }
    if (!s.startsWith(parts[0])) {
      return false;
    }
    int pos = parts[0].length();
    String last = parts[parts.length - 1];
    int end = s.length() - last.length();
    if (end < pos || !s.endsWith(last)) {
      return false;
    }
    for (int i = 1; i < parts.length - 1; i++) {
      int at = s.indexOf(parts[i], pos);
      if (at < 0 || at + parts[i].length() > end) {
        return false;
      }
      pos = at + parts[i].length();
    }
    return true;
  }
}
