package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.Objects;

/**
 * A template's slot condition: {@code when principal == ?principal}, {@code when resource in ?resource}.
 * A rule with one is a template: it decides nothing until a link fills its slots with entities.
 *
 * @param var {@link Expr.VarKind#PRINCIPAL} or {@link Expr.VarKind#RESOURCE}: the variable and its slot
 * @param in whether the condition is {@code in} (the entity or a descendant), else {@code ==}
 */
public record Slot(Expr.VarKind var, boolean in, Span span) {
  public Slot {
    Objects.requireNonNull(var, "var is null");
    if (var != Expr.VarKind.PRINCIPAL && var != Expr.VarKind.RESOURCE) {
      throw new IllegalArgumentException("only principal and resource have slots");
    }
  }

  /** The slot's name in links: {@code principal} or {@code resource}. */
  public String name() {
    return var.word();
  }

  /** As written: {@code principal == ?principal}. */
  public String text() {
    return var.word() + (in ? " in ?" : " == ?") + var.word();
  }
}
