package dev.verdict.lang.syntax;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.ast.Condition;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Source;
import org.junit.jupiter.api.Test;

class ParserSmokeTest {
  @Test
  void parsesAPolicyWithRulesAndFields() {
    ParseResult r = Parser.parse(new Source("a.verdict", """
        policy accounts on Account {
          permit read to owner when resource.owner == principal.id
          fields read { balance: redact unless owner }
        }
        """));
    assertThat(r.diagnostics()).isEmpty();
    assertThat(r.file().decls()).singleElement().isInstanceOf(Decl.PolicyDecl.class);
  }

  /**
   * Issue 13 gap 8: `hide when X unless Y` was "expected `:` or `,`, found name `owner`"; now a
   * field rule takes several conditions, and a block names the actions it is for.
   */
  @Test
  void aFieldRuleCombinesWhenAndUnlessAndABlockNamesItsActions() {
    ParseResult r = Parser.parse(new Source("a.verdict", """
        policy accounts on Account {
          permit read
          fields read on read, "list-all" {
            notes: hide when principal.branch != resource.branch unless owner
          }
        }
        """));
    assertThat(r.diagnostics()).isEmpty();
    Decl.PolicyDecl p = (Decl.PolicyDecl) r.file().decls().get(0);
    PolicyMember.FieldsBlock block = p.fieldBlocks().get(0);
    assertThat(block.actions()).extracting(a -> a.name()).containsExactly("read", "list-all");
    assertThat(block.rules().get(0).conditions()).extracting(c -> c.kind())
        .containsExactly(Condition.Kind.WHEN, Condition.Kind.UNLESS);
    assertThat(block.rules().get(0).conditions().get(1)).isInstanceOf(PolicyMember.FieldCondition.Roles.class);
  }

  @Test
  void reportsAnUnclosedBraceWhereItOpens() {
    ParseResult r = Parser.parse(new Source("a.verdict", "policy p on A {\n  permit read\n"));
    assertThat(r.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.code()).isEqualTo(Code.SYNTAX);
      assertThat(d.span().line()).isEqualTo(1);
      assertThat(d.span().column()).isEqualTo(15);
      assertThat(d.message()).isEqualTo("`{` is never closed");
    });
  }

  @Test
  void refusesFilesWithTooManyTokensQuickly() {
    String list = "1, ".repeat(Parser.MAX_TOKENS);
    ParseResult r = Parser.parse(new Source("big.verdict", "role x on * when principal.a in [" + list + "1]"));
    assertThat(r.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.code()).isEqualTo(Code.FILE_TOO_LARGE);
      assertThat(d.message()).isEqualTo("file has more than 250000 tokens");
    });
    assertThat(r.file().decls()).isEmpty();
  }

  /** Issue 13 gap 6: schemas declare names that are not words by quoting them. */
  @Test
  void aQuotedSchemaAttributeNameIsDeclared() {
    ParseResult r = Parser.parse(new Source("a.verdict", "entity A {\n  \"first-name\": String\n}\n"));
    assertThat(r.diagnostics()).isEmpty();
    Decl.EntityDecl e = (Decl.EntityDecl) r.file().decls().get(0);
    assertThat(e.attrs().orElseThrow().attrs().get(0).name().name()).isEqualTo("first-name");
  }

  /** A name a field path could not tell apart from two names is refused where it is written. */
  @Test
  void aQuotedNameWithADotIsRefused() {
    ParseResult r = Parser.parse(new Source("a.verdict", "entity A {\n  \"a.b\": String\n}\n"));
    assertThat(r.diagnostics()).singleElement().satisfies(d -> {
      assertThat(d.code()).isEqualTo(Code.SYNTAX);
      assertThat(d.span().line()).isEqualTo(2);
      assertThat(d.span().column()).isEqualTo(3);
      assertThat(d.message()).isEqualTo("attribute name \"a.b\" cannot be used");
      assertThat(d.help()).hasValue("a quoted attribute name is not empty and holds no `.`, `[`, `]` or control"
          + " characters; these separate the parts of field paths");
    });
  }
}
