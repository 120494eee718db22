package dev.verdict.lang.syntax;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.syntax.grammar.VerdictLexer;
import dev.verdict.lang.syntax.grammar.VerdictParser;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.antlr.v4.runtime.BailErrorStrategy;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.DefaultErrorStrategy;
import org.antlr.v4.runtime.ListTokenSource;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;
import org.antlr.v4.runtime.atn.PredictionMode;
import org.antlr.v4.runtime.misc.IntervalSet;
import org.antlr.v4.runtime.misc.ParseCancellationException;

/**
 * Turns the text of one policy file into declarations and diagnostics. Never throws on any
 * input: lexical problems, syntax errors and nesting too deep for the parser all become
 * diagnostics with a position.
 *
 * <p>Stages: lex everything; report bad characters, unterminated strings and comments;
 * refuse nesting deeper than {@link #MAX_NESTING} before the recursive parser sees it; parse
 * with SLL and fall back to LL only on failure; build the AST; bound the depth of built
 * expressions (long operator chains nest too).
 */
public final class Parser {
  /** Brackets, prefix operators and {@code if}s open at once. */
  public static final int MAX_NESTING = 64;
  /** Depth of a built expression tree, operator chains included. */
  public static final int MAX_EXPRESSION_DEPTH = 256;
  /**
   * Tokens in one file. Far above any real policy file (a 20-rule file has a few thousand);
   * it keeps parse time bounded near the file size limit, where ANTLR slows down.
   */
  public static final int MAX_TOKENS = 250_000;

  private Parser() {}

