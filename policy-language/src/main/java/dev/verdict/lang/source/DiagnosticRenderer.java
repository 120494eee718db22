package dev.verdict.lang.source;

import java.util.Collection;
import java.util.Map;
import java.util.function.Function;

/**
 * Renders diagnostics as text for people: the header with the code, the location, the source
 * line and a caret underline with the help text beside it.
 *
 * <pre>
 * error[V0304]: unknown attribute `ownr` on `Account`
 *   --> banking/accounts.verdict:12:38
 *    |
 * 12 |   permit read to owner when resource.ownr == principal.id
 *    |                                      ^^^^ help: did you mean `owner`?
 * </pre>
 */
public final class DiagnosticRenderer {
  private static final int MAX_WIDTH = 120;
  private static final int CONTEXT_BEFORE = 40;
  private final Function<String, Source> sources;

  /** @param sources looks up the source of a file name, or returns null when unknown */
  public DiagnosticRenderer(Function<String, Source> sources) {
    this.sources = sources;
  }

  public static DiagnosticRenderer of(Map<String, Source> sources) {
    return new DiagnosticRenderer(sources::get);
  }

  public String render(Collection<Diagnostic> diagnostics) {
    StringBuilder out = new StringBuilder();
    for (Diagnostic d : diagnostics) {
      out.append(render(d)).append('\n');
    }
    return out.toString();
  }

  public String render(Diagnostic d) {
    StringBuilder out = new StringBuilder();
    out.append(d.severity().label()).append('[').append(d.code().id()).append("]: ").append(d.message()).append('\n');
    String gutter = " ".repeat(gutterWidth(d));
    out.append(gutter).append("--> ").append(d.span().location());
    d.jsonPath().ifPresent(p -> out.append(" (at ").append(p).append(')'));
    out.append('\n');
    boolean helpShown = snippet(out, gutter, d.span(), '^', d.help().map(h -> "help: " + h).orElse(null));
    if (!helpShown) {
      d.help().ifPresent(h -> out.append(gutter).append(" = help: ").append(h).append('\n'));
    }
    for (Diagnostic.Related r : d.related()) {
      out.append(gutter).append(" = note: ").append(r.note()).append(" at ").append(r.span().location()).append('\n');
      snippet(out, gutter, r.span(), '-', null);
    }
    return out.toString();
  }

  private int gutterWidth(Diagnostic d) {
    int max = d.span().line();
    for (Diagnostic.Related r : d.related()) {
      max = Math.max(max, r.span().line());
    }
    return Math.max(2, String.valueOf(max).length() + 1);
  }

  /** Appends the source line and underline; returns whether {@code label} was written. */
  private boolean snippet(StringBuilder out, String gutter, Span span, char mark, String label) {
    if (!span.hasPosition()) {
      return false;
    }
    Source src = sources.apply(span.file());
    if (src == null || span.line() > src.lineCount()) {
      return false;
    }
    int[] cps = src.line(span.line()).codePoints().toArray();
    int startCol = Math.max(1, span.column());
    int endCol = span.endLine() == span.line() ? span.endColumn() : cps.length + 1;
    if (endCol <= startCol) {
      endCol = startCol + 1;
    }
    // Long lines are shown as a window around the span so the caret stays on screen.
    int from = 0;
    int to = cps.length;
    String lead = "";
    String tail = "";
    if (cps.length > MAX_WIDTH) {
      from = Math.max(0, Math.min(startCol - 1 - CONTEXT_BEFORE, cps.length - MAX_WIDTH));
      to = Math.min(cps.length, from + MAX_WIDTH);
      lead = from > 0 ? "…" : "";
      tail = to < cps.length ? "…" : "";
      endCol = Math.min(endCol, to + 1);
    }
    int[] shown = java.util.Arrays.copyOfRange(cps, from, to);
    String lineNo = String.valueOf(span.line());
    String pad = " ".repeat(Math.max(0, gutter.length() - lineNo.length()));
    out.append(gutter).append(" |\n");
    out.append(pad).append(lineNo).append(" | ").append(lead).append(visible(shown)).append(tail).append('\n');
    StringBuilder under = new StringBuilder(lead.isEmpty() ? "" : " ");
    for (int col = from + 1; col < startCol; col++) {
      under.append(col - 1 < cps.length && cps[col - 1] == '\t' ? "    " : " ");
    }
    for (int col = startCol; col < endCol; col++) {
      under.append(col - 1 < cps.length && cps[col - 1] == '\t' ? String.valueOf(mark).repeat(4) : String.valueOf(mark));
    }
    out.append(gutter).append(" | ").append(under);
    if (label != null) {
      out.append(' ').append(label);
    }
    out.append('\n');
    return label != null;
  }

  /** The line with tabs expanded and control characters shown as U+FFFD, so carets line up. */
  private static String visible(int[] cps) {
    StringBuilder b = new StringBuilder();
    for (int cp : cps) {
      if (cp == '\t') {
        b.append("    ");
      } else if (Character.isISOControl(cp)) {
        b.append('\uFFFD');
      } else {
        b.appendCodePoint(cp);
      }
    }
    return b.toString();
  }
}
