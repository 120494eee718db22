package dev.verdict.lang.source;

/**
 * A range of a source file: 1-based line and column (counted in code points) of the first
 * character, and of the character just past the last one, plus code point offsets.
 *
 * <p>Spans never take part in equality: two AST nodes that differ only in where they were
 * written are the same node. {@link #equals} is therefore always true between spans and
 * {@link #hashCode} constant, which lets every AST record ignore its span without a
 * hand-written {@code equals}. Compare positions with {@link #sameRange} or the accessors.
 */
public record Span(String file, int line, int column, int endLine, int endColumn, int start, int end)
    implements Comparable<Span> {

  public static final Span NONE = new Span("", 0, 0, 0, 0, 0, 0);

  public Span {
    if (file == null) {
      throw new NullPointerException("file is null");
    }
  }

  /** A span covering a whole file or a place with no better position. */
  public static Span ofFile(String file) {
    return new Span(file, 0, 0, 0, 0, 0, 0);
  }

  /** A span at one line and column, one character wide. */
  public static Span at(String file, int line, int column) {
    return new Span(file, line, column, line, column + 1, 0, 0);
  }

  /** The smallest span covering this one and {@code other}. */
  public Span to(Span other) {
    if (other == null || other.line == 0) {
      return this;
    }
    if (line == 0) {
      return other;
    }
    return new Span(file, line, column, other.endLine, other.endColumn, start, other.end);
  }

  public boolean hasPosition() {
    return line > 0;
  }

  public boolean sameRange(Span o) {
    return file.equals(o.file) && line == o.line && column == o.column
        && endLine == o.endLine && endColumn == o.endColumn;
  }

  /** {@code file:line:col}, or just the file when there is no position. */
  public String location() {
    return line > 0 ? file + ":" + line + ":" + column : file;
  }

  @Override
  public int compareTo(Span o) {
    int c = file.compareTo(o.file);
    if (c != 0) {
      return c;
    }
    c = Integer.compare(line, o.line);
    return c != 0 ? c : Integer.compare(column, o.column);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Span;
  }

  @Override
  public int hashCode() {
    return 0;
  }

  @Override
  public String toString() {
    return location();
  }
}