  public static ParseResult parse(Source source) {
    List<Diagnostic> diags = new ArrayList<>();
    VerdictLexer lexer = new VerdictLexer(CharStreams.fromString(source.text(), source.name()));
    lexer.removeErrorListeners();
    List<Token> all = new ArrayList<>();
    for (Token t = lexer.nextToken(); ; t = lexer.nextToken()) {
      all.add(t);
      if (t.getType() == Token.EOF) {
        break;
      }
      if (all.size() > MAX_TOKENS) {
        diags.add(Diagnostic.of(Code.FILE_TOO_LARGE, Tokens.span(source, t),
            "file has more than " + MAX_TOKENS + " tokens", "split it into several files"));
        return new ParseResult(new PolicyFile(source, List.of(), List.of()), diags);
      }
    }
    List<PolicyFile.Comment> comments = new ArrayList<>();
    List<Token> parserTokens = new ArrayList<>();
    List<Span> lexicalErrors = new ArrayList<>();
    boolean commentRunsToEnd = false;
    Token previousBad = null; // a run of bad characters such as `&&` is one mistake, reported once
    StringBuilder badRun = new StringBuilder();
    Span badRunSpan = null;
    int openQuoteLine = -1; // `'acme'` is one mistake too, not two
    for (Token t : all) {
      switch (t.getType()) {
        case VerdictLexer.LINE_COMMENT -> comments.add(new PolicyFile.Comment(t.getText(), Tokens.span(source, t)));
        case VerdictLexer.BLOCK_COMMENT -> {
          Span span = Tokens.span(source, t);
          String text = t.getText();
          if (text.length() < 4 || !text.endsWith("*/")) {
            Span start = Span.at(source.name(), span.line(), span.column()).to(
                source.span(span.line(), span.column(), span.line(), span.column() + 2, span.start(), span.start() + 2));
            diags.add(Diagnostic.of(Code.UNTERMINATED_COMMENT, start,
                "block comment is never closed", "close it with `*/`"));
            lexicalErrors.add(span);
            commentRunsToEnd = true;
          } else {
            comments.add(new PolicyFile.Comment(text, span));
          }
        }
        case VerdictLexer.BAD_CHAR -> {
          Span span = Tokens.span(source, t);
          lexicalErrors.add(span);
          if (previousBad != null && previousBad.getStopIndex() + 1 == t.getStartIndex()
              && previousBad.getLine() == t.getLine() && printable(previousBad.getText()) && printable(t.getText())
              && !previousBad.getText().equals("'") && !t.getText().equals("'") && badRunSpan != null) {
            diags.remove(diags.size() - 1);
            badRun.append(t.getText());
            badRunSpan = badRunSpan.to(span);
            diags.add(badCharacter(badRun.toString(), badRunSpan));
          } else if (t.getText().equals("'") && openQuoteLine == t.getLine()) {
            openQuoteLine = -1;
            badRunSpan = null;
          } else {
            diags.add(badCharacter(t.getText(), span));
            badRun.setLength(0);
            badRun.append(t.getText());
            badRunSpan = span;
            openQuoteLine = t.getText().equals("'") ? t.getLine() : openQuoteLine;
          }
        }
        case VerdictLexer.STRING -> {
          Literals.checkString(t.getText(), Tokens.span(source, t), diags, lexicalErrors);
          parserTokens.add(t);
        }
        case VerdictLexer.NUMBER -> {
          Literals.checkNumber(t.getText(), Tokens.span(source, t), diags);
          parserTokens.add(t);
        }
        case VerdictLexer.DURATION -> {
          Literals.checkDuration(t.getText(), Tokens.span(source, t), diags);
          parserTokens.add(t);
        }
        default -> {
          if (t.getChannel() == Token.DEFAULT_CHANNEL) {
            parserTokens.add(t);
          }
        }
      }
      previousBad = t.getType() == VerdictLexer.BAD_CHAR ? t : null;
    }

    // A comment that runs to the end of the file swallows the closing brackets after it; the
    // comment is the mistake, so the brackets it left open are not reported as well.
    Nesting nesting = Nesting.scan(source, parserTokens, !commentRunsToEnd);
    if (nesting.tooDeep() != null) {
      diags.add(Diagnostic.of(Code.TOO_DEEP, nesting.tooDeep(),
          "expression nested too deeply (more than " + MAX_NESTING + " levels)",
          "split the condition into smaller parts, e.g. with derived roles"));
      return new ParseResult(new PolicyFile(source, List.of(), comments), diags);
    }
    diags.addAll(nesting.unbalanced());

    SyntaxErrors errors = new SyntaxErrors(source, nesting.regionStarts(), lexicalErrors,
        !nesting.unbalanced().isEmpty() || commentRunsToEnd, nesting.unbalanced());
    VerdictParser.FileContext tree;
    try {
      tree = parseTree(parserTokens, source, errors);
    } catch (StackOverflowError e) {
      diags.add(Diagnostic.of(Code.TOO_DEEP, Span.at(source.name(), 1, 1),
          "file nested too deeply to parse", "split the condition into smaller parts"));
      return new ParseResult(new PolicyFile(source, List.of(), comments), diags);
    }
    diags.addAll(errors.diagnostics());
    if (errors.any() || diags.stream().anyMatch(Diagnostic::isError)) {
      return new ParseResult(new PolicyFile(source, List.of(), comments), diags);
    }

    List<Decl> decls;
    try {
      decls = new AstBuilder(source, diags).file(tree);
    } catch (StackOverflowError e) {
      diags.add(Diagnostic.of(Code.TOO_DEEP, Span.at(source.name(), 1, 1),
          "file nested too deeply to parse", "split the condition into smaller parts"));
      return new ParseResult(new PolicyFile(source, List.of(), comments), diags);
    }
    List<Decl> kept = new ArrayList<>();
    for (Decl d : decls) {
      Span deep = ExprDepth.firstTooDeep(d, MAX_EXPRESSION_DEPTH);
      if (deep != null) {
        diags.add(Diagnostic.of(Code.TOO_DEEP, deep,
            "expression nested too deeply (more than " + MAX_EXPRESSION_DEPTH + " levels)",
            "split the condition into smaller parts, e.g. with derived roles"));
      } else {
        kept.add(d);
      }
    }
    return new ParseResult(new PolicyFile(source, kept, comments), diags);
  }

  private static boolean printable(String text) {
    int cp = text.codePointAt(0);
    return !Character.isISOControl(cp) && !Character.isWhitespace(cp);
  }

