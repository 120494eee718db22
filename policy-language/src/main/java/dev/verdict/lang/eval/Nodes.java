package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.source.Span;
import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The node family of planned conditions: variables, attributes, operators, literals. */
final class Nodes {
  private Nodes() {}

  static final class Const extends Node {
    final Value value;

    Const(Value value, Span span, String text) {
      super(span, text);
      this.value = value;
    }

    @Override
    Value eval(Env env) {
      return value;
    }

    @Override
    Value constant() {
      return value;
    }
  }

  static final class PrincipalVar extends Node {
    PrincipalVar(Span span) {
      super(span, "principal");
    }

    @Override
    Value eval(Env env) {
      return new Value.Entity(env.principal);
    }
  }

  static final class ResourceVar extends Node {
    ResourceVar(Span span) {
      super(span, "resource");
    }

    @Override
    Value eval(Env env) {
      return new Value.Entity(env.resource);
    }
  }

  static final class ContextVar extends Node {
    ContextVar(Span span) {
      super(span, "context");
    }

    @Override
    Value eval(Env env) {
      return env.contextRecord();
    }
  }

  static final class ActionVar extends Node {
    ActionVar(Span span) {
      super(span, "action");
    }

    @Override
    Value eval(Env env) {
      return env.action();
    }
  }

  // Attribute names are interned when planned: JSON readers intern field names too (Jackson
  // does by default), so most key comparisons of an attribute read end at the identity check.

  /** The attribute of an entity, with {@code id}, {@code type} and {@code roles} built in. */
  static Value entityAttr(Env env, EntityUid uid, String name, Node at) {
    Value v = env.attr(uid, name);
    return v != null ? v : builtIn(env, uid, name, at);
  }

  /** {@code uid}'s attribute {@code name} when its data has none: built in, or an error. */
  private static Value builtIn(Env env, EntityUid uid, String name, Node at) {
    switch (name) {
      case "id":
        return new Value.Str(uid.id());
      case "type":
        return new Value.Str(uid.type());
      case "roles":
        return EMPTY_SET;
      default:
        if (!env.known(uid)) {
          throw at.error(EvalError.Kind.MISSING_ENTITY, "no data for entity " + uid + ": `" + at.text
              + "` cannot be read");
        }
        throw at.error(EvalError.Kind.MISSING_ATTRIBUTE, "`" + at.text + "` is missing: " + uid
            + " has no attribute `" + name + "`");
    }
  }

  static final Value.SetOf EMPTY_SET = new Value.SetOf(Set.of());

  /** {@code principal.x}: no entity value is built for the principal itself. */
  static final class PrincipalAttr extends Node {
    final String name;

    /** {@code roles} is the union of every source's: read through {@link EntityView#attr}. */
    private final boolean roles;

    PrincipalAttr(String name, Span span, String text) {
      super(span, text);
      this.name = name.intern();
      this.roles = name.equals(EntityView.ROLES);
    }

    @Override
    Value eval(Env env) {
      if (roles) {
        return entityAttr(env, env.principal, name, this);
      }
      Value v = env.principalAttr(name);
      return v != null ? v : builtIn(env, env.principal, name, this);
    }
  }

  static final class ResourceAttr extends Node {
    final String name;

    /** {@code roles} is the union of every source's: read through {@link EntityView#attr}. */
    private final boolean roles;

    ResourceAttr(String name, Span span, String text) {
      super(span, text);
      this.name = name.intern();
      this.roles = name.equals(EntityView.ROLES);
    }

    @Override
    Value eval(Env env) {
      if (roles) {
        return entityAttr(env, env.resource, name, this);
      }
      Value v = env.resourceAttr(name);
      return v != null ? v : builtIn(env, env.resource, name, this);
    }
  }

  static final class ContextAttr extends Node {
    final String name;

    ContextAttr(String name, Span span, String text) {
      super(span, text);
      this.name = name.intern();
    }

    @Override
    Value eval(Env env) {
      Value v = env.context.get(name);
      if (v == null) {
        throw error(EvalError.Kind.MISSING_ATTRIBUTE, "`" + text + "` is missing: the request's context has no `"
            + name + "`");
      }
      return v;
    }
  }

  /** {@code x.name} on a record or an entity reference. */
  static final class GetAttr extends Node {
    final Node target;
    final String name;

    GetAttr(Node target, String name, Span span, String text) {
      super(span, text);
      this.target = target;
      this.name = name.intern();
    }

