package dev.verdict.lang.check;

import dev.verdict.lang.ast.Condition;
import dev.verdict.lang.ast.Decl;
import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.ast.FieldPath;
import dev.verdict.lang.ast.Ident;
import dev.verdict.lang.ast.PolicyFile;
import dev.verdict.lang.ast.PolicyMember;
import dev.verdict.lang.ast.TestItem;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Span;
import dev.verdict.lang.types.Builtin;
import dev.verdict.lang.types.LiteralFormat;
import dev.verdict.lang.types.Type;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Types every condition, limit key and field path of a policy set against its
 * {@link Schema}: unknown attributes, impossible comparisons, operators on the wrong types,
 * optional attributes read without a {@code has} guard, function calls, constant literals
 * that can never parse, and field paths that name no field.
 *
 * <p>Where the schema says nothing (an undeclared type, no context declaration) values are of
 * unknown type and nothing about them is reported. A value of unknown type never causes a
 * second error either: after a problem the expression is typed as unknown.
 *
 * <p>Guards flow forward only: {@code a has x and a.x …} and {@code if a has x then a.x …};
 * likewise {@code a is T and …} narrows {@code a} to {@code T}. Nothing is learnt from
 * {@code or}, {@code not} or the {@code else} branch, which keeps the rule simple and sound.
 */
final class TypeCheckPass {
  private final Schema schema;
  private final ActionShapes shapes;
  private final List<Diagnostic> out;

  private TypeCheckPass(Schema schema, ActionShapes shapes, List<Diagnostic> out) {
    this.schema = schema;
    this.shapes = shapes;
    this.out = out;
  }

  /** The same, for a set without action groups. */
  static void check(List<PolicyFile> files, Schema schema, List<Diagnostic> out) {
    check(files, schema, new ActionShapes(schema, new ActionGroups(Map.of()), out), out);
  }

  static void check(List<PolicyFile> files, Schema schema, ActionShapes shapes, List<Diagnostic> out) {
    TypeCheckPass pass = new TypeCheckPass(schema, shapes, out);
    for (PolicyFile f : files) {
      for (Decl d : f.decls()) {
        pass.decl(d);
      }
    }
  }

  /** What is known at a point of an expression: guarded attributes and narrowed entity types. */
  private record Env(Type.Entity principal, Type.Entity resource, Type.Record context, Set<String> guarded,
      Map<String, String> narrowed) {
    Env with(Facts f) {
      if (f.guarded.isEmpty() && f.narrowed.isEmpty()) {
        return this;
      }
      Set<String> g = new HashSet<>(guarded);
      g.addAll(f.guarded);
      Map<String, String> n = new HashMap<>(narrowed);
      n.putAll(f.narrowed);
      return new Env(principal, resource, context, g, n);
    }
  }

  /** What an expression being true tells about the values it tested. */
  private static final class Facts {
    final Set<String> guarded = new HashSet<>();
    final Map<String, String> narrowed = new HashMap<>();
  }

  /** A type, and for records and entities a name for messages ({@code Account.holder}). */
  private record Typed(Type type, String label) {
    static Typed of(Type t) {
      return new Typed(t, t instanceof Type.Entity e ? e.typeName().orElse("entity") : null);
    }

    static final Typed ANY = new Typed(Type.ANY, null);
  }

