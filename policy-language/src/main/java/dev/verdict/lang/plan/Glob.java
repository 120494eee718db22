package dev.verdict.lang.plan;

import java.util.ArrayList;
import java.util.List;

/** The {@code like} patterns of the language: {@code *} is any run of characters, {@code \*} a star. */
final class Glob {
  private Glob() {}

  /** The literal runs between unescaped stars; one run means no star. */
  static List<String> parts(String pattern) {
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
    return ps;
  }

  static boolean matches(String pattern, String s) {
    List<String> parts = parts(pattern);
    if (parts.size() == 1) {
      return s.equals(parts.get(0));
    }
    if (!s.startsWith(parts.get(0))) {
      return false;
    }
    int pos = parts.get(0).length();
    String last = parts.get(parts.size() - 1);
    int end = s.length() - last.length();
    if (end < pos || !s.endsWith(last)) {
      return false;
    }
    for (int i = 1; i < parts.size() - 1; i++) {
      int at = s.indexOf(parts.get(i), pos);
      if (at < 0 || at + parts.get(i).length() > end) {
        return false;
      }
      pos = at + parts.get(i).length();
    }
    return true;
  }
}
