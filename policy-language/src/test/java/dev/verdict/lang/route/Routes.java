package dev.verdict.lang.route;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.syntax.ParseResult;
import dev.verdict.lang.syntax.Parser;
import java.util.List;

/** Route declarations for tests, parsed from policy text so they are exactly what users write. */
final class Routes {
  private Routes() {}

  static List<Route> parse(String policyText) {
    ParseResult r = Parser.parse(new Source("routes.verdict", policyText));
    assertThat(r.diagnostics()).as("test routes parse").isEmpty();
    return r.file().decls().stream()
        .filter(Decl.RouteDecl.class::isInstance)
        .map(Decl.RouteDecl.class::cast)
        .map(RouteDecls::of)
        .toList();
  }

  static RouteTable table(String policyText) {
    return RouteTable.build(parse(policyText));
  }
}