    @Override
    Value eval(Env env) {
      return get(env, target.eval(env), name, this);
    }

    static Value get(Env env, Value t, String name, Node at) {
      if (t instanceof Value.Rec r) {
        Value v = r.fields().get(name);
        if (v == null) {
          throw at.error(EvalError.Kind.MISSING_ATTRIBUTE, "`" + at.text + "` is missing: the record has no `"
              + name + "`");
        }
        return v;
      }
      if (t instanceof Value.Entity e) {
        return entityAttr(env, e.uid(), name, at);
      }
      throw at.error("`" + at.text + "` reads `" + name + "` of a " + t.kind() + ", which has no attributes");
    }
  }

  /** {@code x["name"]}. */
  static final class Index extends Node {
    final Node target;
    final Node index;

    Index(Node target, Node index, Span span, String text) {
      super(span, text);
      this.target = target;
      this.index = index;
    }

    @Override
    Value eval(Env env) {
      Value t = target.eval(env);
      Value i = index.eval(env);
      if (i instanceof Value.Str s) {
        return GetAttr.get(env, t, s.value(), this);
      }
      throw error("`" + text + "` needs a String key, found a " + i.kind());
    }
  }

  /** {@code x has name}. */
  static final class Has extends Node {
    final Node target;
    final String name;

    Has(Node target, String name, Span span, String text) {
      super(span, text);
      this.target = target;
      this.name = name.intern();
    }

    @Override
    Value eval(Env env) {
      Value t = target.eval(env);
      if (t instanceof Value.Rec r) {
        return Value.Bool.of(r.fields().containsKey(name));
      }
      if (t instanceof Value.Entity e) {
        if (name.equals("id") || name.equals("type")) {
          return Value.Bool.TRUE;
        }
        Value v = env.attr(e.uid(), name);
        if (v == null && !env.known(e.uid())) {
          // Only `in` may look past missing entity data; `has` on an unknown entity fails closed.
          throw error(EvalError.Kind.MISSING_ENTITY, "no data for entity " + e.uid() + ": `" + text
              + "` cannot be decided");
        }
        return Value.Bool.of(v != null);
      }
      throw error("`" + text + "` asks for an attribute of a " + t.kind());
    }
  }

  static final class SetBuild extends Node {
    final Node[] items;

    SetBuild(Node[] items, Span span, String text) {
      super(span, text);
      this.items = items;
    }

    @Override
    Value eval(Env env) {
      Set<Value> out = new LinkedHashSet<>();
      for (Node n : items) {
        out.add(n.eval(env));
      }
      return new Value.SetOf(out);
    }
  }

  static final class RecordBuild extends Node {
    final String[] keys;
    final Node[] values;

    RecordBuild(String[] keys, Node[] values, Span span, String text) {
      super(span, text);
      this.keys = keys;
      this.values = values;
    }

    @Override
    Value eval(Env env) {
      Map<String, Value> out = new LinkedHashMap<>();
      for (int i = 0; i < keys.length; i++) {
        out.put(keys[i], values[i].eval(env));
      }
      return new Value.Rec(out);
    }
  }

  static final class Not extends Node {
    final Node operand;

    Not(Node operand, Span span, String text) {
      super(span, text);
      this.operand = operand;
    }

    @Override
    Value eval(Env env) {
      return Value.Bool.of(!operand.test(env));
    }
  }

  static final class Neg extends Node {
    final Node operand;

    Neg(Node operand, Span span, String text) {
      super(span, text);
      this.operand = operand;
    }

    @Override
    Value eval(Env env) {
      Value v = operand.eval(env);
      if (v instanceof Value.Num n) {
        return new Value.Num(n.value().negate());
      }
      if (v instanceof Value.Dur d) {
        return new Value.Dur(-d.millis());
      }
      throw error("`-` needs a Number or a Duration, found a " + v.kind());
    }
  }

  static final class And extends Node {
    final Node left;
    final Node right;

    And(Node left, Node right, Span span, String text) {
      super(span, text);
      this.left = left;
      this.right = right;
    }

    @Override
    Value eval(Env env) {
      return Value.Bool.of(left.test(env) && right.test(env));
    }
  }

  static final class Or extends Node {
    final Node left;
    final Node right;

    Or(Node left, Node right, Span span, String text) {
      super(span, text);
      this.left = left;
      this.right = right;
    }

    @Override
    Value eval(Env env) {
      return Value.Bool.of(left.test(env) || right.test(env));
    }
  }

