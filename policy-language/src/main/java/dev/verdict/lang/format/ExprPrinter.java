package dev.verdict.lang.format;

import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.syntax.Literals;
import java.util.List;

/**
 * Prints an expression on one line with only the parentheses its structure needs. Levels
 * follow the grammar: {@code if} 0, {@code or} 1, {@code and} 2, {@code not} 3, comparisons
 * and {@code in is has like} 4 (not associative), {@code + -} 5, unary minus 6, postfix and
 * primaries 7. A negative number literal prints as {@code -n}, which reads back as unary
 * minus folded into the literal, so it sits at level 6.
 */
final class ExprPrinter {
  private static final int IF = 0;
  private static final int NOT = 3;
  private static final int RELATION = 4;
  private static final int ADDITIVE = 5;
  private static final int NEGATION = 6;
  private static final int POSTFIX = 7;

  private ExprPrinter() {}

  static String print(Expr e) {
    StringBuilder b = new StringBuilder();
    print(e, IF, b);
    return b.toString();
  }

  /**
   * An {@code and} or {@code or} chain as its operands: the first printed alone, each other
   * one after its operator ({@code "and b"}). Joined by spaces they are {@link #print}'s text,
   * so a line broken before each operator reads back as the same expression. Any other
   * expression is one piece.
   */
  static List<String> chain(Expr e) {
    if (!(e instanceof Expr.Binary top) || (top.op() != Expr.BinaryOp.AND && top.op() != Expr.BinaryOp.OR)) {
      return List.of(print(e));
    }
    java.util.ArrayDeque<String> pieces = new java.util.ArrayDeque<>();
    Expr left = top;
    while (left instanceof Expr.Binary b && b.op() == top.op()) {
      StringBuilder right = new StringBuilder(b.op().symbol()).append(' ');
      print(b.right(), b.op().precedence() + 1, right);
      pieces.addFirst(right.toString());
      left = b.left();
    }
    StringBuilder first = new StringBuilder();
    print(left, top.op().precedence(), first);
    pieces.addFirst(first.toString());
    return List.copyOf(pieces);
  }

  private static int level(Expr e) {
    if (e instanceof Expr.If) {
      return IF;
    } else if (e instanceof Expr.Binary b) {
      return b.op().precedence();
    } else if (e instanceof Expr.Unary u) {
      return u.op() == Expr.UnaryOp.NOT ? NOT : NEGATION;
    } else if (e instanceof Expr.Is || e instanceof Expr.Has || e instanceof Expr.Like) {
      return RELATION;
    } else if (e instanceof Expr.NumberLit n && n.value().signum() < 0) {
      return NEGATION;
    }
    return POSTFIX;
  }

  /** Prints {@code e} where the grammar allows expressions of level {@code min} and above. */
  private static void print(Expr e, int min, StringBuilder b) {
    if (level(e) < min) {
      b.append('(');
      print(e, IF, b);
      b.append(')');
      return;
    }
    if (e instanceof Expr.If i) {
      b.append("if ");
      print(i.condition(), IF, b);
      b.append(" then ");
      print(i.then(), IF, b);
      b.append(" else ");
      print(i.otherwise(), IF, b);
    } else if (e instanceof Expr.Binary bin) {
      binary(bin, b);
    } else if (e instanceof Expr.Unary u) {
      if (u.op() == Expr.UnaryOp.NOT) {
        b.append("not ");
        print(u.operand(), NOT, b);
      } else {
        b.append('-');
        print(u.operand(), NEGATION, b);
      }
    } else if (e instanceof Expr.Is is) {
      print(is.target(), ADDITIVE, b);
      b.append(" is ").append(is.type().name());
      if (is.in().isPresent()) {
        b.append(" in ");
        print(is.in().get(), ADDITIVE, b);
      }
    } else if (e instanceof Expr.Has h) {
      print(h.target(), ADDITIVE, b);
      b.append(" has ").append(h.quoted() ? Literals.quote(h.attr().name()) : h.attr().name());
    } else if (e instanceof Expr.Like l) {
      print(l.target(), ADDITIVE, b);
      b.append(" like ").append(Literals.quote(l.pattern().value()));
    } else if (e instanceof Expr.GetAttr g) {
      print(g.target(), POSTFIX, b);
      b.append('.').append(g.attr().name());
    } else if (e instanceof Expr.Index ix) {
      print(ix.target(), POSTFIX, b);
      b.append('[');
      print(ix.index(), IF, b);
      b.append(']');
    } else if (e instanceof Expr.Call c && c.method()) {
      print(c.args().get(0), POSTFIX, b);
      b.append('.').append(c.function().name()).append('(');
      list(c.args().subList(1, c.args().size()), b);
      b.append(')');
    } else if (e instanceof Expr.Call c) {
      b.append(c.function().name()).append('(');
      list(c.args(), b);
      b.append(')');
    } else if (e instanceof Expr.ListLit l) {
      b.append('[');
      list(l.items(), b);
      b.append(']');
    } else if (e instanceof Expr.RecordLit r) {
      record(r, b);
    } else {
      leaf(e, b);
    }
  }

  private static void binary(Expr.Binary bin, StringBuilder b) {
    int p = bin.op().precedence();
    // or, and, + and - associate to the left; comparisons and `in` do not associate at all.
    int leftMin = bin.op().isComparison() ? p + 1 : p;
    print(bin.left(), leftMin, b);
    b.append(' ').append(bin.op().symbol()).append(' ');
    print(bin.right(), p + 1, b);
  }

  private static void list(List<Expr> items, StringBuilder b) {
    for (int i = 0; i < items.size(); i++) {
      if (i > 0) {
        b.append(", ");
      }
      print(items.get(i), IF, b);
    }
  }

  static void record(Expr.RecordLit r, StringBuilder b) {
    if (r.entries().isEmpty()) {
      b.append("{}");
      return;
    }
    b.append("{ ");
    for (int i = 0; i < r.entries().size(); i++) {
      Expr.Entry entry = r.entries().get(i);
      if (i > 0) {
        b.append(", ");
      }
      b.append(entry.quoted() ? Literals.quote(entry.key().name()) : entry.key().name()).append(": ");
      print(entry.value(), IF, b);
    }
    b.append(" }");
  }

  private static void leaf(Expr e, StringBuilder b) {
    if (e instanceof Expr.StringLit s) {
      b.append(Literals.quote(s.value()));
    } else if (e instanceof Expr.NumberLit n) {
      b.append(n.value().toPlainString());
    } else if (e instanceof Expr.DurationLit d) {
      b.append(d.text());
    } else if (e instanceof Expr.BoolLit bool) {
      b.append(bool.value());
    } else if (e instanceof Expr.Var v) {
      b.append(v.kind().word());
    } else if (e instanceof Expr.EntityLit ent) {
      b.append(ent.type().name()).append("::").append(Literals.quote(ent.id()));
    } else if (e instanceof Expr.NameRef n) {
      b.append(n.name().name()); // only ever the right side of `in`, where no parenthesis may go
    } else {
      throw new IllegalArgumentException("unprintable expression " + e.getClass().getSimpleName());
    }
  }
}
