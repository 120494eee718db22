package dev.verdict.lang.format;

import dev.verdict.lang.ast.Annotation;
import dev.verdict.lang.ast.Condition;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.ast.FieldPath;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.Str;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.ast.TypeExpr;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.syntax.Literals;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.function.Supplier;

/**
 * A seeded generator of valid ASTs: every declaration, member, test item and expression
 * form, with names, strings and numbers chosen to exercise quoting, keywords used as
 * names, and precedence. Only shapes the parser can produce are generated (a unary minus
 * is never applied to a number literal, which the parser folds into the literal).
 */
public final class AstGen {
  private static final String[] IDENTS = {"a", "b1", "owner", "tenant", "_x", "Account", "User", "z9_"};
  /** Contextual keywords: valid wherever a name is. */
  private static final String[] SOFT = {"read", "write", "all", "last", "hash", "deny", "per", "by", "intent",
      "fields", "on", "to", "limit", "test", "route", "policy", "entity", "role", "request", "because"};
  /** Words valid only after a dot, as a record key or as a schema attribute. */
  private static final String[] HARD = {"in", "is", "has", "like", "and", "or", "not", "if", "then", "else",
      "true", "false", "principal", "resource", "context", "action", "permit", "forbid", "when", "unless"};
  private static final String[] STRING_PARTS = {"", "a", "x y", "\"", "\\", "\\*", "*", "\n", "\t", "\r", "\0",
      "\u001b", "\u007f", "é", "日本", "😀", "{id}", "/accounts/{id}", "//", "/*", "*/"};
  private static final String[] DURATIONS = {"1ms", "90s", "1m", "1h30m", "2d", "1d2h3m4s5ms", "0s"};
  private static final String[] METHODS = {"GET", "POST", "PUT", "DELETE", "PATCH", "get"};

  private final Random random;

  public AstGen(long seed) {
    this.random = new Random(seed);
  }

  public Random random() {
    return random;
  }

  // ---- basics

  private boolean chance(int percent) {
    return random.nextInt(100) < percent;
  }

  private <T> T pick(T[] options) {
    return options[random.nextInt(options.length)];
  }

