package dev.verdict.lang.plan;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Entities;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.Values;
import java.util.List;
import java.util.Set;

/**
 * Evaluates a filter on one resource in memory, reading attribute paths as a policy reads
 * {@code resource.<path>}: the resource's own data first, then the entity data for it and for
 * any entity a path steps into. This is the filter language's reference semantics; the server's
 * resource search uses it over the entity data it holds.
 */
public final class FilterMatcher {
  private static final Value.SetOf EMPTY = new Value.SetOf(Set.of());

  private final Entities graph;
  private final EntityData principal;

  /**
   * @param graph the entity data
   * @param principal the principal the plan was made for: a path that steps into it reads its
   *     data as the decision's request states it, before the entity data
   */
  public FilterMatcher(Entities graph, EntityData principal) {
    this.graph = graph;
    this.principal = principal;
  }

  public boolean matches(Filter f, EntityData resource) {
    if (f instanceof Filter.Const c) {
      return c.value();
    } else if (f instanceof Filter.And a) {
      for (Filter x : a.args()) {
        if (!matches(x, resource)) {
          return false;
        }
      }
      return true;
    } else if (f instanceof Filter.Or o) {
      for (Filter x : o.args()) {
        if (matches(x, resource)) {
          return true;
        }
      }
      return false;
    } else if (f instanceof Filter.Not n) {
      return !matches(n.arg(), resource);
    } else if (f instanceof Filter.Compare c) {
      Value v = read(resource, c.path());
      return v != null && compare(c.op(), v, c.value());
    } else if (f instanceof Filter.In in) {
      Value v = read(resource, in.path());
      return v != null && in.values().contains(v) != in.negated();
    } else if (f instanceof Filter.Contains c) {
      Value v = read(resource, c.path());
      if (v instanceof Value.SetOf s) {
        boolean hit = false;
        for (Value x : c.values()) {
          hit |= s.items().contains(x);
        }
        return hit != c.negated();
      }
      if (v instanceof Value.Entity && !c.values().isEmpty() && c.values().get(0) instanceof Value.Entity) {
        return c.values().contains(v) != c.negated();
      }
      return false;
    } else if (f instanceof Filter.Has h) {
      return attr(resource, resource.uid(), h.name()) != null;
    } else if (f instanceof Filter.Like l) {
      Value v = read(resource, l.path());
      return v instanceof Value.Str s && dev.verdict.lang.types.LikePattern.of(l.pattern()).matches(s.value()) != l.negated();
    } else if (f instanceof Filter.Under u) {
      return under(resource, u.entities());
    }
    throw new IllegalArgumentException("unknown filter " + f);
  }

  private boolean under(EntityData resource, List<EntityUid> targets) {
    if (targets.contains(resource.uid())) {
      return true;
    }
    List<EntityUid> parents;
    if (resource.parentsGiven()) {
      parents = resource.parents();
    } else {
      EntityData known = graph.get(resource.uid());
      parents = known == null ? List.of() : known.parents();
    }
    for (EntityUid p : parents) {
      if (targets.contains(p)) {
        return true;
      }
      for (EntityUid a : graph.ancestors(p)) {
        if (targets.contains(a)) {
          return true;
        }
      }
    }
    return false;
  }

  /** The value at {@code path}, or null where a policy's read would be an error. */
  private Value read(EntityData resource, List<String> path) {
    Value cur = attrOrBuiltin(resource, resource.uid(), path.get(0));
    for (int i = 1; i < path.size() && cur != null; i++) {
      if (cur instanceof Value.Rec r) {
        cur = r.fields().get(path.get(i));
      } else if (cur instanceof Value.Entity e) {
        cur = attrOrBuiltin(resource, e.uid(), path.get(i));
      } else {
        cur = null;
      }
    }
    return cur;
  }

  private Value attrOrBuiltin(EntityData resource, EntityUid uid, String name) {
    Value v = attr(resource, uid, name);
    if (v != null) {
      return v;
    }
    return switch (name) {
      case "id" -> new Value.Str(uid.id());
      case "type" -> new Value.Str(uid.type());
      case "roles" -> EMPTY;
      default -> null;
    };
  }

  private Value attr(EntityData resource, EntityUid uid, String name) {
    if (uid.equals(resource.uid())) {
      Value v = resource.attrs().get(name);
      if (v != null) {
        return v;
      }
    } else if (principal != null && uid.equals(principal.uid())) {
      Value v = principal.attrs().get(name);
      if (v != null) {
        return v;
      }
    }
    EntityData known = graph.get(uid);
    return known == null ? null : known.attrs().get(name);
  }

  private static boolean compare(Filter.Op op, Value a, Value b) {
    if (op == Filter.Op.EQ) {
      return a.equals(b);
    }
    if (op == Filter.Op.NE) {
      return !a.equals(b);
    }
    Integer c = order(a, b);
    if (c == null) {
      return false;
    }
    return switch (op) {
      case LT -> c < 0;
      case LE -> c <= 0;
      case GT -> c > 0;
      default -> c >= 0;
    };
  }

  /** As a policy orders values: two Numbers, two Durations or two Times; null otherwise. */
  private static Integer order(Value a, Value b) {
    if (a instanceof Value.Num x && b instanceof Value.Num y) {
      return x.value().compareTo(y.value());
    }
    if (a instanceof Value.Dur x && b instanceof Value.Dur y) {
      return Long.compare(x.millis(), y.millis());
    }
    Long ta = time(a);
    Long tb = time(b);
    return ta != null && tb != null ? Long.compare(ta, tb) : null;
  }

  private static Long time(Value v) {
    if (v instanceof Value.Time t) {
      return t.epochMillis();
    }
    return v instanceof Value.Str s ? Values.parseTime(s.value()) : null;
  }
}