  private void decl(Decl d) {
    if (d instanceof Decl.RoleDecl r) {
      Env env = env(r.resourceType().map(Ident::name));
      condition(r.condition(), env);
    } else if (d instanceof Decl.PolicyDecl p) {
      Env env = env(p.resourceType().map(Ident::name));
      for (PolicyMember m : p.members()) {
        if (m instanceof PolicyMember.Rule rule) {
          Env ruleEnv = ruleEnv(p, rule).orElse(env);
          for (Condition c : rule.conditions()) {
            condition(c.expr(), ruleEnv);
          }
        } else if (m instanceof PolicyMember.FieldsBlock fb) {
          for (PolicyMember.FieldRule fr : fb.rules()) {
            p.resourceType().ifPresent(t -> fr.paths().forEach(path -> fieldPath(t.name(), path)));
            for (PolicyMember.FieldCondition c : fr.conditions()) {
              if (c instanceof PolicyMember.FieldCondition.When w) {
                condition(w.expr(), env);
              }
            }
          }
        }
      }
    } else if (d instanceof Decl.LimitDecl l) {
      Env env = env(Optional.empty());
      l.keys().forEach(k -> type(k, env));
      l.lines().forEach(line -> line.when().ifPresent(w -> condition(w, env)));
    } else if (d instanceof Decl.TestDecl t) {
      // Test values are literals, but a call in them (`ip("…")`) must still be valid.
      Env env = env(Optional.empty());
      for (TestItem item : t.items()) {
        if (item instanceof TestItem.EntitySpec s) {
          s.attrs().ifPresent(a -> type(a, env));
        } else if (item instanceof TestItem.ContextSpec c) {
          type(c.attrs(), env);
        }
      }
    }
  }

  private Env env(Optional<String> resourceType) {
    return new Env(schema.principal(), schema.resource(resourceType), shapes.anyActionContext(), Set.of(), Map.of());
  }

  /**
   * A rule whose actions all declare their shape sees what they have in common: their context
   * and, when they agree on one, their principal and resource types. Empty for other rules.
   */
  private Optional<Env> ruleEnv(Decl.PolicyDecl p, PolicyMember.Rule rule) {
    if (rule.anyAction()) {
      return Optional.empty();
    }
    Optional<String> on = p.resourceType().map(Ident::name);
    shapes.checkRule(on, rule);
    return shapes.common(rule.actions()).map(c -> new Env(
        c.principal().map(Type.Entity::of).orElse(schema.principal()),
        on.isPresent() ? schema.resource(on) : c.resource().map(Type.Entity::of).orElse(Type.ANY_ENTITY),
        c.context(), Set.of(), Map.of()));
  }

  private void condition(Expr e, Env env) {
    Typed t = type(e, env);
    if (!isBool(t.type())) {
      out.add(Diagnostic.of(Code.NOT_BOOLEAN, e.span(), "condition is a `" + t.type().display() + "`, not a boolean",
          "compare it with something, e.g. `== true`, or test it with `has`, `in` or `like`"));
    }
  }

  // ---- field paths

  private void fieldPath(String resourceType, FieldPath path) {
    schema.fieldPathProblem(resourceType, path).ifPresent(p ->
        out.add(Diagnostic.of(Code.UNKNOWN_FIELD, path.span(), p.message(), p.help())));
  }

  // ---- expressions

  private Typed type(Expr e, Env env) {
    if (e instanceof Expr.StringLit) {
      return Typed.of(Type.STRING);
    } else if (e instanceof Expr.NumberLit) {
      return Typed.of(Type.NUMBER);
    } else if (e instanceof Expr.DurationLit) {
      return Typed.of(Type.DURATION);
    } else if (e instanceof Expr.BoolLit) {
      return Typed.of(Type.BOOL);
    } else if (e instanceof Expr.Var v) {
      return variable(v, env);
    } else if (e instanceof Expr.GetAttr g) {
      return attribute(g.target(), type(g.target(), env), g.attr(), e, env);
    } else if (e instanceof Expr.Index i) {
      return index(i, env);
    } else if (e instanceof Expr.EntityLit l) {
      entityType(l.type());
      return Typed.of(Type.Entity.of(l.type().name()));
    } else if (e instanceof Expr.ListLit l) {
      Type element = null;
      for (Expr item : l.items()) {
        Type t = type(item, env).type();
        element = element == null ? t : Type.join(element, t);
      }
      return Typed.of(new Type.SetOf(element == null ? Type.ANY : element));
    } else if (e instanceof Expr.RecordLit r) {
      Map<String, Type.Attr> attrs = new java.util.LinkedHashMap<>();
      for (Expr.Entry entry : r.entries()) {
        attrs.put(entry.key().name(), new Type.Attr(type(entry.value(), env).type(), false));
      }
      return new Typed(Type.Record.closed(attrs), "record");
    } else if (e instanceof Expr.Unary u) {
      return unary(u, env);
    } else if (e instanceof Expr.Binary b) {
      return binary(b, env);
    } else if (e instanceof Expr.Is i) {
      return is(i, env);
    } else if (e instanceof Expr.Has h) {
      return has(h, env);
    } else if (e instanceof Expr.Like l) {
      Typed t = type(l.target(), env);
      if (!accepts(Type.STRING, t.type())) {
        wrongOperand(l.target(), "`like` needs a string, found `" + t.type().display() + "`", null);
      }
      return Typed.of(Type.BOOL);
    } else if (e instanceof Expr.If i) {
      Typed c = type(i.condition(), env);
      if (!isBool(c.type())) {
        out.add(Diagnostic.of(Code.NOT_BOOLEAN, i.condition().span(),
            "`if` condition is a `" + c.type().display() + "`, not a boolean"));
      }
      Typed a = type(i.then(), env.with(factsWhenTrue(i.condition())));
      Typed b = type(i.otherwise(), env);
      Type joined = Type.join(a.type(), b.type());
      return joined.equals(a.type()) ? a : Typed.of(joined);
    } else if (e instanceof Expr.Call c) {
      return call(c, env);
    }
    return Typed.ANY;
  }

