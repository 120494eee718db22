package dev.verdict.lang.eval;

import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.Span;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Plans expressions into nodes: resolves variables, attributes, functions and constants once. */
final class Planner {
  private final Source source;
  private final Map<String, Set<String>> actionGroups;

  Planner(Source source, Map<String, Set<String>> actionGroups) {
    this.source = source;
    this.actionGroups = actionGroups;
  }

  /** The expression as written, whitespace folded, for messages and traces. */
  String text(Span span) {
    String t = source.text();
    try {
      int from = t.offsetByCodePoints(0, span.start());
      int to = t.offsetByCodePoints(from, span.end() - span.start());
      return t.substring(from, to).replaceAll("\\s+", " ");
    } catch (IndexOutOfBoundsException e) {
      return "expression at " + span.location();
    }
  }

  Node plan(Expr e) {
    Span span = e.span();
    String text = text(span);
    if (e instanceof Expr.StringLit s) {
      return new Nodes.Const(new Value.Str(s.value()), span, text);
    } else if (e instanceof Expr.NumberLit n) {
      return new Nodes.Const(new Value.Num(n.value()), span, text);
    } else if (e instanceof Expr.DurationLit d) {
      return new Nodes.Const(new Value.Dur(d.value().toMillis()), span, text);
    } else if (e instanceof Expr.BoolLit b) {
      return new Nodes.Const(Value.Bool.of(b.value()), span, text);
    } else if (e instanceof Expr.EntityLit x) {
      return new Nodes.Const(new Value.Entity(new EntityUid(x.type().name(), x.id())), span, text);
    } else if (e instanceof Expr.Var v) {
      return switch (v.kind()) {
        case PRINCIPAL -> new Nodes.PrincipalVar(span);
        case RESOURCE -> new Nodes.ResourceVar(span);
        case CONTEXT -> new Nodes.ContextVar(span);
        case ACTION -> new Nodes.ActionVar(span);
      };
    } else if (e instanceof Expr.GetAttr g) {
      String name = g.attr().name();
      if (g.target() instanceof Expr.Var v) {
        switch (v.kind()) {
          case PRINCIPAL:
            return new Nodes.PrincipalAttr(name, span, text);
          case RESOURCE:
            return new Nodes.ResourceAttr(name, span, text);
          case CONTEXT:
            return new Nodes.ContextAttr(name, span, text);
          default:
            break;
        }
      }
      return new Nodes.GetAttr(plan(g.target()), name, span, text);
    } else if (e instanceof Expr.Index i) {
      return new Nodes.Index(plan(i.target()), plan(i.index()), span, text);
    } else if (e instanceof Expr.ListLit l) {
      Node[] items = planAll(l.items());
      Set<Value> constant = new LinkedHashSet<>();
      for (Node n : items) {
        if (n.constant() == null) {
          return new Nodes.SetBuild(items, span, text);
        }
        constant.add(n.constant());
      }
      return new Nodes.Const(new Value.SetOf(constant), span, text);
    } else if (e instanceof Expr.RecordLit r) {
      String[] keys = new String[r.entries().size()];
      Node[] values = new Node[keys.length];
      Map<String, Value> constant = new LinkedHashMap<>();
      boolean allConstant = true;
      for (int i = 0; i < keys.length; i++) {
        keys[i] = r.entries().get(i).key().name();
        values[i] = plan(r.entries().get(i).value());
        if (values[i].constant() == null) {
          allConstant = false;
        } else {
          constant.put(keys[i], values[i].constant());
        }
      }
      return allConstant ? new Nodes.Const(new Value.Rec(constant), span, text)
          : new Nodes.RecordBuild(keys, values, span, text);
    } else if (e instanceof Expr.Unary u) {
      Node operand = plan(u.operand());
      return u.op() == Expr.UnaryOp.NOT ? new Nodes.Not(operand, span, text) : new Nodes.Neg(operand, span, text);
    } else if (e instanceof Expr.Binary b) {
      return binary(b, span, text);
    } else if (e instanceof Expr.Is i) {
      return new Nodes.Is(plan(i.target()), i.type().name(), i.in().map(this::plan).orElse(null), span, text);
    } else if (e instanceof Expr.Has h) {
      return new Nodes.Has(plan(h.target()), h.attr().name(), span, text);
    } else if (e instanceof Expr.Like l) {
      return new Nodes.Like(plan(l.target()), l.pattern().value(), span, text);
    } else if (e instanceof Expr.If i) {
      return new Nodes.If(plan(i.condition()), plan(i.then()), plan(i.otherwise()), span, text);
    } else if (e instanceof Expr.Call c) {
      return Functions.plan(c.function().name(), planAll(c.args()), span, text);
    } else if (e instanceof Expr.NameRef n) {
      return new Functions.Failing("`" + n.name().name() + "` alone is not a value; it may only follow `action in`",
          span, text);
    }
    throw new IllegalStateException("unplanned expression " + e.getClass().getSimpleName());
  }

  private Node binary(Expr.Binary b, Span span, String text) {
    if (b.op() == Expr.BinaryOp.IN && b.right() instanceof Expr.NameRef ref) {
      // Reflexive, like `in` over entities and like a rule naming the group: the group's own
      // name is in it, and a plain action is in itself (`action in read`).
      Set<String> members = new java.util.HashSet<>(actionGroups.getOrDefault(ref.name().name(), Set.of()));
      members.add(ref.name().name());
      return new Nodes.ActionIn(plan(b.left()), members, span, text);
    }
    Node l = plan(b.left());
    Node r = plan(b.right());
    return switch (b.op()) {
      case OR -> new Nodes.Or(l, r, span, text);
      case AND -> new Nodes.And(l, r, span, text);
      case EQ -> new Nodes.Eq(l, r, false, span, text);
      case NE -> new Nodes.Eq(l, r, true, span, text);
      case LT -> new Nodes.Compare(l, r, 0, span, text);
      case LE -> new Nodes.Compare(l, r, 1, span, text);
      case GT -> new Nodes.Compare(l, r, 2, span, text);
      case GE -> new Nodes.Compare(l, r, 3, span, text);
      case IN -> new Nodes.In(l, r, span, text);
      case ADD -> new Nodes.Add(l, r, false, span, text);
      case SUB -> new Nodes.Add(l, r, true, span, text);
    };
  }

  private Node[] planAll(List<Expr> exprs) {
    Node[] out = new Node[exprs.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = plan(exprs.get(i));
    }
    return out;
  }
}
