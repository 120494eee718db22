package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.math.BigDecimal;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** An expression of a condition, a limit key or a test value. Immutable; spans ignored by equality. */
public sealed interface Expr {
  Span span();

  /** The four things a decision is about. */
  enum VarKind {
    PRINCIPAL("principal"), RESOURCE("resource"), CONTEXT("context"), ACTION("action");

    private final String word;

    VarKind(String word) {
      this.word = word;
    }

    public String word() {
      return word;
    }
  }

  enum UnaryOp { NOT, NEG }

  /** Binary operators, loosest binding first. */
  enum BinaryOp {
    OR("or", 1), AND("and", 2),
    EQ("==", 4), NE("!=", 4), LT("<", 4), LE("<=", 4), GT(">", 4), GE(">=", 4), IN("in", 4),
    ADD("+", 5), SUB("-", 5);

    private final String symbol;
    private final int precedence;

    BinaryOp(String symbol, int precedence) {
      this.symbol = symbol;
      this.precedence = precedence;
    }

    public String symbol() {
      return symbol;
    }

    /** Higher binds tighter: or 1, and 2, not 3, comparisons 4, + - 5, unary minus 6, postfix 7. */
    public int precedence() {
      return precedence;
    }

    public boolean isComparison() {
      return precedence == 4;
    }
  }

  record StringLit(String value, Span span) implements Expr {
    public StringLit {
      Objects.requireNonNull(value, "value is null");
    }
  }

  /** An exact decimal; {@code 0.1 + 0.2 == 0.3}. Equality compares numerically. */
  record NumberLit(BigDecimal value, Span span) implements Expr {
    public NumberLit {
      Objects.requireNonNull(value, "value is null");
    }

    @Override
    public boolean equals(Object o) {
      return o instanceof NumberLit n && n.value.compareTo(value) == 0;
    }

    @Override
    public int hashCode() {
      return value.stripTrailingZeros().hashCode();
    }
  }

  /** A duration literal such as {@code 90s} or {@code 1h30m}; {@code text} is as written. */
  record DurationLit(String text, java.time.Duration value, Span span) implements Expr {
    public DurationLit {
      Objects.requireNonNull(text, "text is null");
      Objects.requireNonNull(value, "value is null");
    }
  }

  record BoolLit(boolean value, Span span) implements Expr {}

  record Var(VarKind kind, Span span) implements Expr {
    public Var {
      Objects.requireNonNull(kind, "kind is null");
    }
  }

  /** {@code target.attr}. */
  record GetAttr(Expr target, Ident attr, Span span) implements Expr {
    public GetAttr {
      Objects.requireNonNull(target, "target is null");
      Objects.requireNonNull(attr, "attr is null");
    }
  }

  /** {@code target[index]}: a record field by string, or a list element by number. */
  record Index(Expr target, Expr index, Span span) implements Expr {
    public Index {
      Objects.requireNonNull(target, "target is null");
      Objects.requireNonNull(index, "index is null");
    }
  }

  /** {@code Type::"id"}. */
  record EntityLit(Ident type, String id, Span span) implements Expr {
    public EntityLit {
      Objects.requireNonNull(type, "type is null");
      Objects.requireNonNull(id, "id is null");
    }
  }

  record ListLit(List<Expr> items, Span span) implements Expr {
    public ListLit {
      items = List.copyOf(items);
    }
  }

  record RecordLit(List<Entry> entries, Span span) implements Expr {
    public RecordLit {
      entries = List.copyOf(entries);
    }

    public Optional<Expr> get(String key) {
      for (Entry e : entries) {
        if (e.key().name().equals(key)) {
          return Optional.of(e.value());
        }
      }
      return Optional.empty();
    }
  }

  /** One {@code key: value} of a record literal; {@code quoted} when the key was a string. */
  record Entry(Ident key, boolean quoted, Expr value) {
    public Entry {
      Objects.requireNonNull(key, "key is null");
      Objects.requireNonNull(value, "value is null");
    }
  }

  record Unary(UnaryOp op, Expr operand, Span span) implements Expr {
    public Unary {
      Objects.requireNonNull(op, "op is null");
      Objects.requireNonNull(operand, "operand is null");
    }
  }

  record Binary(BinaryOp op, Expr left, Expr right, Span span) implements Expr {
    public Binary {
      Objects.requireNonNull(op, "op is null");
      Objects.requireNonNull(left, "left is null");
      Objects.requireNonNull(right, "right is null");
    }
  }

  /** {@code target is Type} or {@code target is Type in parent}. */
  record Is(Expr target, Ident type, Optional<Expr> in, Span span) implements Expr {
    public Is {
      Objects.requireNonNull(target, "target is null");
      Objects.requireNonNull(type, "type is null");
      Objects.requireNonNull(in, "in is null");
    }
  }

  /** {@code target has attr}; {@code quoted} when written {@code has "attr"}. */
  record Has(Expr target, Ident attr, boolean quoted, Span span) implements Expr {
    public Has {
      Objects.requireNonNull(target, "target is null");
      Objects.requireNonNull(attr, "attr is null");
    }
  }

  /** {@code target like "pattern"} with {@code *} wildcards; {@code \*} is a literal star. */
  record Like(Expr target, StringLit pattern, Span span) implements Expr {
    public Like {
      Objects.requireNonNull(target, "target is null");
      Objects.requireNonNull(pattern, "pattern is null");
    }
  }

  record If(Expr condition, Expr then, Expr otherwise, Span span) implements Expr {
    public If {
      Objects.requireNonNull(condition, "condition is null");
      Objects.requireNonNull(then, "then is null");
      Objects.requireNonNull(otherwise, "otherwise is null");
    }
  }

  /**
   * A bare name, legal only on the right of {@code action in}: an action group or an action
   * ({@code action in write}).
   */
  record NameRef(Ident name, Span span) implements Expr {
    public NameRef {
      Objects.requireNonNull(name, "name is null");
    }
  }

  /**
   * {@code f(a, b)}; with {@code method}, written {@code a.f(b)}: the receiver is the first
   * argument, so both forms mean the same and only the printed form differs.
   */
  record Call(Ident function, List<Expr> args, boolean method, Span span) implements Expr {
    public Call {
      Objects.requireNonNull(function, "function is null");
      args = List.copyOf(args);
      if (method && args.isEmpty()) {
        throw new IllegalArgumentException("a method call has a receiver");
      }
    }

    public Call(Ident function, List<Expr> args, Span span) {
      this(function, args, false, span);
    }
  }
}