  private static Diagnostic badCharacter(String text, Span span) {
    int cp = text.codePointAt(0);
    String shown = Character.isISOControl(cp) || Character.isWhitespace(cp)
        ? String.format("U+%04X", cp) : "`" + text + "`";
    String help = switch (text) {
      case "'" -> "strings are written in double quotes";
      case "&", "&&" -> "use `and`";
      case "|", "||" -> "use `or`";
      case "!" -> "use `not`, or `!=` to compare";
      case ";" -> "statements need no `;`";
      case "#" -> "comments start with `//`";
      default -> null;
    };
    String noun = text.codePointCount(0, text.length()) > 1 ? "unexpected characters " : "unexpected character ";
    return Diagnostic.of(Code.BAD_CHARACTER, span, noun + shown, help);
  }

  private static VerdictParser.FileContext parseTree(List<Token> tokens, Source source, SyntaxErrors errors) {
    ListTokenSource tokenSource = new ListTokenSource(tokens, source.name());
    CommonTokenStream stream = new CommonTokenStream(tokenSource);
    VerdictParser parser = new VerdictParser(stream);
    parser.removeErrorListeners();
    parser.getInterpreter().setPredictionMode(PredictionMode.SLL);
    parser.setErrorHandler(new BailErrorStrategy());
    try {
      return parser.file();
    } catch (ParseCancellationException e) {
      stream.seek(0);
      parser.reset();
      parser.getInterpreter().setPredictionMode(PredictionMode.LL);
      parser.setErrorHandler(new DefaultErrorStrategy());
      parser.addErrorListener(errors);
      return parser.file();
    }
  }

  /**
   * Collects syntax errors, keeping only the first in each region (a declaration, or a rule
   * in a policy) so one mistake does not cascade into a page of errors.
   */
  private static final class SyntaxErrors extends BaseErrorListener {
    private final Source source;
    private final List<Integer> regionStarts;
    private final List<Span> lexicalErrors;
    private final boolean unbalanced;
    private final List<Diagnostic> out = new ArrayList<>();
    private final java.util.Set<Integer> regionsWithErrors = new java.util.HashSet<>();
    /** Where a stray or mismatched closing bracket was reported; the parser's error there repeats it. */
    private final java.util.Set<Integer> bracketErrorsAt = new java.util.HashSet<>();

    SyntaxErrors(Source source, List<Integer> regionStarts, List<Span> lexicalErrors, boolean unbalanced,
        List<Diagnostic> bracketErrors) {
      this.source = source;
      this.regionStarts = regionStarts;
      this.lexicalErrors = lexicalErrors;
      this.unbalanced = unbalanced;
      for (Diagnostic d : bracketErrors) {
        bracketErrorsAt.add(d.span().start());
      }
      for (Span s : lexicalErrors) {
        regionsWithErrors.add(region(s.start()));
      }
    }

    private int region(int offset) {
      int r = -1;
      for (int start : regionStarts) {
        if (start <= offset) {
          r = start;
        } else {
          break;
        }
      }
      return r;
    }

    boolean any() {
      return !out.isEmpty() || !lexicalErrors.isEmpty() || unbalanced;
    }

    List<Diagnostic> diagnostics() {
      return out;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int col,
        String msg, RecognitionException e) {
      Token t = (Token) offendingSymbol;
      if (t.getType() == Token.EOF && unbalanced) {
        return; // the unclosed bracket was already reported where it opens
      }
      if (bracketErrorsAt.contains(t.getStartIndex())) {
        return;
      }
      int region = region(t.getStartIndex());
      if (!regionsWithErrors.add(region)) {
        return;
      }
      IntervalSet expected = e != null ? e.getExpectedTokens()
          : ((org.antlr.v4.runtime.Parser) recognizer).getExpectedTokens();
      String message = "expected " + Tokens.expected(expected) + ", found " + Tokens.found(t);
      String help = SyntaxHelp.forError(expected, t);
      if (help == null && recognizer instanceof org.antlr.v4.runtime.Parser p && t.getTokenIndex() >= 2) {
        help = SyntaxHelp.afterRuleWithoutActions(p.getInputStream().get(t.getTokenIndex() - 2),
            p.getInputStream().get(t.getTokenIndex() - 1));
      }
      out.add(Diagnostic.of(Code.SYNTAX, Tokens.span(source, t), message, help));
    }
  }

