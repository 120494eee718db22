package dev.verdict.lang.source;

import java.util.ArrayList;
import java.util.List;

/**
 * The text of one policy or data file and the name it is reported under. Lines and columns
 * are 1-based and count code points, as ANTLR's code point streams do.
 */
public final class Source {
  private final String name;
  private final String text;
  private final List<String> lines;

  public Source(String name, String text) {
    if (name == null || text == null) {
      throw new NullPointerException("name and text must not be null");
    }
    this.name = name;
    this.text = text;
    this.lines = splitLines(text);
  }

  private static List<String> splitLines(String text) {
    List<String> out = new ArrayList<>();
    int from = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n' || c == '\r') {
        out.add(text.substring(from, i));
        if (c == '\r' && i + 1 < text.length() && text.charAt(i + 1) == '\n') {
          i++;
        }
        from = i + 1;
      }
    }
    out.add(text.substring(from));
    return List.copyOf(out);
  }

  public String name() {
    return name;
  }

  public String text() {
    return text;
  }

  public int lineCount() {
    return lines.size();
  }

  /** The text of 1-based line {@code n} without its line break, or "" past the end. */
  public String line(int n) {
    return n >= 1 && n <= lines.size() ? lines.get(n - 1) : "";
  }

  /** The span of the code points {@code [startCp, endCp)} given 1-based line/col positions. */
  public Span span(int line, int column, int endLine, int endColumn, int startCp, int endCp) {
    return new Span(name, line, column, endLine, endColumn, startCp, endCp);
  }

  @Override
  public String toString() {
    return name;
  }
}