  private Typed variable(Expr.Var v, Env env) {
    return switch (v.kind()) {
      case PRINCIPAL -> narrowed("principal", env.principal(), env);
      case RESOURCE -> narrowed("resource", env.resource(), env);
      case CONTEXT -> new Typed(env.context(), "context");
      case ACTION -> Typed.ANY; // action names are compared with strings and groups; no schema types them
    };
  }

  private static Typed narrowed(String key, Type t, Env env) {
    String to = key == null ? null : env.narrowed().get(key);
    if (to != null && t instanceof Type.Entity) {
      return Typed.of(Type.Entity.of(to));
    }
    return Typed.of(t);
  }

  /** {@code target.name}, also used for {@code target["name"]} and for {@code has}. */
  private Typed attribute(Expr target, Typed t, Ident name, Expr whole, Env env) {
    Type.Record rec = recordOf(target, t.type());
    if (rec == null) {
      if (!(t.type() instanceof Type.Any)) {
        wrongOperand(name.span(), "`" + describe(target) + "` is a `" + t.type().display()
            + "`, which has no attributes", null);
      }
      return Typed.ANY;
    }
    Type.Attr attr = rec.attrs().get(name.name());
    if (attr == null) {
      if (!rec.open()) {
        String on = t.label() == null ? describe(target) : t.label();
        out.add(Diagnostic.of(Code.UNKNOWN_ATTRIBUTE, name.span(), "unknown attribute `" + name.name() + "` on `" + on + "`",
            Suggestions.didYouMean(name.name(), rec.attrs().keySet())
                .orElse("`" + on + "` has " + Suggestions.list(rec.attrs().keySet()))));
      }
      return Typed.ANY;
    }
    if (whole != null && attr.optional()) {
      String key = key(target);
      if (key == null || !env.guarded().contains(key + "." + name.name())) {
        String on = t.label() == null ? describe(target) : t.label();
        String guard = key == null ? "guard it with `has " + name.name() + "`"
            : "guard it: `" + key + " has " + name.name() + " and …`";
        out.add(Diagnostic.of(Code.MISSING_HAS_GUARD, whole.span(), "`" + name.name() + "` is optional in `" + on
            + "` and may be absent", guard));
      }
    }
    String label = (t.label() == null ? describe(target) : t.label()) + "." + name.name();
    Type at = attr.type();
    if (at instanceof Type.Entity) {
      String key = key(target);
      return narrowed(key == null ? null : key + "." + name.name(), at, env);
    }
    return new Typed(at, at instanceof Type.Record ? label : null);
  }

