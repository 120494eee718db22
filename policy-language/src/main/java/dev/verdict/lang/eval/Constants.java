package dev.verdict.lang.eval;

import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.source.Source;

/** Evaluates literal expressions (test values) without a request. */
public final class Constants {
  private static final Planner PLANNER = new Planner(new Source("", ""), java.util.Map.of());

  private Constants() {}

  /** The value of a literal expression, or null when it reads the request or fails. */
  public static Value valueOf(Expr e) {
    Node n = PLANNER.plan(e);
    return n.constant();
  }
}
