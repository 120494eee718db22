package dev.verdict.lang.syntax;

import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.Exprs;
import dev.verdict.lang.source.Span;
import java.util.Optional;

/**
 * Bounds the depth of built expressions. Operator chains ({@code a or b or …}) parse in a
 * loop but build a deep tree, and every later stage walks trees recursively.
 */
final class ExprDepth {
  private ExprDepth() {}

  static Span firstTooDeep(Decl d, int max) {
    for (Expr root : Exprs.roots(d)) {
      Optional<Expr> deep = Exprs.deeperThan(root, max);
      if (deep.isPresent()) {
        return root.span();
      }
    }
    return null;
  }
}
