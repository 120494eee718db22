package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.Objects;

/** {@code when expr} or {@code unless expr} on a rule. */
public record Condition(Kind kind, Expr expr, Span span) {
  public enum Kind { WHEN, UNLESS }

  public Condition {
    Objects.requireNonNull(kind, "kind is null");
    Objects.requireNonNull(expr, "expr is null");
  }
}
