package dev.verdict.lang.format;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.syntax.ParseResult;
import dev.verdict.lang.syntax.Parser;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Seeded property tests: printed ASTs parse back to themselves, and formatting is
 * idempotent and keeps every comment on generated files with comments and odd layout.
 */
class FormatterPropertyTest {
  private static final long SEED = 20_261_101L;
  private static final int CASES = 600;

  @Test
  void printedAstParsesBackToTheSameAst() {
    AstGen gen = new AstGen(SEED);
    for (int i = 0; i < CASES; i++) {
      List<Decl> decls = gen.file();
      String text = AstPrinter.print(decls);
      ParseResult parsed = Parser.parse(new Source("case" + i + ".verdict", text));
      assertThat(parsed.diagnostics()).as("case %d:\n%s", i, text).isEmpty();
      assertThat(parsed.file().decls()).as("case %d:\n%s", i, text).isEqualTo(decls);
    }
  }

  @Test
  void printedExpressionsParseBackWithMinimalParentheses() {
    AstGen gen = new AstGen(SEED + 1);
    for (int i = 0; i < CASES; i++) {
      var e = gen.expr(6);
      String text = "role r on * when " + AstPrinter.print(e) + "\n";
      ParseResult parsed = Parser.parse(new Source("e.verdict", text));
      assertThat(parsed.diagnostics()).as(text).isEmpty();
      assertThat(((Decl.RoleDecl) parsed.file().decls().get(0)).condition()).as(text).isEqualTo(e);
    }
  }

  @Test
  void formattingIsIdempotentAndKeepsEveryComment() {
    AstGen gen = new AstGen(SEED + 2);
    for (int i = 0; i < CASES; i++) {
      String text = scramble(AstPrinter.print(gen.file()), gen.random(), i);
      ParseResult first = Parser.parse(new Source("in.verdict", text));
      assertThat(first.diagnostics()).as("case %d:\n%s", i, text).isEmpty();

      String formatted = Formatter.format(first.file());
      ParseResult second = Parser.parse(new Source("out.verdict", formatted));
      assertThat(second.diagnostics()).as("case %d formatted:\n%s", i, formatted).isEmpty();
      assertThat(second.file().decls()).as("case %d: same declarations", i).isEqualTo(first.file().decls());
      assertThat(texts(second.file())).as("case %d: same comments\n%s", i, formatted)
          .containsExactlyInAnyOrderElementsOf(texts(first.file()));
      assertThat(Formatter.format(second.file())).as("case %d: idempotent\n%s", i, text).isEqualTo(formatted);
    }
  }

  private static List<String> texts(PolicyFile f) {
    return f.comments().stream().map(PolicyFile.Comment::text).toList();
  }

  /**
   * Re-lays out compact source: at random spaces between tokens, puts line breaks, blank
   * lines, odd indentation, and line and block comments (each with a unique text).
   */
  static String scramble(String text, Random random, int caseNo) {
    StringBuilder b = new StringBuilder();
    boolean inString = false;
    int comment = 0;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (inString) {
        b.append(c);
        if (c == '\\' && i + 1 < text.length()) {
          b.append(text.charAt(++i));
        } else if (c == '"') {
          inString = false;
        }
        continue;
      }
      if (c == '"') {
        inString = true;
        b.append(c);
        continue;
      }
      if (c != ' ' && c != '\n') {
        b.append(c);
        continue;
      }
      switch (random.nextInt(12)) {
        case 0 -> b.append("\n");
        case 1 -> b.append("\n\n\n   ");
        case 2 -> b.append(" // c").append(caseNo).append('_').append(comment++).append("\n");
        case 3 -> b.append(" /* b").append(caseNo).append('_').append(comment++).append(" */ ");
        case 4 -> b.append("\n/* m").append(caseNo).append('_').append(comment++).append("\n   line two */\n");
        case 5 -> b.append("\t ");
        default -> b.append(c);
      }
    }
    return b.toString();
  }

  @Test
  void scrambleKeepsTheTokens() {
    List<String> out = new ArrayList<>();
    String s = scramble("role a, b\nrole \"x y\"", new Random(1), 0);
    out.add(s);
    assertThat(s).contains("\"x y\"").contains("role").contains("a,");
  }
}
