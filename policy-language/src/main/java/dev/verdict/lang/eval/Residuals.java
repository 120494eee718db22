package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.plan.Filter;
import dev.verdict.lang.plan.Plan;
import dev.verdict.lang.plan.PlanUnsupported;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Partial evaluation of one resource type and action's rules for a known principal, action and
 * context, with the resource unknown. A subexpression that does not read the resource is
 * evaluated as a decision would evaluate it; one that does becomes a residual, as two filters:
 * when it evaluates to true, and when it evaluates to false (neither: it errors). Keeping both
 * is what makes the fail-closed rules exact: an erroring condition makes a permit not apply and
 * a forbid apply, just as {@link CompiledRule#evaluate} does.
 */
final class Residuals {
  /** Plans larger than this are refused rather than sent to a database. */
  static final int MAX_FILTER_NODES = 10_000;

  private final PolicySet set;
  private final String type;
  private final Env env;
  private final IdentityHashMap<Node, Boolean> readsResource = new IdentityHashMap<>();
  /** Per derived role id, its residual: several rules name one role. */
  private final Map<Integer, Cond> derivedRoles = new java.util.HashMap<>();
  /** Per entity, it and its ancestors: several conditions test one principal. */
  private final Map<EntityUid, TreeSet<EntityUid>> closures = new java.util.HashMap<>();

  /** What a subexpression is known to be. */
  private sealed interface P {}

  private record Known(Value value) implements P {}

  /** Evaluation errors whatever the resource. */
  private record Failed() implements P {}

  private record Path(List<String> path) implements P {}

  /** The resource itself. */
  private record Self() implements P {}

  /** A condition: {@code t} when it evaluates to true, {@code f} when to false. */
  private record Cond(Filter t, Filter f) implements P {}

  private static final P FAILED = new Failed();
  private static final Cond ERROR = new Cond(Filter.FALSE, Filter.FALSE);

  Residuals(PolicySet set, EntityData principal, String type, String action, Map<String, Value> context) {
    this.set = set;
    this.type = type;
    // A resource no data file can name: known parts never read it, residual parts are not evaluated.
    EntityData unknown = new EntityData(new EntityUid(type, "\u0000planned"), Map.of(), List.of(), false);
    this.env = new Env(set, new Request(principal, unknown, action, context, List.of()), false);
  }

  Plan plan() {
    PolicySet.ActionRules rules = set.rulesFor(type, env.request.action());
    List<Filter> forbids = new ArrayList<>();
    List<Filter> permits = new ArrayList<>();
    int size = 0;
    for (CompiledRule r : rules.forbids().all) {
      Filter f = counts(r);
      forbids.add(f);
      size = bounded(size + f.size(), r);
    }
    for (CompiledRule r : rules.permits().all) {
      Filter f = counts(r);
      permits.add(f);
      size = bounded(size + f.size(), r);
    }
    Filter anyForbid = Filter.or(forbids);
    Filter allowed = Filter.and(Filter.not(anyForbid), Filter.or(permits));
    List<String> ids = new ArrayList<>();
    if (allowed.equals(Filter.FALSE)) {
      collect(rules.forbids().all, forbids, Filter.TRUE::equals, ids);
    } else {
      collect(rules.forbids().all, forbids, f -> !f.equals(Filter.FALSE), ids);
      collect(rules.permits().all, permits, f -> !f.equals(Filter.FALSE), ids);
    }
    if (allowed.size() > MAX_FILTER_NODES) {
      throw new PlanUnsupported(dev.verdict.lang.source.Span.NONE, "the plan for " + type + "." + env.request.action()
          + " would have " + allowed.size() + " nodes, more than " + MAX_FILTER_NODES + "; decide per resource");
    }
    return Plan.of(type, env.request.action(), allowed, ids, set.version());
  }

  private static void collect(CompiledRule[] rules, List<Filter> formulas, java.util.function.Predicate<Filter> keep,
      List<String> out) {
    for (int i = 0; i < rules.length; i++) {
      if (keep.test(formulas.get(i))) {
        out.add(rules[i].id);
      }
    }
  }

  private int bounded(int size, CompiledRule r) {
    if (size > MAX_FILTER_NODES) {
      throw new PlanUnsupported(r.span, "the plan for " + type + "." + env.request.action() + " grows past "
          + MAX_FILTER_NODES + " nodes at rule " + r.id + "; decide per resource");
    }
    return size;
  }

  /** When rule {@code r} counts toward the decision (see {@link CompiledRule#counts}). */
  private Filter counts(CompiledRule r) {
    Filter roleApplies;
    Filter roleErrored;
    if (r.roles.length == 0 || holdsPlainRole(r)) {
      roleApplies = Filter.TRUE;
      roleErrored = Filter.FALSE;
    } else {
      List<Filter> held = new ArrayList<>();
      List<Filter> errored = new ArrayList<>();
      for (int id : r.derivedRoles) {
        Cond c = derived(id);
        held.add(c.t());
        errored.add(errors(c));
      }
      roleApplies = Filter.or(held);
      roleErrored = Filter.and(Filter.not(roleApplies), Filter.or(errored));
    }
    int n = r.conditions.length;
    Filter[] expected = new Filter[n];
    Filter[] unexpected = new Filter[n];
    for (int i = 0; i < n; i++) {
      Cond c;
      try {
        c = cond(pe(r.conditions[i]));
      } catch (PlanUnsupported e) {
        throw new PlanUnsupported(e.span(), "rule " + r.id + ": " + e.getMessage());
      }
      expected[i] = r.when[i] ? c.t() : c.f();
      unexpected[i] = r.when[i] ? c.f() : c.t();
    }
    if (!r.forbid) {
      List<Filter> all = new ArrayList<>();
      all.add(roleApplies);
      all.addAll(List.of(expected));
      return Filter.and(all);
    }
    // Conditions run in order and stop at the first that fails or errors: an error counts, a
    // condition with the unexpected value does not.
    Filter rest = Filter.TRUE;
    for (int i = n - 1; i >= 0; i--) {
      rest = Filter.and(Filter.not(unexpected[i]), Filter.or(Filter.not(expected[i]), rest));
    }
    return Filter.or(roleErrored, Filter.and(roleApplies, rest));
  }

  private boolean holdsPlainRole(CompiledRule r) {
    Set<Value> plain = env.roles();
    for (Value.Str role : r.roleValues) {
      if (plain.contains(role)) {
        return true;
      }
    }
    return false;
  }

  private Cond derived(int id) {
    Cond c = derivedRoles.get(id);
    if (c == null) {
      c = derivedUncached(id);
      derivedRoles.put(id, c);
    }
    return c;
  }

  private Cond derivedUncached(int id) {
    PolicySet.DerivedRole role = set.derivedRole(id);
    if (role.type() != null && !role.type().equals(type)) {
      return new Cond(Filter.FALSE, Filter.TRUE);
    }
    try {
      return cond(pe(role.condition()));
    } catch (PlanUnsupported e) {
      throw new PlanUnsupported(e.span(), "role " + role.name() + ": " + e.getMessage());
    }
  }

  private static Filter errors(Cond c) {
    return Filter.and(Filter.not(c.t()), Filter.not(c.f()));
  }

  /** A partial value used as a condition, as {@link Node#test} would use it. */
  private static Cond cond(P p) {
    if (p instanceof Cond c) {
      return c;
    }
    if (p instanceof Known k) {
      if (k.value() instanceof Value.Bool b) {
        return b.value() ? new Cond(Filter.TRUE, Filter.FALSE) : new Cond(Filter.FALSE, Filter.TRUE);
      }
      return ERROR;
    }
    if (p instanceof Path path) {
      return new Cond(new Filter.Compare(Filter.Op.EQ, path.path(), Value.Bool.TRUE),
          new Filter.Compare(Filter.Op.EQ, path.path(), Value.Bool.FALSE));
    }
    return ERROR;
  }

  private P pe(Node n) {
    Boolean reads = reads(n);
    if (reads == null) {
      throw unsupported(n, "uses an expression plans cannot express yet");
    }
    if (!reads) {
      try {
        return new Known(n.eval(env));
      } catch (EvalException e) {
        return FAILED;
      }
    }
    if (n instanceof Nodes.ResourceVar) {
      return new Self();
    }
    if (n instanceof Nodes.ResourceAttr a) {
      return attr(new Self(), a.name, n);
    }
    if (n instanceof Nodes.GetAttr g) {
      return attr(pe(g.target), g.name, n);
    }
    if (n instanceof Nodes.Index i) {
      P t = pe(i.target);
      P k = pe(i.index);
      if (t instanceof Failed || k instanceof Failed) {
        return FAILED;
      }
      if (k instanceof Known key) {
        return key.value() instanceof Value.Str s ? attr(t, s.value(), n) : FAILED;
      }
      throw unsupported(n, "indexes with a key read from the resource");
    }
    if (n instanceof Nodes.Has h) {
      P t = pe(h.target);
      if (t instanceof Failed) {
        return FAILED;
      }
      if (t instanceof Self) {
        if (h.name.equals("id") || h.name.equals("type")) {
          return new Known(Value.Bool.TRUE);
        }
        Filter has = new Filter.Has(h.name);
        return new Cond(has, Filter.not(has));
      }
      throw unsupported(n, "tests `has` below the resource's top level");
    }
    if (n instanceof Nodes.Not x) {
      Cond c = cond(pe(x.operand));
      return new Cond(c.f(), c.t());
    }
    if (n instanceof Nodes.And x) {
      Cond a = cond(pe(x.left));
      Cond b = cond(pe(x.right));
      return new Cond(Filter.and(a.t(), b.t()), Filter.or(a.f(), Filter.and(a.t(), b.f())));
    }
    if (n instanceof Nodes.Or x) {
      Cond a = cond(pe(x.left));
      Cond b = cond(pe(x.right));
      return new Cond(Filter.or(a.t(), Filter.and(a.f(), b.t())), Filter.and(a.f(), b.f()));
    }
    if (n instanceof Nodes.If x) {
      P c = pe(x.condition);
      if (c instanceof Known k) {
        if (!(k.value() instanceof Value.Bool b)) {
          return FAILED;
        }
        return pe(b.value() ? x.then : x.otherwise);
      }
      if (c instanceof Failed) {
        return FAILED;
      }
      // A residual choice is only expressible as a condition: the If must be used as one.
      Cond cc = cond(c);
      Cond a = cond(pe(x.then));
      Cond b = cond(pe(x.otherwise));
      return new Cond(Filter.or(Filter.and(cc.t(), a.t()), Filter.and(cc.f(), b.t())),
          Filter.or(Filter.and(cc.t(), a.f()), Filter.and(cc.f(), b.f())));
    }
    if (n instanceof Nodes.Eq x) {
      P c = equality(pe(x.left), pe(x.right), n);
      return x.negate ? negate(c) : c;
    }
    if (n instanceof Nodes.Compare x) {
      return compare(pe(x.left), pe(x.right), x.op, n);
    }
    if (n instanceof Nodes.In x) {
      return in(pe(x.left), pe(x.right), n);
    }
    if (n instanceof Nodes.Is x) {
      P t = pe(x.target);
      if (t instanceof Failed) {
        return FAILED;
      }
      if (t instanceof Self) {
        if (!x.type.equals(type)) {
          return new Known(Value.Bool.FALSE);
        }
        return x.in == null ? new Known(Value.Bool.TRUE) : in(t, pe(x.in), n);
      }
      throw unsupported(n, "tests the type of an entity the resource refers to");
    }
    if (n instanceof Nodes.Like x) {
      P t = pe(x.target);
      if (t instanceof Failed || t instanceof Self) {
        return FAILED;
      }
      if (t instanceof Path p) {
        String pattern = x.pattern.text();
        return new Cond(new Filter.Like(p.path(), pattern, false), new Filter.Like(p.path(), pattern, true));
      }
    }
    throw unsupported(n, "computes with the resource in a way filters cannot express yet");
  }

  private static P negate(P p) {
    if (p instanceof Cond c) {
      return new Cond(c.f(), c.t());
    }
    if (p instanceof Known k && k.value() instanceof Value.Bool b) {
      return new Known(Value.Bool.of(!b.value()));
    }
    return p;
  }

  /** {@code target.name} where the target involves the resource. */
  private P attr(P target, String name, Node at) {
    if (target instanceof Failed) {
      return FAILED;
    }
    if (target instanceof Self) {
      // The planned type; `id` stays a path, the resource's id.
      return name.equals("type") ? new Known(new Value.Str(type)) : new Path(List.of(name));
    }
    if (target instanceof Path p) {
      List<String> longer = new ArrayList<>(p.path());
      longer.add(name);
      return new Path(longer);
    }
    throw unsupported(at, "reads an attribute of a value computed from the resource");
  }

  private P equality(P a, P b, Node at) {
    if (a instanceof Failed || b instanceof Failed) {
      return FAILED;
    }
    if (a instanceof Known && !(b instanceof Known)) {
      P t = a;
      a = b;
      b = t;
    }
    if (a instanceof Path p && b instanceof Known k) {
      return new Cond(new Filter.Compare(Filter.Op.EQ, p.path(), k.value()),
          new Filter.Compare(Filter.Op.NE, p.path(), k.value()));
    }
    if (a instanceof Self && b instanceof Known k) {
      if (k.value() instanceof Value.Entity e && e.uid().type().equals(type)) {
        Value id = new Value.Str(e.uid().id());
        return new Cond(new Filter.Compare(Filter.Op.EQ, ID, id), new Filter.Compare(Filter.Op.NE, ID, id));
      }
      return new Known(Value.Bool.FALSE);
    }
    if (a instanceof Self && b instanceof Self) {
      return new Known(Value.Bool.TRUE);
    }
    throw unsupported(at, "compares two values that both depend on the resource");
  }

  private static final List<String> ID = List.of("id");

  private P compare(P a, P b, int op, Node at) {
    if (a instanceof Failed || b instanceof Failed || a instanceof Self || b instanceof Self) {
      return FAILED;
    }
    Filter.Op o = switch (op) {
      case 0 -> Filter.Op.LT;
      case 1 -> Filter.Op.LE;
      case 2 -> Filter.Op.GT;
      default -> Filter.Op.GE;
    };
    if (a instanceof Known && b instanceof Path) {
      P t = a;
      a = b;
      b = t;
      o = o.flipped();
    }
    if (a instanceof Path p && b instanceof Known k) {
      return new Cond(new Filter.Compare(o, p.path(), k.value()),
          new Filter.Compare(o.complement(), p.path(), k.value()));
    }
    throw unsupported(at, "orders values computed from the resource");
  }

  /** {@code a in b} (see {@link Operators#in}). */
  private P in(P a, P b, Node at) {
    if (a instanceof Failed || b instanceof Failed) {
      return FAILED;
    }
    if (a instanceof Path p && b instanceof Known k) {
      if (k.value() instanceof Value.SetOf s) {
        for (Value v : s.items()) {
          if (v instanceof Value.Entity) {
            throw unsupported(at, "tests the hierarchy of an entity the resource refers to");
          }
        }
        List<Value> items = sorted(s.items());
        return new Cond(new Filter.In(p.path(), items, false), new Filter.In(p.path(), items, true));
      }
      if (k.value() instanceof Value.Entity) {
        throw unsupported(at, "tests the hierarchy of an entity the resource refers to");
      }
      return FAILED;
    }
    if (a instanceof Self && b instanceof Known k) {
      List<EntityUid> targets = new ArrayList<>();
      if (k.value() instanceof Value.Entity e) {
        targets.add(e.uid());
      } else if (k.value() instanceof Value.SetOf s) {
        for (Value v : s.items()) {
          if (v instanceof Value.Entity e) {
            targets.add(e.uid());
          }
        }
      } else {
        return FAILED;
      }
      if (targets.isEmpty()) {
        return new Known(Value.Bool.FALSE);
      }
      Filter under = new Filter.Under(new ArrayList<>(new TreeSet<>(targets)));
      return new Cond(under, Filter.not(under));
    }
    if (a instanceof Known k && b instanceof Path p) {
      List<Value> candidates = k.value() instanceof Value.Entity e ? entities(closure(e.uid())) : List.of(k.value());
      return new Cond(new Filter.Contains(p.path(), candidates, false),
          new Filter.Contains(p.path(), candidates, true));
    }
    if (a instanceof Known k && b instanceof Self) {
      if (!(k.value() instanceof Value.Entity e)) {
        return FAILED;
      }
      List<Value> ids = new ArrayList<>();
      for (EntityUid u : closure(e.uid())) {
        if (u.type().equals(type)) {
          ids.add(new Value.Str(u.id()));
        }
      }
      if (ids.isEmpty()) {
        return new Known(Value.Bool.FALSE);
      }
      return new Cond(new Filter.In(ID, ids, false), new Filter.In(ID, ids, true));
    }
    throw unsupported(at, "tests membership between two values that both depend on the resource");
  }

  /** {@code uid} and its ancestors, as this request sees them; sorted. */
  private TreeSet<EntityUid> closure(EntityUid uid) {
    return closures.computeIfAbsent(uid, this::walkUp);
  }

  private TreeSet<EntityUid> walkUp(EntityUid uid) {
    TreeSet<EntityUid> seen = new TreeSet<>();
    seen.add(uid);
    ArrayDeque<EntityUid> todo = new ArrayDeque<>();
    todo.add(uid);
    while (!todo.isEmpty()) {
      for (EntityUid p : env.parents(todo.poll())) {
        if (seen.add(p)) {
          todo.add(p);
        }
      }
    }
    return seen;
  }

  private static List<Value> entities(Set<EntityUid> uids) {
    List<Value> out = new ArrayList<>(uids.size());
    for (EntityUid u : uids) {
      out.add(new Value.Entity(u));
    }
    return out;
  }

  /** A set's items in a stable order, so that plans of one set compare equal. */
  private static List<Value> sorted(Set<Value> items) {
    List<Value> out = new ArrayList<>(items);
    out.sort(java.util.Comparator.comparing(v -> Values.toJson(v).toString()));
    return out;
  }

  /** Whether {@code n} reads the resource; null for a node this planner does not know. */
  private Boolean reads(Node n) {
    Boolean r = readsResource.get(n);
    if (r == null && !readsResource.containsKey(n)) {
      r = computeReads(n);
      readsResource.put(n, r);
    }
    return r;
  }

  private Boolean computeReads(Node n) {
    if (n instanceof Nodes.ResourceVar || n instanceof Nodes.ResourceAttr) {
      return true;
    }
    if (n instanceof Nodes.Const || n instanceof Nodes.PrincipalVar || n instanceof Nodes.ContextVar
        || n instanceof Nodes.ActionVar || n instanceof Nodes.PrincipalAttr || n instanceof Nodes.ContextAttr
        || n instanceof Functions.Failing) {
      return false;
    }
    Node[] children = children(n);
    if (children == null) {
      return null;
    }
    boolean any = false;
    for (Node c : children) {
      if (c == null) {
        continue;
      }
      Boolean r = reads(c);
      if (r == null) {
        return null;
      }
      any |= r;
    }
    return any;
  }

  private static Node[] children(Node n) {
    if (n instanceof Nodes.GetAttr x) {
      return new Node[] {x.target};
    } else if (n instanceof Nodes.Index x) {
      return new Node[] {x.target, x.index};
    } else if (n instanceof Nodes.Has x) {
      return new Node[] {x.target};
    } else if (n instanceof Nodes.SetBuild x) {
      return x.items;
    } else if (n instanceof Nodes.RecordBuild x) {
      return x.values;
    } else if (n instanceof Nodes.Not x) {
      return new Node[] {x.operand};
    } else if (n instanceof Nodes.Neg x) {
      return new Node[] {x.operand};
    } else if (n instanceof Nodes.And x) {
      return new Node[] {x.left, x.right};
    } else if (n instanceof Nodes.Or x) {
      return new Node[] {x.left, x.right};
    } else if (n instanceof Nodes.If x) {
      return new Node[] {x.condition, x.then, x.otherwise};
    } else if (n instanceof Nodes.Eq x) {
      return new Node[] {x.left, x.right};
    } else if (n instanceof Nodes.Compare x) {
      return new Node[] {x.left, x.right};
    } else if (n instanceof Nodes.Add x) {
      return new Node[] {x.left, x.right};
    } else if (n instanceof Nodes.In x) {
      return new Node[] {x.left, x.right};
    } else if (n instanceof Nodes.ActionIn x) {
      return new Node[] {x.left};
    } else if (n instanceof Nodes.Is x) {
      return new Node[] {x.target, x.in};
    } else if (n instanceof Nodes.Like x) {
      return new Node[] {x.target};
    } else if (n instanceof Functions.Call x) {
      return x.args;
    }
    return null;
  }

  private static PlanUnsupported unsupported(Node n, String what) {
    return new PlanUnsupported(n.span, "`" + n.text + "` at " + n.span.location() + " " + what
        + "; plans support comparisons, `in`, `has`, `like` and hierarchy tests on resource attributes");
  }
}