  static final class If extends Node {
    final Node condition;
    final Node then;
    final Node otherwise;

    If(Node condition, Node then, Node otherwise, Span span, String text) {
      super(span, text);
      this.condition = condition;
      this.then = then;
      this.otherwise = otherwise;
    }

    @Override
    Value eval(Env env) {
      return condition.test(env) ? then.eval(env) : otherwise.eval(env);
    }
  }

  static final class Eq extends Node {
    final Node left;
    final Node right;
    final boolean negate;

    Eq(Node left, Node right, boolean negate, Span span, String text) {
      super(span, text);
      this.left = left;
      this.right = right;
      this.negate = negate;
    }

    @Override
    Value eval(Env env) {
      return Value.Bool.of(Operators.equal(left.eval(env), right.eval(env)) != negate);
    }
  }

  /** {@code <}, {@code <=}, {@code >}, {@code >=}: numbers, times and durations. */
  static final class Compare extends Node {
    final Node left;
    final Node right;
    final int op; // 0 <, 1 <=, 2 >, 3 >=

    Compare(Node left, Node right, int op, Span span, String text) {
      super(span, text);
      this.left = left;
      this.right = right;
      this.op = op;
    }

    @Override
    Value eval(Env env) {
      int c = Operators.compare(left.eval(env), right.eval(env), this);
      boolean r = switch (op) {
        case 0 -> c < 0;
        case 1 -> c <= 0;
        case 2 -> c > 0;
        default -> c >= 0;
      };
      return Value.Bool.of(r);
    }
  }

  static final class Add extends Node {
    final Node left;
    final Node right;
    final boolean subtract;

    Add(Node left, Node right, boolean subtract, Span span, String text) {
      super(span, text);
      this.left = left;
      this.right = right;
      this.subtract = subtract;
    }

    @Override
    Value eval(Env env) {
      return Operators.add(left.eval(env), right.eval(env), subtract, this);
    }
  }

  /** {@code x in y}: set membership, or the entity hierarchy when entities are involved. */
  static final class In extends Node {
    final Node left;
    final Node right;

    In(Node left, Node right, Span span, String text) {
      super(span, text);
      this.left = left;
      this.right = right;
    }

    @Override
    Value eval(Env env) {
      return Value.Bool.of(Operators.in(env, left.eval(env), right.eval(env), this));
    }
  }

  /** {@code action in write}: membership in an action group, resolved at compile time. */
  static final class ActionIn extends Node {
    final Node left;
    final Set<String> members;

    ActionIn(Node left, Set<String> members, Span span, String text) {
      super(span, text);
      this.left = left;
      this.members = members;
    }

    @Override
    Value eval(Env env) {
      Value v = left.eval(env);
      if (v instanceof Value.Str s) {
        return Value.Bool.of(members.contains(s.value()));
      }
      throw error("`" + text + "` needs an action name on the left, found a " + v.kind());
    }
  }

  static final class Is extends Node {
    final Node target;
    final String type;
    final Node in;

    Is(Node target, String type, Node in, Span span, String text) {
      super(span, text);
      this.target = target;
      this.type = type;
      this.in = in;
    }

    @Override
    Value eval(Env env) {
      Value t = target.eval(env);
      if (!(t instanceof Value.Entity e)) {
        throw error("`" + text + "` needs an entity on the left, found a " + t.kind());
      }
      if (!e.uid().type().equals(type)) {
        return Value.Bool.FALSE;
      }
      return in == null ? Value.Bool.TRUE : Value.Bool.of(Operators.in(env, t, in.eval(env), this));
    }
  }

  /** {@code s like "pattern"}: {@code *} matches any run of characters; no backtracking blow-up. */
  static final class Like extends Node {
    final Node target;
    final dev.verdict.lang.types.LikePattern pattern;

    Like(Node target, String pattern, Span span, String text) {
      super(span, text);
      this.target = target;
      this.pattern = dev.verdict.lang.types.LikePattern.of(pattern);
    }

    @Override
    Value eval(Env env) {
      Value v = target.eval(env);
      if (!(v instanceof Value.Str s)) {
        throw error("`like` needs a String, found a " + v.kind());
      }
      return Value.Bool.of(matches(s.value()));
    }

    boolean matches(String s) {
      return pattern.matches(s);
    }
  }

  static BigDecimal num(Value v, Node at) {
    if (v instanceof Value.Num n) {
      return n.value();
    }
    throw at.error("`" + at.text + "` needs a Number, found a " + v.kind());
  }
}
