package dev.verdict.lang.plan;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Value;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;

/**
 * The condition on a resource under which a plan allows: a small boolean formula over the
 * resource's attribute paths. Every atom is two-valued: an atom whose path cannot be read, or
 * reads a value of the wrong kind, is simply false, so {@code not} is exact (the planner has
 * already turned what would be an evaluation error into the fail-closed outcome). Build
 * formulas with {@link #and}, {@link #or} and {@link #not}, which fold constants.
 *
 * <p>A path is what {@code resource.<path>} reads in a policy: records and entity references
 * are stepped into, {@code id} is the resource's id when no attribute of that name exists.
 */
public sealed interface Filter {

  Filter TRUE = new Const(true);
  Filter FALSE = new Const(false);

  /** The number of nodes, to bound what a plan may grow to. */
  int size();

  record Const(boolean value) implements Filter {
    @Override
    public int size() {
      return 1;
    }
  }

  record And(List<Filter> args) implements Filter {
    public And {
      args = List.copyOf(args);
    }

    @Override
    public int size() {
      return 1 + args.stream().mapToInt(Filter::size).sum();
    }
  }

  record Or(List<Filter> args) implements Filter {
    public Or {
      args = List.copyOf(args);
    }

    @Override
    public int size() {
      return 1 + args.stream().mapToInt(Filter::size).sum();
    }
  }

  record Not(Filter arg) implements Filter {
    public Not {
      Objects.requireNonNull(arg, "arg is null");
    }

    @Override
    public int size() {
      return 1 + arg.size();
    }
  }

  /** The comparison operators; each has the complement that holds when it does not (both readable). */
  enum Op {
    EQ("=="), NE("!="), LT("<"), LE("<="), GT(">"), GE(">=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    public String symbol() {
      return symbol;
    }

    public Op complement() {
      return switch (this) {
        case EQ -> NE;
        case NE -> EQ;
        case LT -> GE;
        case LE -> GT;
        case GT -> LE;
        case GE -> LT;
      };
    }

    /** The same relation with its sides swapped: {@code 5 < x} is {@code x > 5}. */
    public Op flipped() {
      return switch (this) {
        case EQ, NE -> this;
        case LT -> GT;
        case LE -> GE;
        case GT -> LT;
        case GE -> LE;
      };
    }
  }

  /**
   * {@code path op value}. {@code ==} and {@code !=} need the path readable (values of different
   * kinds are unequal); the orderings also need two Numbers, two Durations or two Times (RFC 3339
   * strings count as times).
   */
  record Compare(Op op, List<String> path, Value value) implements Filter {
    public Compare {
      Objects.requireNonNull(op, "op is null");
      path = List.copyOf(path);
      Objects.requireNonNull(value, "value is null");
    }

    @Override
    public int size() {
      return 1;
    }
  }

  /** The value at {@code path} is one of {@code values} ({@code negated}: readable and none of them). */
  record In(List<String> path, List<Value> values, boolean negated) implements Filter {
    public In {
      path = List.copyOf(path);
      values = List.copyOf(values);
    }

    @Override
    public int size() {
      return 1;
    }
  }

  /**
   * The value at {@code path}, a set, holds one of {@code values}; or, when the values are
   * entities, it is one of them ({@code principal in resource.editors} with the principal and its
   * ancestors as the values). {@code negated}: readable as such a set or entity, and holds none.
   */
  record Contains(List<String> path, List<Value> values, boolean negated) implements Filter {
    public Contains {
      path = List.copyOf(path);
      values = List.copyOf(values);
    }

    @Override
    public int size() {
      return 1;
    }
  }

  /** The resource has the attribute {@code name} (top level). */
  record Has(String name) implements Filter {
    public Has {
      Objects.requireNonNull(name, "name is null");
    }

    @Override
    public int size() {
      return 1;
    }
  }

  /**
   * The value at {@code path} is a String matching {@code pattern}, where {@code *} is any run of
   * characters and {@code \*} a star ({@code negated}: a String that does not match).
   */
  record Like(List<String> path, String pattern, boolean negated) implements Filter {
    public Like {
      path = List.copyOf(path);
      Objects.requireNonNull(pattern, "pattern is null");
    }

    @Override
    public int size() {
      return 1;
    }
  }

  /**
   * Ancestor membership: the resource is one of {@code entities} or has one of them among its
   * ancestors (its parents, their parents, … in the entity data).
   */
  record Under(List<EntityUid> entities) implements Filter {
    public Under {
      entities = List.copyOf(entities);
    }

    @Override
    public int size() {
      return 1;
    }
  }

  static Filter and(Filter a, Filter b) {
    return and(List.of(a, b));
  }

  /** A conjunction with constants folded, nested conjunctions flattened and duplicates dropped. */
  static Filter and(List<Filter> parts) {
    LinkedHashSet<Filter> out = new LinkedHashSet<>();
    for (Filter f : parts) {
      if (f.equals(FALSE)) {
        return FALSE;
      }
      if (f instanceof And a) {
        out.addAll(a.args());
      } else if (!f.equals(TRUE)) {
        out.add(f);
      }
    }
    for (Filter f : out) {
      if (out.contains(negate(f))) {
        return FALSE;
      }
    }
    return out.isEmpty() ? TRUE : out.size() == 1 ? out.iterator().next() : new And(new ArrayList<>(out));
  }

  static Filter or(Filter a, Filter b) {
    return or(List.of(a, b));
  }

  /** A disjunction with constants folded, nested disjunctions flattened and duplicates dropped. */
  static Filter or(List<Filter> parts) {
    LinkedHashSet<Filter> out = new LinkedHashSet<>();
    for (Filter f : parts) {
      if (f.equals(TRUE)) {
        return TRUE;
      }
      if (f instanceof Or o) {
        out.addAll(o.args());
      } else if (!f.equals(FALSE)) {
        out.add(f);
      }
    }
    for (Filter f : out) {
      if (out.contains(negate(f))) {
        return TRUE;
      }
    }
    return out.isEmpty() ? FALSE : out.size() == 1 ? out.iterator().next() : new Or(new ArrayList<>(out));
  }

  /** The negation, with constants and double negations folded. */
  static Filter not(Filter f) {
    return negate(f);
  }

  private static Filter negate(Filter f) {
    if (f instanceof Const c) {
      return c.value() ? FALSE : TRUE;
    }
    if (f instanceof Not n) {
      return n.arg();
    }
    return new Not(f);
  }
}
