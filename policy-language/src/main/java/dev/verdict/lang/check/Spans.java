package dev.verdict.lang.check;

import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.Str;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;

/** Narrower spans than the AST keeps, so that carets point at the part that is wrong. */
final class Spans {
  private Spans() {}

  /** The first {@code width} characters of {@code span}, on its first line. */
  static Span head(Span span, int width) {
    if (!span.hasPosition()) {
      return span;
    }
    return new Span(span.file(), span.line(), span.column(), span.line(), span.column() + width,
        span.start(), span.start() + width);
  }

  /**
   * Code points {@code [from, to)} of a string literal's value. Only exact when the literal
   * has no escapes and sits on one line; otherwise the whole literal, which is still right.
   */
  static Span inside(Str s, int from, int to) {
    Span span = s.span();
    int length = s.value().codePointCount(0, s.value().length());
    if (!span.hasPosition() || span.line() != span.endLine() || span.endColumn() - span.column() != length + 2
        || from < 0 || to > length || from >= to) {
      return span;
    }
    return new Span(span.file(), span.line(), span.column() + 1 + from, span.line(), span.column() + 1 + to,
        span.start() + 1 + from, span.start() + 1 + to);
  }

  /**
   * The span of {@code word} when it is the next thing in {@code source} after {@code after},
   * past blanks and line breaks only; null when something else comes first.
   */
  static Span wordAfter(Source source, Span after, String word) {
    String text = source.text();
    if (!after.hasPosition() || after.end() > text.codePointCount(0, text.length())) {
      return null;
    }
    int i = text.offsetByCodePoints(0, after.end());
    int cp = after.end();
    int line = after.endLine();
    int col = after.endColumn();
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && (i + 1 >= text.length() || text.charAt(i + 1) != '\n'))) {
        line++;
        col = 1;
      } else if (c == ' ' || c == '\t' || c == '\f') {
        col++;
      } else if (c != '\r') {
        break;
      }
      i++;
      cp++;
    }
    if (!text.startsWith(word, i)) {
      return null;
    }
    return new Span(after.file(), line, col, line, col + word.length(), cp, cp + word.length());
  }

  /**
   * Where a rule is named in diagnostics about the whole rule: its `permit`/`forbid` word, or
   * its action list when annotations come first, rather than every line of its conditions.
   */
  static Span ruleHead(PolicyMember.Rule rule) {
    if (rule.annotations().isEmpty()) {
      return head(rule.span(), rule.effect().word().length());
    }
    if (!rule.actions().isEmpty()) {
      return rule.actions().get(0).span().to(rule.actions().get(rule.actions().size() - 1).span());
    }
    return rule.span();
  }
}
