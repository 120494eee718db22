package dev.verdict.lang.eval;

import dev.verdict.lang.types.Times;


/** Equality, ordering, arithmetic and membership over values, with fail-closed errors. */
final class Operators {
  private Operators() {}

  /** Value equality; values of different kinds are simply unequal. */
  static boolean equal(Value a, Value b) {
    return a.equals(b);
  }

  static int compare(Value a, Value b, Node at) {
    if (a instanceof Value.Num x && b instanceof Value.Num y) {
      return x.value().compareTo(y.value());
    }
    if (a instanceof Value.Dur x && b instanceof Value.Dur y) {
      return Long.compare(x.millis(), y.millis());
    }
    long ta = millis(a);
    long tb = millis(b);
    if (ta != Times.NOT_A_TIME && tb != Times.NOT_A_TIME) {
      return Long.compare(ta, tb);
    }
    Long sa = time(a);
    Long sb = time(b);
    if (sa != null && sb != null) {
      // the one instant whose milliseconds are the marker itself
      return Long.compare(sa, sb);
    }
    throw at.error("`" + at.text + "` compares a " + describe(a) + " with a " + describe(b)
        + "; ordering needs two Numbers, two Durations or two Times");
  }

  /** {@link #time} without boxing: {@link Times#NOT_A_TIME} when {@code v} is not a time. */
  private static long millis(Value v) {
    if (v instanceof Value.Time t) {
      return t.epochMillis();
    }
    return v instanceof Value.Str s ? Times.epochMillis(s.value()) : Times.NOT_A_TIME;
  }

  /** A Time, or a String holding an RFC 3339 time (times arrive as strings in JSON). */
  static Long time(Value v) {
    if (v instanceof Value.Time t) {
      return t.epochMillis();
    }
    if (v instanceof Value.Str s) {
      return Values.parseTime(s.value());
    }
    return null;
  }

  private static String describe(Value v) {
    if (v instanceof Value.Str s && Values.parseTime(s.value()) == null) {
      return "String that is not an RFC 3339 time";
    }
    return v.kind();
  }

  static Value add(Value a, Value b, boolean subtract, Node at) {
    if (a instanceof Value.Num x && b instanceof Value.Num y) {
      return new Value.Num(subtract ? x.value().subtract(y.value()) : x.value().add(y.value()));
    }
    if (a instanceof Value.Dur x && b instanceof Value.Dur y) {
      return new Value.Dur(subtract ? Math.subtractExact(x.millis(), y.millis()) : Math.addExact(x.millis(), y.millis()));
    }
    Long t = time(a);
    if (t != null && b instanceof Value.Dur d) {
      try {
        return new Value.Time(subtract ? Math.subtractExact(t, d.millis()) : Math.addExact(t, d.millis()));
      } catch (ArithmeticException e) {
        throw at.error(EvalError.Kind.OUT_OF_RANGE, "`" + at.text + "` is out of the range of times");
      }
    }
    Long tb = time(b);
    if (!subtract && a instanceof Value.Dur d && tb != null) {
      try {
        return new Value.Time(Math.addExact(tb, d.millis()));
      } catch (ArithmeticException e) {
        throw at.error(EvalError.Kind.OUT_OF_RANGE, "`" + at.text + "` is out of the range of times");
      }
    }
    if (subtract) {
      if (t != null && tb != null) {
        return new Value.Dur(t - tb);
      }
    }
    throw at.error("`" + (subtract ? "-" : "+") + "` cannot combine a " + a.kind() + " and a " + b.kind()
        + "; it takes two Numbers, two Durations, or a Time and a Duration");
  }

  /** {@code a in b}. */
  static boolean in(Env env, Value a, Value b, Node at) {
    if (b instanceof Value.Entity target) {
      if (a instanceof Value.Entity e) {
        return env.isIn(e.uid(), target.uid(), at.span);
      }
      throw at.error("`" + at.text + "`: only an entity can be `in` an entity, found a " + a.kind());
    }
    if (b instanceof Value.SetOf set) {
      if (a instanceof Value.Entity e) {
        for (Value item : set.items()) {
          if (item instanceof Value.Entity t && env.isIn(e.uid(), t.uid(), at.span)) {
            return true;
          }
        }
        return false;
      }
      return set.items().contains(a);
    }
    throw at.error("`" + at.text + "`: the right side of `in` must be a Set or an entity, found a " + b.kind());
  }

}