  /** The bracket and prefix-operator pre-pass: depth bound, unbalanced brackets, regions. */
  private record Nesting(Span tooDeep, List<Diagnostic> unbalanced, List<Integer> regionStarts) {
    static Nesting scan(Source source, List<Token> tokens, boolean reportUnclosed) {
      Deque<Token> open = new ArrayDeque<>();
      Deque<Integer> ifsPerLevel = new ArrayDeque<>();
      ifsPerLevel.push(0);
      List<Diagnostic> unbalanced = new ArrayList<>();
      List<Integer> regions = new ArrayList<>();
      int prefixRun = 0;
      int ifs = 0;
      for (Token t : tokens) {
        int type = t.getType();
        boolean declStart = open.isEmpty() && (type == VerdictLexer.ENTITY || type == VerdictLexer.ROLE
            || type == VerdictLexer.ACTIONS || type == VerdictLexer.POLICY || type == VerdictLexer.ROUTE
            || type == VerdictLexer.LIMIT || type == VerdictLexer.TEST || type == VerdictLexer.CONTEXT
            || type == VerdictLexer.AT);
        boolean memberStart = type == VerdictLexer.PERMIT || type == VerdictLexer.FORBID
            || (open.size() == 1 && type == VerdictLexer.FIELDS)
            || (open.size() == 1 && (type == VerdictLexer.EXPECT || type == VerdictLexer.REPEAT));
        if (declStart || memberStart) {
          regions.add(t.getStartIndex());
          ifs = 0;
          ifsPerLevel.clear();
          ifsPerLevel.push(0);
          for (int i = 0; i < open.size(); i++) {
            ifsPerLevel.push(0);
          }
        }
        switch (type) {
          case VerdictLexer.LPAREN, VerdictLexer.LBRACKET, VerdictLexer.LBRACE -> {
            open.push(t);
            ifsPerLevel.push(0);
          }
          case VerdictLexer.RPAREN, VerdictLexer.RBRACKET, VerdictLexer.RBRACE -> {
            if (open.isEmpty() || !matches(open.peek().getType(), type)) {
              if (open.isEmpty()) {
                unbalanced.add(Diagnostic.of(Code.SYNTAX, Tokens.span(source, t),
                    "`" + t.getText() + "` has no matching opening bracket", "remove it"));
              } else {
                unbalanced.add(Diagnostic.of(Code.SYNTAX, Tokens.span(source, t),
                    "`" + t.getText() + "` does not close `" + open.peek().getText() + "`",
                    "the `" + open.peek().getText() + "` at line " + open.peek().getLine()
                        + " needs `" + closer(open.peek().getType()) + "` first"));
              }
              return new Nesting(null, unbalanced, regions);
            }
            open.pop();
            ifs -= ifsPerLevel.pop();
          }
          case VerdictLexer.IF -> {
            ifs++;
            ifsPerLevel.push(ifsPerLevel.pop() + 1);
          }
          default -> { }
        }
        if (type == VerdictLexer.NOT || type == VerdictLexer.MINUS) {
          prefixRun++;
        } else if (type != VerdictLexer.LPAREN) {
          prefixRun = 0;
        }
        if (open.size() + prefixRun + ifs > MAX_NESTING) {
          return new Nesting(Tokens.span(source, t), List.of(), regions);
        }
      }
      if (!open.isEmpty() && reportUnclosed) {
        Token unclosed = open.peek();
        unbalanced.add(Diagnostic.of(Code.SYNTAX, Tokens.span(source, unclosed),
            "`" + unclosed.getText() + "` is never closed",
            "add `" + closer(unclosed.getType()) + "` where the block ends"));
      }
      return new Nesting(null, unbalanced, regions);
    }

    private static boolean matches(int open, int close) {
      return (open == VerdictLexer.LPAREN && close == VerdictLexer.RPAREN)
          || (open == VerdictLexer.LBRACKET && close == VerdictLexer.RBRACKET)
          || (open == VerdictLexer.LBRACE && close == VerdictLexer.RBRACE);
    }

    private static String closer(int open) {
      return open == VerdictLexer.LPAREN ? ")" : open == VerdictLexer.LBRACKET ? "]" : "}";
    }
  }
}
