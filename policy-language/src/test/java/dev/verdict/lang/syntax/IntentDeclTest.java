package dev.verdict.lang.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.CheckResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.format.Formatter;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceSet;
import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code intent "x"} declares an intent only services send, so limits may name it (issue 9.6). */
class IntentDeclTest {
  private static final String TEXT = """
      policy reports on Report {
        permit read, export
      }

      route GET "/reports/{id}" -> Report[id].read

      // Only the batch service asks, with `context.intent`.
      intent "reports.export"

      limit exports on intent "reports.export" by principal.id {
        5 per 1h
      }
      """;

  @Test
  void anIntentOnALineOfItsOwnIsADeclarationNotTheRoutesIntent() {
    ParseResult r = Parser.parse(new Source("r.verdict", TEXT));
    assertThat(r.diagnostics()).isEmpty();
    List<Decl> decls = r.file().decls();
    assertThat(decls.get(1)).isInstanceOfSatisfying(Decl.RouteDecl.class, route -> assertThat(route.intent()).isEmpty());
    assertThat(decls.get(2)).isInstanceOfSatisfying(Decl.IntentDecl.class,
        i -> assertThat(i.intent().value()).isEqualTo("reports.export"));
  }

  @Test
  void aDeclaredIntentChecksAndIsFormattedAsWritten() {
    CheckResult c = Verdict.check(new SourceSet(List.of(new Source("r.verdict", TEXT)), List.of(), List.of()));
    assertThat(c.diagnostics()).isEmpty();
    assertThat(Formatter.format(Parser.parse(new Source("r.verdict", TEXT)).file())).isEqualTo(TEXT);
  }

  @Test
  void aRoutesIntentStaysOnItsLine() {
    ParseResult r = Parser.parse(new Source("r.verdict",
        "route POST \"/a/{id}/x\" -> A[id].x intent \"a.x\"\nintent \"b.y\"\n"));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.file().decls()).hasSize(2);
    assertThat(((Decl.RouteDecl) r.file().decls().get(0)).intent()).hasValueSatisfying(
        s -> assertThat(s.value()).isEqualTo("a.x"));
  }
}