  /** The attributes a value of type {@code t} has, or null when it has none. */
  private Type.Record recordOf(Expr target, Type t) {
    if (t instanceof Type.Entity e) {
      boolean principal = target instanceof Expr.Var v && v.kind() == Expr.VarKind.PRINCIPAL;
      return schema.attributesOf(e, principal);
    }
    if (t instanceof Type.Record r) {
      return r;
    }
    if (t instanceof Type.Any) {
      return Type.Record.unknown();
    }
    return null;
  }

  private Typed index(Expr.Index i, Env env) {
    Typed t = type(i.target(), env);
    if (i.index() instanceof Expr.StringLit s && !(t.type() instanceof Type.SetOf)) {
      return attribute(i.target(), t, new Ident(s.value(), s.span()), i, env);
    }
    Typed ix = type(i.index(), env);
    if (t.type() instanceof Type.SetOf set) {
      if (!accepts(Type.NUMBER, ix.type())) {
        wrongOperand(i.index(), "a list is indexed by a number, found `" + ix.type().display() + "`", null);
      }
      return Typed.of(set.element());
    }
    if (!(t.type() instanceof Type.Any) && recordOf(i.target(), t.type()) == null) {
      wrongOperand(i.target(), "`[…]` needs a list or a record, found `" + t.type().display() + "`", null);
    }
    return Typed.ANY;
  }

  private Typed unary(Expr.Unary u, Env env) {
    Typed t = type(u.operand(), env);
    if (u.op() == Expr.UnaryOp.NOT) {
      if (!isBool(t.type())) {
        wrongOperand(u.operand(), "`not` needs a boolean, found `" + t.type().display() + "`", null);
      }
      return Typed.of(Type.BOOL);
    }
    if (t.type() == Type.NUMBER || t.type() == Type.DURATION) {
      return t;
    }
    if (!(t.type() instanceof Type.Any)) {
      wrongOperand(u.operand(), "`-` needs a number or a duration, found `" + t.type().display() + "`", null);
    }
    return Typed.ANY;
  }

  private Typed binary(Expr.Binary b, Env env) {
    switch (b.op()) {
      case AND: {
        Typed l = type(b.left(), env);
        Typed r = type(b.right(), env.with(factsWhenTrue(b.left())));
        booleanOperand("and", b.left(), l);
        booleanOperand("and", b.right(), r);
        return Typed.of(Type.BOOL);
      }
      case OR: {
        Typed l = type(b.left(), env);
        Typed r = type(b.right(), env);
        booleanOperand("or", b.left(), l);
        booleanOperand("or", b.right(), r);
        return Typed.of(Type.BOOL);
      }
      case EQ:
      case NE: {
        Typed l = type(b.left(), env);
        Typed r = type(b.right(), env);
        if (!Type.comparable(l.type(), r.type())) {
          out.add(Diagnostic.of(Code.TYPE_MISMATCH, b.span(), "cannot compare `" + l.type().display() + "` with `"
              + r.type().display() + "`", comparisonHelp(b, l, r)));
        }
        return Typed.of(Type.BOOL);
      }
      case LT:
      case LE:
      case GT:
      case GE:
        order(b, env);
        return Typed.of(Type.BOOL);
      case IN:
        in(b.left(), b.right(), env);
        return Typed.of(Type.BOOL);
      case ADD:
      case SUB:
        return arithmetic(b, env);
      default:
        return Typed.ANY;
    }
  }

  private String comparisonHelp(Expr.Binary b, Typed l, Typed r) {
    Expr side = key(b.left()) != null ? b.left() : key(b.right()) != null ? b.right() : null;
    Typed st = side == b.left() ? l : r;
    String reason = side == null ? "the two sides are never equal"
        : "`" + key(side) + "` is a `" + st.type().display() + "`, so the two sides are never equal";
    Expr other = side == b.left() ? b.right() : b.left();
    Typed ot = side == b.left() ? r : l;
    if (st.type() instanceof Type.Entity && ot.type() == Type.STRING) {
      return reason + "; compare `" + key(side) + ".id` with the string, or `" + key(side) + "` with an entity";
    }
    if ((st.type() == Type.TIME || st.type() == Type.IP || st.type() == Type.DURATION) && other instanceof Expr.StringLit) {
      String fn = st.type() == Type.TIME ? "time" : st.type() == Type.IP ? "ip" : "duration";
      return reason + "; convert the string with `" + fn + "(\"…\")`";
    }
    return reason;
  }

