package dev.verdict.lang.syntax;

import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.syntax.grammar.VerdictLexer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.misc.IntervalSet;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Token spans and the words used for tokens in syntax errors (never ANTLR's token names). */
final class Tokens {
  private Tokens() {}

  static final Set<Integer> SOFT_KEYWORDS = Set.of(
      VerdictLexer.ENTITY, VerdictLexer.ROLE, VerdictLexer.ACTIONS, VerdictLexer.POLICY,
      VerdictLexer.ROUTE, VerdictLexer.LIMIT, VerdictLexer.TEST, VerdictLexer.ON, VerdictLexer.TO,
      VerdictLexer.FIELDS, VerdictLexer.READ, VerdictLexer.WRITE, VerdictLexer.HIDE,
      VerdictLexer.REDACT, VerdictLexer.PARTIAL, VerdictLexer.HASH, VerdictLexer.DENY,
      VerdictLexer.INTENT, VerdictLexer.BY, VerdictLexer.PER, VerdictLexer.BURST,
      VerdictLexer.EXPECT, VerdictLexer.REPEAT, VerdictLexer.LAST, VerdictLexer.ALL,
      VerdictLexer.ALLOW, VerdictLexer.RATE_LIMITED, VerdictLexer.REQUEST, VerdictLexer.BECAUSE,
      VerdictLexer.WINDOW);

  /** Tokens that can start an expression; when most are expected we say "an expression". */
  static final Set<Integer> EXPRESSION_START = Set.of(
      VerdictLexer.STRING, VerdictLexer.NUMBER, VerdictLexer.TRUE, VerdictLexer.FALSE,
      VerdictLexer.PRINCIPAL, VerdictLexer.RESOURCE, VerdictLexer.CONTEXT, VerdictLexer.ACTION,
      VerdictLexer.LPAREN, VerdictLexer.LBRACKET, VerdictLexer.NOT, VerdictLexer.MINUS,
      VerdictLexer.IF, VerdictLexer.DURATION, VerdictLexer.QUESTION);

  /** Tokens that continue an expression after an operand; collapsed into "an operator". */
  static final Set<Integer> OPERATORS = Set.of(
      VerdictLexer.EQ, VerdictLexer.NE, VerdictLexer.LT, VerdictLexer.LE, VerdictLexer.GT,
      VerdictLexer.GE, VerdictLexer.AND, VerdictLexer.OR, VerdictLexer.PLUS, VerdictLexer.MINUS,
      VerdictLexer.IN, VerdictLexer.IS, VerdictLexer.HAS, VerdictLexer.LIKE, VerdictLexer.DOT,
      VerdictLexer.LBRACKET);

  static Span span(Source source, Token t) {
    if (t.getType() == Token.EOF) {
      int last = source.lineCount();
      int col = source.line(last).codePointCount(0, source.line(last).length()) + 1;
      return source.span(last, col, last, col + 1, t.getStartIndex(), t.getStartIndex());
    }
    int line = t.getLine();
    int col = t.getCharPositionInLine() + 1;
    int endLine = line;
    int endCol = col;
    String text = t.getText();
    for (int i = 0; i < text.length(); ) {
      int cp = text.codePointAt(i);
      i += Character.charCount(cp);
      if (cp == '\n') {
        endLine++;
        endCol = 1;
      } else if (cp == '\r') {
        if (i < text.length() && text.charAt(i) == '\n') {
          i++;
        }
        endLine++;
        endCol = 1;
      } else {
        endCol++;
      }
    }
    return source.span(line, col, endLine, endCol, t.getStartIndex(), t.getStopIndex() + 1);
  }

  static Span span(Source source, Token start, Token stop) {
    Span a = span(source, start);
    if (stop == null || stop.getTokenIndex() < start.getTokenIndex()) {
      return a;
    }
    return a.to(span(source, stop));
  }

  /** How a token is named when it was found where something else was expected. */
  static String found(Token t) {
    int type = t.getType();
    if (type == Token.EOF) {
      return "end of file";
    }
    String text = t.getText();
    return switch (type) {
      case VerdictLexer.IDENT -> "name `" + text + "`";
      case VerdictLexer.STRING -> "string " + shorten(text);
      case VerdictLexer.NUMBER -> "number `" + text + "`";
      case VerdictLexer.DURATION -> "duration `" + text + "`";
      default -> "`" + shorten(text) + "`";
    };
  }

  private static String shorten(String s) {
    return s.length() > 40 ? s.substring(0, 37) + "…" : s;
  }

  /** The words for a set of expected tokens, e.g. "`{`, `when` or `unless`". */
  static String expected(IntervalSet set) {
    List<Integer> types = set == null ? List.of() : set.toList();
    Set<String> words = new LinkedHashSet<>();
    long exprStarts = types.stream().filter(EXPRESSION_START::contains).count();
    boolean expression = exprStarts >= 6;
    long ops = types.stream().filter(OPERATORS::contains).count();
    boolean operator = ops >= 6;
    boolean name = types.contains(VerdictLexer.IDENT);
    if (expression) {
      words.add("an expression");
    }
    if (operator) {
      words.add("an operator");
    }
    if (name && !expression) {
      words.add("a name");
    }
    for (int type : types) {
      if (expression && (EXPRESSION_START.contains(type) || type == VerdictLexer.IDENT
          || type == VerdictLexer.LBRACE)) {
        continue;
      }
      if (operator && OPERATORS.contains(type)) {
        continue;
      }
      if (name && SOFT_KEYWORDS.contains(type)) {
        continue;
      }
      if (type == VerdictLexer.IDENT) {
        continue;
      }
      words.add(describe(type));
    }
    List<String> list = new ArrayList<>(words);
    if (list.isEmpty()) {
      return "something else";
    }
    if (list.size() > 7) {
      list = new ArrayList<>(list.subList(0, 6));
      list.add("…");
      return String.join(", ", list);
    }
    if (list.size() == 1) {
      return list.get(0);
    }
    return String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
  }

  static String describe(int type) {
    return switch (type) {
      case Token.EOF -> "end of file";
      case VerdictLexer.IDENT -> "a name";
      case VerdictLexer.STRING -> "a string";
      case VerdictLexer.NUMBER -> "a number";
      case VerdictLexer.DURATION -> "a duration such as `1m`";
      default -> {
        String lit = VerdictLexer.VOCABULARY.getLiteralName(type);
        yield lit == null ? VerdictLexer.VOCABULARY.getDisplayName(type).toLowerCase()
            : "`" + lit.substring(1, lit.length() - 1) + "`";
      }
    };
  }
}
