package dev.verdict.lang.format;

import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The formatter's output lines and the placement of comments and blank lines between them.
 *
 * <p>Lines are written in source order, each with the source range it came from. Before a
 * line is written, every comment that starts before the end of its range is written: one on
 * the source line where the previous output line ended, after it, stays at the end of that
 * line; any other goes on a line of its own at the indentation of what follows. Comments
 * inside a construct printed on one line (an expression, a rule) thus move just above it;
 * none is ever dropped or written twice.
 *
 * <p>Blank lines: a run of blank source lines before a comment or a line becomes one blank
 * line, except right after an opening brace, before a closing one, and inside a construct
 * (around comments moved out of it). The layout may also ask for one ({@link #wantBlank}).
 */
final class Output {
  /** Where a printed line came from: code point offsets and 1-based lines. */
  record Range(int start, int line, int end, int endLine) {
    static Range of(Span s) {
      return new Range(s.start(), s.line(), s.end(), s.endLine());
    }
  }

  private final Source source;
  private final List<PolicyFile.Comment> comments;
  private final List<String> lines = new ArrayList<>();
  private int next;
  private int lastEnd = -1;
  private int lastEndLine = -1;
  private boolean atBlockStart = true;
  private boolean wantBlank;

  Output(PolicyFile file) {
    this.source = file.source();
    this.comments = file.comments().stream()
        .sorted(Comparator.comparingInt((PolicyFile.Comment c) -> c.span().start())).toList();
  }

  /** Asks for a blank line before whatever is written next on a line of its own. */
  void wantBlank() {
    wantBlank = true;
  }

  /** Whether a comment starts in {@code [from, to)}; such a block cannot be printed inline. */
  boolean hasCommentsIn(int from, int to) {
    int lo = 0;
    int hi = comments.size();
    while (lo < hi) { // the first comment starting at or after `from`; comments are sorted
      int mid = (lo + hi) >>> 1;
      if (comments.get(mid).span().start() < from) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo < comments.size() && comments.get(lo).span().start() < to;
  }

  /**
   * Writes the lines of one construct: the first at {@code indent}, the others (continuation
   * lines) as given. {@code glue} keeps it right under the previous line (after annotations).
   */
  void node(String indent, List<String> texts, Range r, boolean glue) {
    flush(r.start(), indent, false);
    flush(r.end(), indent, true);
    boolean blank = !glue && !atBlockStart && !lines.isEmpty()
        && (wantBlank || blankBetween(lastEndLine, r.line()));
    if (blank) {
      lines.add("");
    }
    for (int i = 0; i < texts.size(); i++) {
      lines.add(i == 0 ? indent + texts.get(i) : texts.get(i));
    }
    atBlockStart = false;
    wantBlank = false;
    lastEnd = r.end();
    lastEndLine = r.endLine();
  }

  void node(String indent, String text, Range r, boolean glue) {
    node(indent, List.of(text), r, glue);
  }

  /** Writes the header line of a block, ending in {@code {}; what follows starts the block. */
  void open(String indent, String text, Range r, boolean glue) {
    node(indent, text + " {", r, glue);
    atBlockStart = true;
  }

  /** Writes comments left in a block at {@code innerIndent}, then its closing brace. */
  void close(String indent, String innerIndent, Span block) {
    int brace = block.end() - 1;
    flush(brace, innerIndent, false);
    lines.add(indent + "}");
    atBlockStart = false;
    wantBlank = false;
    lastEnd = block.end();
    lastEndLine = block.endLine();
  }

  /** Writes every comment not yet written, e.g. at the end of the file. */
  void finish() {
    flush(Integer.MAX_VALUE, "", false);
  }

  String text() {
    if (lines.isEmpty()) {
      return "";
    }
    return String.join("\n", lines) + "\n";
  }

  private void flush(int limit, String indent, boolean inner) {
    while (next < comments.size() && comments.get(next).span().start() < limit) {
      PolicyFile.Comment c = comments.get(next++);
      String text = normalize(c.text());
      Span s = c.span();
      if (!lines.isEmpty() && s.line() == lastEndLine && s.start() >= lastEnd && !lines.get(lines.size() - 1).isEmpty()) {
        int last = lines.size() - 1;
        lines.set(last, lines.get(last) + " " + text);
      } else {
        boolean blank = !atBlockStart && !lines.isEmpty()
            && (wantBlank || (!inner && blankBetween(lastEndLine, s.line())));
        if (blank) {
          lines.add("");
        }
        lines.add(indent + text);
        atBlockStart = false;
        wantBlank = false;
      }
      lastEnd = s.end();
      lastEndLine = s.endLine();
    }
  }

  /** Whether a source line strictly between {@code from} and {@code to} is blank. */
  private boolean blankBetween(int from, int to) {
    for (int n = from + 1; n < to; n++) {
      if (source.line(n).isBlank()) {
        return true;
      }
    }
    return false;
  }

  /** One line ending, no trailing white space on any line of a block comment. */
  private static String normalize(String comment) {
    String[] parts = comment.replace("\r\n", "\n").replace('\r', '\n').split("\n", -1);
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < parts.length; i++) {
      if (i > 0) {
        b.append('\n');
      }
      b.append(parts[i].stripTrailing());
    }
    return b.toString();
  }
}
