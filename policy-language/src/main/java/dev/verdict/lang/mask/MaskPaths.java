package dev.verdict.lang.mask;

import dev.verdict.lang.ast.FieldPath;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.List;

/** Parses field path text ({@code holder.ssn}, {@code items[].price}) with the language's rules. */
final class MaskPaths {

  /** Longest path text accepted; language paths are far shorter. */
  static final int MAX_LENGTH = 512;
  /** Most segments in a path. */
  static final int MAX_SEGMENTS = 32;

  private MaskPaths() {}

  /**
   * The path, or an {@link IllegalArgumentException} when the text is not dot-separated
   * identifiers, each optionally followed by {@code []}.
   */
  static FieldPath parse(String text) {
    if (text == null || text.isEmpty()) {
      throw new IllegalArgumentException("a field path is not empty");
    }
    if (text.length() > MAX_LENGTH) {
      throw new IllegalArgumentException("a field path is at most " + MAX_LENGTH + " characters");
    }
    List<FieldPath.Segment> segments = new ArrayList<>();
    int i = 0;
    int n = text.length();
    while (true) {
      int start = i;
      while (i < n && isNameChar(text.charAt(i), i == start)) {
        i++;
      }
      if (i == start) {
        throw new IllegalArgumentException("`" + shorten(text) + "` is not a field path");
      }
      String name = text.substring(start, i);
      boolean list = text.startsWith("[]", i);
      if (list) {
        i += 2;
      }
      segments.add(new FieldPath.Segment(name, list));
      if (segments.size() > MAX_SEGMENTS) {
        throw new IllegalArgumentException("a field path has at most " + MAX_SEGMENTS + " segments");
      }
      if (i == n) {
        return new FieldPath(segments, Span.NONE);
      }
      if (text.charAt(i) != '.') {
        throw new IllegalArgumentException("`" + shorten(text) + "` is not a field path");
      }
      i++;
    }
  }

  private static String shorten(String s) {
    return s.length() <= 40 ? s : s.substring(0, 40) + "…";
  }

  private static boolean isNameChar(char c, boolean first) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' || (!first && c >= '0' && c <= '9');
  }
}
