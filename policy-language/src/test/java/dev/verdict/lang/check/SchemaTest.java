package dev.verdict.lang.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.ast.FieldPath;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.syntax.Parser;
import dev.verdict.lang.types.Type;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class SchemaTest {
  static Schema schema(String text, List<Diagnostic> out) {
    PolicyFile f = Parser.parse(new Source("s.verdict", text)).file();
    return Schema.build(List.of(f), out);
  }

  static FieldPath path(String text) {
    List<FieldPath.Segment> segs = new ArrayList<>();
    for (String s : text.split("\\.")) {
      segs.add(new FieldPath.Segment(s.replace("[]", ""), s.endsWith("[]")));
    }
    return new FieldPath(segs, Span.NONE);
  }

  @Test
  void fieldPathsFollowRecordsListsAndEntities() {
    List<Diagnostic> out = new ArrayList<>();
    Schema s = schema("""
        entity User { email: String }
        entity Group
        entity Order { buyer: User, group: Group, items: Set<{ sku: String, price: Number }>, note?: String }
        """, out);
    assertThat(out).isEmpty();
    assertThat(s.fieldPathExists("Order", path("items[].price"))).isTrue();
    assertThat(s.fieldPathExists("Order", path("buyer.email"))).isTrue();
    assertThat(s.fieldPathExists("Order", path("note"))).isTrue();
    assertThat(s.fieldPathExists("Order", path("group.anything"))).as("Group declares no attributes").isTrue();
    assertThat(s.fieldPathExists("Unknown", path("a.b"))).as("undeclared types are open").isTrue();
    assertThat(s.fieldPathExists("Order", path("items.price"))).isFalse();
    assertThat(s.fieldPathExists("Order", path("buyer.mail"))).isFalse();
    assertThat(s.fieldPathExists("Order", path("note[]"))).isFalse();
    assertThat(s.fieldPathProblem("Order", path("buyer.mail")).map(Schema.PathProblem::help))
        .contains("did you mean `buyer.email`?");
  }

  @Test
  void requestPartsAreTypedFromTheDeclarations() {
    Schema none = Schema.empty();
    assertThat(none.principal()).isEqualTo(Type.ANY_ENTITY);
    assertThat(none.context().open()).isTrue();
    assertThat(none.context().attr("now").map(Type.Attr::type)).contains(Type.TIME);
    assertThat(none.declaresEntities()).isFalse();

    Schema s = schema("entity User { tenant: String }\ncontext { mfa: Bool }\n", new ArrayList<>());
    assertThat(s.principal()).isEqualTo(Type.Entity.of("User"));
    assertThat(s.resource(Optional.empty())).isEqualTo(Type.ANY_ENTITY);
    assertThat(s.context().open()).isFalse();
    assertThat(s.context().attrs().keySet()).containsExactly("now", "intent", "mfa");
    assertThat(s.context().attr("intent").orElseThrow().optional()).isTrue();
    assertThat(s.attributesOf(Type.Entity.of("User"), true).attrs().keySet())
        .containsExactly("tenant", "id", "type", "roles");
    assertThat(s.attributesOf(Type.Entity.of("User"), false).attrs()).doesNotContainKey("roles");
  }
}