  private void booleanOperand(String op, Expr e, Typed t) {
    if (!isBool(t.type())) {
      wrongOperand(e, "`" + op + "` needs booleans, found `" + t.type().display() + "`", null);
    }
  }

  private void order(Expr.Binary b, Env env) {
    Typed l = type(b.left(), env);
    Typed r = type(b.right(), env);
    boolean lok = orderable(l.type());
    boolean rok = orderable(r.type());
    String op = b.op().symbol();
    if (!lok) {
      wrongOperand(b.left(), "`" + op + "` needs numbers, times or durations, found `" + l.type().display() + "`",
          conversionHelp(b.left(), r.type()));
    }
    if (!rok) {
      wrongOperand(b.right(), "`" + op + "` needs numbers, times or durations, found `" + r.type().display() + "`",
          conversionHelp(b.right(), l.type()));
    }
    if (lok && rok && !Type.comparable(l.type(), r.type())) {
      out.add(Diagnostic.of(Code.TYPE_MISMATCH, b.span(), "cannot compare `" + l.type().display() + "` with `"
          + r.type().display() + "`", "both sides of `" + op + "` must be numbers, times or durations alike"));
    }
  }

  /** For {@code context.now < "2024-…"}: how to turn the string into the other side's type. */
  private static String conversionHelp(Expr e, Type other) {
    if (e instanceof Expr.StringLit && other == Type.TIME) {
      return "convert the string with `time(\"…\")`";
    }
    if (e instanceof Expr.StringLit && other == Type.DURATION) {
      return "write the duration without quotes, e.g. `90s`";
    }
    return null;
  }

  private void in(Expr left, Expr right, Env env) {
    Typed l = type(left, env);
    Typed r = type(right, env);
    if (r.type() instanceof Type.SetOf s) {
      if (!Type.comparable(l.type(), s.element()) && !(l.type() instanceof Type.Entity && s.element() instanceof Type.Entity)) {
        out.add(Diagnostic.of(Code.TYPE_MISMATCH, left.span(), "`in` looks for a `" + l.type().display()
            + "` in a `" + r.type().display() + "`", "the value is never in the set"));
      }
    } else if (r.type() instanceof Type.Entity) {
      if (!(l.type() instanceof Type.Entity) && !(l.type() instanceof Type.Any)) {
        wrongOperand(left, "`in` with an entity on the right needs an entity on the left, found `"
            + l.type().display() + "`", null);
      }
    } else if (!(r.type() instanceof Type.Any)) {
      wrongOperand(right, "right side of `in` must be a set, a list or an entity, found `" + r.type().display() + "`",
          r.type() == Type.STRING ? "to look for text in a string use `like \"*…*\"`" : null);
    }
  }

  private Typed arithmetic(Expr.Binary b, Env env) {
    Type l = type(b.left(), env).type();
    Type r = type(b.right(), env).type();
    boolean add = b.op() == Expr.BinaryOp.ADD;
    Type result = arithmeticResult(add, l, r);
    if (result == null) {
      wrongOperand(b.span(), "`" + b.op().symbol() + "` cannot " + (add ? "add `" : "subtract `") + r.display()
          + (add ? "` to `" : "` from `") + l.display() + "`",
          "`+` and `-` work on numbers, on durations, and on a time and a duration");
      return Typed.ANY;
    }
    return Typed.of(result);
  }

