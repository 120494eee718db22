package dev.verdict.lang.plan;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.Values;
import dev.verdict.lang.syntax.Literals;
import java.util.ArrayList;
import java.util.List;

/**
 * A filter as people read it, close to the policy language: {@code resource.tenant == "bank1"
 * and (resource.owner == "alice" or resource in Folder::"f1")}. For {@code verdict plan}'s text
 * output; programs read {@link PlanJson}.
 */
public final class FilterText {
  private FilterText() {}

  public static String of(Filter f) {
    return text(f, 0);
  }

  /** {@code context}: 0 top, 1 inside and, 2 inside or/not (where an and needs parentheses too). */
  private static String text(Filter f, int context) {
    if (f instanceof Filter.Const c) {
      return String.valueOf(c.value());
    } else if (f instanceof Filter.And a) {
      String s = join(a.args(), " and ", 1);
      return context >= 2 ? "(" + s + ")" : s;
    } else if (f instanceof Filter.Or o) {
      String s = join(o.args(), " or ", 2);
      return context >= 1 ? "(" + s + ")" : s;
    } else if (f instanceof Filter.Not n) {
      return "not " + (isAtom(n.arg()) ? "(" + text(n.arg(), 0) + ")" : text(n.arg(), 2));
    } else if (f instanceof Filter.Compare c) {
      return path(c.path()) + " " + c.op().symbol() + " " + Values.display(c.value());
    } else if (f instanceof Filter.In in) {
      return path(in.path()) + (in.negated() ? " not in " : " in ") + list(in.values());
    } else if (f instanceof Filter.Contains c) {
      return path(c.path()) + (c.negated() ? " holds none of " : " holds one of ") + list(c.values());
    } else if (f instanceof Filter.Has h) {
      return "resource has " + h.name();
    } else if (f instanceof Filter.Like l) {
      return path(l.path()) + (l.negated() ? " not like " : " like ") + Literals.quote(l.pattern());
    } else if (f instanceof Filter.Under u) {
      List<String> es = new ArrayList<>();
      for (EntityUid e : u.entities()) {
        es.add(e.toString());
      }
      return "resource in " + (es.size() == 1 ? es.get(0) : "[" + String.join(", ", es) + "]");
    }
    throw new IllegalArgumentException("unknown filter " + f);
  }

  private static boolean isAtom(Filter f) {
    return !(f instanceof Filter.And || f instanceof Filter.Or || f instanceof Filter.Not || f instanceof Filter.Const);
  }

  private static String join(List<Filter> args, String op, int context) {
    List<String> parts = new ArrayList<>();
    for (Filter a : args) {
      parts.add(text(a, context));
    }
    return String.join(op, parts);
  }

  private static String path(List<String> path) {
    return "resource." + String.join(".", path);
  }

  private static String list(List<Value> values) {
    List<String> parts = new ArrayList<>();
    for (Value v : values) {
      parts.add(Values.display(v));
    }
    return "[" + String.join(", ", parts) + "]";
  }
}