  private <T> List<T> list(int min, int max, Supplier<T> item) {
    int n = min + random.nextInt(max - min + 1);
    List<T> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(item.get());
    }
    return out;
  }

  private Ident ident() {
    return Ident.of(pick(IDENTS));
  }

  /** A {@code name}: an identifier or a contextual keyword. */
  Ident name() {
    return Ident.of(chance(25) ? pick(SOFT) : pick(IDENTS));
  }

  /** An action: a {@code name}, sometimes one that must be quoted (a hard keyword, or with a dash). */
  private Ident action() {
    int r = random.nextInt(10);
    return r == 0 ? Ident.of(pick(HARD)) : r == 1 ? Ident.of("view-report") : r == 2 ? Ident.of("s3:GetObject") : name();
  }

  /** A schema attribute or path segment: sometimes a name that is not a word, quoted. */
  private Ident declaredName() {
    return chance(15) ? Ident.of(pick(new String[] {"Role-A", "team name", "x-owner", "é"})) : attrName();
  }

  /** An {@code attrName}: any word at all. */
  private Ident attrName() {
    int r = random.nextInt(10);
    return Ident.of(r < 2 ? pick(HARD) : r < 4 ? pick(SOFT) : pick(IDENTS));
  }

  String string() {
    StringBuilder b = new StringBuilder();
    int n = random.nextInt(4);
    for (int i = 0; i < n; i++) {
      b.append(pick(STRING_PARTS));
    }
    return b.toString();
  }

  /** What {@code unquote(quote(s))} gives back: the parser's view of a string. */
  private Str str() {
    return Str.of(string());
  }

  private BigDecimal number() {
    BigDecimal v = BigDecimal.valueOf(random.nextInt(chance(20) ? Integer.MAX_VALUE : 1000), random.nextInt(4));
    if (chance(5)) {
      v = new BigDecimal("12345678901234567890123456789012345678"); // the most digits allowed
    }
    return v;
  }

  private Expr.DurationLit duration() {
    String text = pick(DURATIONS);
    return new Expr.DurationLit(text, Literals.duration(text), Span.NONE);
  }

  private List<Annotation> annotations() {
    return list(0, chance(70) ? 0 : 2, () ->
        new Annotation(name(), chance(50) ? Optional.of(str()) : Optional.empty(), Span.NONE));
  }

  // ---- expressions

  Expr expr(int depth) {
    if (depth <= 0) {
      return leaf();
    }
    int d = depth - 1;
    switch (random.nextInt(14)) {
      case 0:
        return new Expr.If(expr(d), expr(d), expr(d), Span.NONE);
      case 1: case 2: {
        Expr.BinaryOp op = pick(Expr.BinaryOp.values());
        if (op == Expr.BinaryOp.IN && chance(25)) {
          return new Expr.Binary(op, expr(d), new Expr.NameRef(name(), Span.NONE), Span.NONE); // action in group
        }
        return new Expr.Binary(op, expr(d), expr(d), Span.NONE);
      }
      case 3:
        return new Expr.Unary(Expr.UnaryOp.NOT, expr(d), Span.NONE);
      case 4: {
        Expr operand = expr(d);
        if (operand instanceof Expr.NumberLit) {
          return operand; // `-5` is a literal, never negation of one
        }
        return new Expr.Unary(Expr.UnaryOp.NEG, operand, Span.NONE);
      }
      case 5:
        return new Expr.Is(expr(d), ident(), chance(50) ? Optional.of(expr(d)) : Optional.empty(), Span.NONE);
      case 6: {
        boolean quoted = chance(40);
        return new Expr.Has(expr(d), quoted ? Ident.of(string()) : attrName(), quoted, Span.NONE);
      }
      case 7:
        return new Expr.Like(expr(d), new Expr.StringLit(string(), Span.NONE), Span.NONE);
      case 8:
        return new Expr.GetAttr(expr(d), attrName(), Span.NONE);
      case 9:
        return new Expr.Index(expr(d), expr(d), Span.NONE);
      case 10: {
        boolean method = chance(40);
        List<Expr> args = new java.util.ArrayList<>(list(method ? 1 : 0, 3, () -> expr(d)));
        if (method && args.isEmpty()) {
          args.add(expr(d));
        }
        return new Expr.Call(ident(), args, method, Span.NONE);
      }
      case 11:
        return new Expr.ListLit(list(0, 3, () -> expr(d)), Span.NONE);
      case 12:
        return record(d);
      default:
        return leaf();
    }
  }

  Expr.RecordLit record(int depth) {
    return new Expr.RecordLit(list(0, 3, () -> {
      boolean quoted = chance(30);
      return new Expr.Entry(quoted ? Ident.of(string()) : attrName(), quoted, expr(depth));
    }), Span.NONE);
  }

  private Expr leaf() {
    switch (random.nextInt(8)) {
      case 0:
        return new Expr.StringLit(string(), Span.NONE);
      case 1: {
        BigDecimal n = number();
        return new Expr.NumberLit(chance(30) && n.signum() != 0 ? n.negate() : n, Span.NONE);
      }
      case 2:
        return duration();
      case 3:
        return new Expr.BoolLit(random.nextBoolean(), Span.NONE);
      case 4:
        return new Expr.EntityLit(ident(), string(), Span.NONE);
      default:
        return new Expr.Var(pick(Expr.VarKind.values()), Span.NONE);
    }
  }

  private Expr condition() {
    return expr(random.nextInt(5));
  }

  // ---- declarations

  public List<Decl> file() {
    return list(0, 6, this::decl);
  }

  Decl decl() {
    switch (random.nextInt(10)) {
      case 0:
        return new Decl.EntityDecl(annotations(), ident(), list(0, 2, this::ident),
            chance(70) ? Optional.of(recordType(2)) : Optional.empty(), Span.NONE);
      case 1:
        return new Decl.ContextDecl(annotations(), recordType(2), Span.NONE);
      case 2:
        return new Decl.PlainRolesDecl(annotations(), list(1, 3, this::name), Span.NONE);
      case 3:
        return new Decl.RoleDecl(annotations(), name(), chance(70) ? Optional.of(ident()) : Optional.empty(),
            condition(), Span.NONE);
      case 4:
        return new Decl.ActionGroupDecl(annotations(), name(), list(1, 3, this::action), Span.NONE);
      case 5:
        return new Decl.PolicyDecl(annotations(), name(), chance(70) ? Optional.of(ident()) : Optional.empty(),
            list(0, 4, this::member), Span.NONE);
      case 6:
        return new Decl.RouteDecl(annotations(), Ident.of(pick(METHODS)), str(), ident(),
            chance(60) ? Optional.of(name()) : Optional.empty(), action(),
            chance(50) ? Optional.of(str()) : Optional.empty(), Span.NONE);
      case 7:
        return new Decl.LimitDecl(annotations(), name(), str(), list(0, 2, this::condition),
            list(0, 3, this::limitLine), Span.NONE);
      case 8:
        return new Decl.IntentDecl(annotations(), str(), Span.NONE);
      default:
        return new Decl.TestDecl(annotations(), str(), list(0, 6, this::testItem), Span.NONE);
    }
  }

  private TypeExpr.RecordOf recordType(int depth) {
    return new TypeExpr.RecordOf(list(0, 3, () ->
        new TypeExpr.AttrDecl(annotations(), declaredName(), chance(30), type(depth), Span.NONE)), Span.NONE);
  }

  private TypeExpr type(int depth) {
    int r = random.nextInt(depth > 0 ? 4 : 2);
    if (r == 2) {
      return new TypeExpr.SetOf(type(depth - 1), Span.NONE);
    } else if (r == 3) {
      return recordType(depth - 1);
    }
    return new TypeExpr.Named(Ident.of(pick(new String[] {"String", "Number", "Bool", "Ip", "Time", "Duration", "Account"})));
  }

  private PolicyMember member() {
    if (chance(75)) {
      boolean any = chance(20);
      return new PolicyMember.Rule(annotations(), pick(PolicyMember.Effect.values()), any,
          any ? List.of() : list(1, 3, this::action), list(0, 2, this::name),
          list(0, 2, () -> new Condition(pick(Condition.Kind.values()), condition(), Span.NONE)), Span.NONE);
    }
    return new PolicyMember.FieldsBlock(pick(PolicyMember.Access.values()), chance(30) ? list(1, 2, this::action) : List.of(),
        list(0, 3, this::fieldRule), Span.NONE);
  }

  /** None, one or two conditions (`hide when x unless owner`), each roles or an expression. */
  private PolicyMember.FieldRule fieldRule() {
    return new PolicyMember.FieldRule(annotations(), list(1, 2, this::path), effect(), list(0, 2, () -> {
      Condition.Kind kind = pick(Condition.Kind.values());
      return chance(50) ? new PolicyMember.FieldCondition.Roles(kind, list(1, 2, this::name), Span.NONE)
          : new PolicyMember.FieldCondition.When(kind, condition(), Span.NONE);
    }), Span.NONE);
  }

  /** Segments avoid the words that could continue a preceding condition ({@code in}, {@code and}, …). */
  private FieldPath path() {
    return new FieldPath(list(1, 3, () -> new FieldPath.Segment(declaredName().name(), chance(20))), Span.NONE);
  }

  private FieldEffect effect() {
    FieldEffect.Kind kind = pick(FieldEffect.Kind.values());
    return new FieldEffect(kind, kind == FieldEffect.Kind.PARTIAL ? 1 + random.nextInt(64) : 0, Span.NONE);
  }

  private Decl.LimitLine limitLine() {
    return new Decl.LimitLine(random.nextInt(1000), duration(),
        chance(40) ? Optional.of((long) random.nextInt(100)) : Optional.empty(),
        chance(40) ? Optional.of(condition()) : Optional.empty(), Span.NONE);
  }

  private TestItem testItem() {
    switch (random.nextInt(7)) {
      case 0: {
        boolean typed = chance(60);
        return new TestItem.EntitySpec(pick(TestItem.EntityRole.values()),
            typed ? Optional.of(ident()) : Optional.empty(), typed ? Optional.of(str()) : Optional.empty(),
            list(0, 2, () -> new TestItem.EntityRef(ident(), str(), Span.NONE)),
            chance(60) ? Optional.of(record(2)) : Optional.empty(), Span.NONE);
      }
      case 1:
        return new TestItem.ContextSpec(record(2), Span.NONE);
      case 2:
        return new TestItem.ActionSpec(action(), Span.NONE);
      case 3:
        return new TestItem.RequestSpec(Ident.of(pick(METHODS)), str(), Span.NONE);
      case 4:
        return new TestItem.Repeat(1 + random.nextInt(10_000), random.nextBoolean(), expectation(), Span.NONE);
      default:
        return new TestItem.Expect(expectation(), Span.NONE);
    }
  }

  private TestItem.Expectation expectation() {
    return new TestItem.Expectation(pick(TestItem.Outcome.values()), list(0, 2, this::str),
        list(0, 2, () -> new TestItem.FieldExpect(pick(PolicyMember.Access.values()),
            list(0, 2, () -> new TestItem.FieldExpectEntry(path(), effect())), Span.NONE)), Span.NONE);
  }
}