  /**
   * Number ± Number, Duration ± Duration, Time ± Duration, Duration + Time and Time − Time
   * (a Duration); null when the operands can never be combined.
   */
  static Type arithmeticResult(boolean add, Type l, Type r) {
    boolean la = l instanceof Type.Any;
    boolean ra = r instanceof Type.Any;
    if (la && ra) {
      return Type.ANY;
    }
    if (l == Type.NUMBER && (r == Type.NUMBER || ra) || r == Type.NUMBER && la) {
      return Type.NUMBER;
    }
    if (l == Type.TIME && r == Type.DURATION || add && l == Type.TIME && ra) {
      return Type.TIME;
    }
    if (!add && l == Type.TIME && r == Type.TIME) {
      return Type.DURATION; // how long between two times
    }
    if (!add && l == Type.TIME && ra) {
      return Type.ANY; // a time minus a duration, or the duration between two times
    }
    if (add && r == Type.TIME && (l == Type.DURATION || la)) {
      return Type.TIME;
    }
    if (l == Type.DURATION && r == Type.DURATION) {
      return Type.DURATION;
    }
    if (l == Type.DURATION && ra || r == Type.DURATION && la) {
      return Type.ANY; // a duration, or a time when the unknown side is one
    }
    return null;
  }

  private Typed is(Expr.Is i, Env env) {
    Typed t = type(i.target(), env);
    if (!(t.type() instanceof Type.Entity) && !(t.type() instanceof Type.Any)) {
      wrongOperand(i.target(), "`is` needs an entity, found `" + t.type().display() + "`", null);
    }
    entityType(i.type());
    i.in().ifPresent(parent -> in(i.target(), parent, env));
    return Typed.of(Type.BOOL);
  }

  private Typed has(Expr.Has h, Env env) {
    Typed t = type(h.target(), env);
    Type.Record rec = recordOf(h.target(), t.type());
    if (rec == null) {
      wrongOperand(h.target(), "`has` needs an entity or a record, found `" + t.type().display() + "`", null);
    } else {
      attribute(h.target(), t, h.attr(), null, env); // reports a misspelt attribute
    }
    return Typed.of(Type.BOOL);
  }

  private void entityType(Ident type) {
    // An undeclared type may be one only requests and data carry (see ResourceTypePass);
    // it is reported when it looks like a misspelt declared type.
    if (schema.declaresEntities() && schema.entity(type.name()).isEmpty()) {
      java.util.Optional<Diagnostic> ns = Namespaces.unknown(type.span(), type.name(), schema.entities().keySet(), false);
      if (ns.isPresent()) {
        out.add(ns.get());
        return;
      }
      Suggestions.didYouMean(type.name(), schema.entities().keySet()).ifPresent(help ->
          out.add(Diagnostic.of(Code.UNKNOWN_TYPE, type.span(), "unknown entity type `" + type.name() + "`", help)));
    }
  }

  // ---- calls

  private Typed call(Expr.Call c, Env env) {
    List<Typed> args = new ArrayList<>();
    for (Expr a : c.args()) {
      args.add(type(a, env));
    }
    String name = c.function().name();
    Optional<Builtin> fn = Builtin.lookup(name);
    if (fn.isEmpty()) {
      List<String> names = new ArrayList<>();
      for (Builtin b : Builtin.values()) {
        names.add(b.functionName());
      }
      out.add(Diagnostic.of(Code.UNKNOWN_FUNCTION, c.function().span(), "unknown function `" + name + "`",
          Suggestions.didYouMean(name, names).orElse("built-in functions are " + String.join(", ",
              names.stream().map(n -> "`" + n + "`").toList()))));
      return Typed.ANY;
    }
    Builtin b = fn.get();
    if (args.size() != b.arity()) {
      String message = c.method()
          ? "`." + name + "(…)` takes " + count(b.arity() - 1) + " besides the value before the dot, found "
              + (args.size() - 1)
          : "`" + name + "` takes " + count(b.arity()) + ", found " + args.size();
      out.add(Diagnostic.of(Code.WRONG_ARITY, c.span(), message, "`" + b.signature() + "`"));
      return Typed.of(b.result());
    }
    for (int i = 0; i < args.size(); i++) {
      Builtin.Param p = b.params().get(i);
      Expr arg = c.args().get(i);
      if (!p.accepts(args.get(i).type())) {
        String help = b == Builtin.CONTAINS && i == 0 && args.get(i).type() instanceof Type.Entity
            ? "`contains` looks in a set; to test the entity hierarchy write `"
                + (args.size() > 1 && key(c.args().get(1)) != null ? key(c.args().get(1)) : "x") + " in " + describe(arg) + "`"
            : "`" + b.signature() + "`";
        out.add(Diagnostic.of(Code.TYPE_MISMATCH, arg.span(), (c.method() && i == 0 ? "the receiver" : ordinal(i, args.size()))
            + " of `" + name + "` must be " + accepted(p) + ", found `" + args.get(i).type().display() + "`", help));
      } else if (arg instanceof Expr.StringLit s && p.format() != LiteralFormat.ANY_TEXT) {
        p.format().problem(s.value()).ifPresent(problem ->
            out.add(Diagnostic.of(Code.BAD_LITERAL, arg.span(), problem, p.format().help())));
      }
    }
    if (b == Builtin.CONTAINS && args.get(0).type() instanceof Type.SetOf s
        && !Type.comparable(args.get(1).type(), s.element())) {
      out.add(Diagnostic.of(Code.TYPE_MISMATCH, c.args().get(1).span(), "`contains` looks for a `"
          + args.get(1).type().display() + "` in a `" + s.display() + "`", "the value is never in the set"));
    }
    return Typed.of(b.result());
  }

  private static String count(int n) {
    return n == 1 ? "1 argument" : n + " arguments";
  }

  private static String ordinal(int i, int n) {
    if (n == 1) {
      return "the argument";
    }
    return (i == 0 ? "the first" : i == 1 ? "the second" : "argument " + (i + 1)) + " argument";
  }

  /** {@code a `String`, a `Set` or a record}. */
  private static String accepted(Builtin.Param p) {
    List<String> names = p.accepts().stream().map(t -> t == Type.ANY_SET ? "a `Set`" : t == Type.ANY_RECORD
        ? "a record" : (t == Type.IP ? "an `" : "a `") + t.display() + "`").toList();
    if (names.size() == 1) {
      return names.get(0);
    }
    return String.join(", ", names.subList(0, names.size() - 1)) + " or " + names.get(names.size() - 1);
  }

  // ---- guards

  /** What {@code e} being true establishes: {@code has} guards and {@code is} narrowings. */
  private static Facts factsWhenTrue(Expr e) {
    Facts f = new Facts();
    java.util.ArrayDeque<Expr> todo = new java.util.ArrayDeque<>();
    todo.push(e);
    while (!todo.isEmpty()) {
      Expr x = todo.pop();
      if (x instanceof Expr.Binary b && b.op() == Expr.BinaryOp.AND) {
        todo.push(b.left());
        todo.push(b.right());
      } else if (x instanceof Expr.Has h && key(h.target()) != null) {
        f.guarded.add(key(h.target()) + "." + h.attr().name());
      } else if (x instanceof Expr.Is i && key(i.target()) != null) {
        f.narrowed.put(key(i.target()), i.type().name());
      }
    }
    return f;
  }

  /** {@code resource.holder} for an attribute path from a variable; null for anything else. */
  static String key(Expr e) {
    if (e instanceof Expr.Var v) {
      return v.kind().word();
    }
    if (e instanceof Expr.GetAttr g) {
      String k = key(g.target());
      return k == null ? null : k + "." + g.attr().name();
    }
    if (e instanceof Expr.Index i && i.index() instanceof Expr.StringLit s) {
      String k = key(i.target());
      return k == null ? null : k + "." + s.value();
    }
    return null;
  }

  private static String describe(Expr e) {
    String k = key(e);
    return k != null ? k : "this value";
  }

  // ---- helpers

  private static boolean isBool(Type t) {
    return t == Type.BOOL || t instanceof Type.Any;
  }

  private static boolean orderable(Type t) {
    return t == Type.NUMBER || t == Type.TIME || t == Type.DURATION || t instanceof Type.Any;
  }

  private static boolean accepts(Type expected, Type actual) {
    return Type.accepts(expected, actual);
  }

  private void wrongOperand(Expr e, String message, String help) {
    wrongOperand(e.span(), message, help);
  }

  private void wrongOperand(Span span, String message, String help) {
    out.add(Diagnostic.of(Code.WRONG_OPERAND, span, message, help));
  }
}
