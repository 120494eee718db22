package dev.verdict.lang.eval;

import dev.verdict.lang.source.Span;
import dev.verdict.lang.syntax.Literals;
import dev.verdict.lang.types.Builtin;
import dev.verdict.lang.types.IpAddress;
import dev.verdict.lang.types.IpRange;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.temporal.ChronoField;

/**
 * The built-in functions, planned into nodes. Constant arguments (an IP literal, a CIDR
 * range, a duration text) are parsed once at compile time.
 */
final class Functions {
  private Functions() {}

  /**
   * The node for a call. The functions and their arities are {@link Builtin}'s, the table the
   * checker uses too, so what checks is what runs; a call the checker would refuse fails closed.
   */
  static Node plan(String name, Node[] args, Span span, String text) {
    Builtin b = Builtin.lookup(name).orElse(null);
    if (b == null || b.arity() != args.length) {
      return new Failing("`" + name + "` with " + args.length + " arguments is not a built-in function", span, text);
    }
    Node n = switch (b) {
      case SIZE -> new Size(args[0], span, text);
      case LOWER -> new Lower(args[0], span, text);
      case STARTS_WITH -> new StringTest(args, true, span, text);
      case ENDS_WITH -> new StringTest(args, false, span, text);
      case CONTAINS -> new SetHas(args, span, text);
      case CONTAINS_ALL -> new Contains(args, true, span, text);
      case CONTAINS_ANY -> new Contains(args, false, span, text);
      case IP -> new IpOf(args[0], span, text);
      case CIDR -> new Cidr(args[0], args[1], span, text);
      case IS_LOOPBACK -> new IpKind(args[0], true, span, text);
      case IS_MULTICAST -> new IpKind(args[0], false, span, text);
      case DURATION -> new DurationOf(args[0], span, text);
      case TIME -> new TimeOf(args[0], span, text);
      case HOUR -> new TimeField(args[0], ChronoField.HOUR_OF_DAY, span, text);
      case MINUTE -> new TimeField(args[0], ChronoField.MINUTE_OF_HOUR, span, text);
      case SECOND -> new TimeField(args[0], ChronoField.SECOND_OF_MINUTE, span, text);
      case WEEKDAY -> new TimeField(args[0], ChronoField.DAY_OF_WEEK, span, text);
      case TO_TIME -> new DayPart(args[0], false, span, text);
      case TO_DATE -> new DayPart(args[0], true, span, text);
      case BEFORE -> new TimeOrder(args, true, span, text);
      case AFTER -> new TimeOrder(args, false, span, text);
    };
    return fold(n);
  }

  /** Evaluates a call whose arguments are all constant once, now. */
  private static Node fold(Node n) {
    if (n instanceof Call c && c.allConstant()) {
      try {
        return new Nodes.Const(n.eval(null), n.span, n.text);
      } catch (EvalException e) {
        return new Failing(e.getMessage(), n.span, n.text);
      }
    }
    return n;
  }

  /** A call that always fails: unknown function, or a constant argument that is invalid. */
  static final class Failing extends Node {
    private final String message;

    Failing(String message, Span span, String text) {
      super(span, text);
      this.message = message;
    }

    @Override
    Value eval(Env env) {
      throw error(message);
    }
  }

  abstract static class Call extends Node {
    final Node[] args;

    Call(Node[] args, Span span, String text) {
      super(span, text);
      this.args = args;
    }

    boolean allConstant() {
      for (Node a : args) {
        if (a.constant() == null) {
          return false;
        }
      }
      return true;
    }

    String str(Value v, int i) {
      if (v instanceof Value.Str s) {
        return s.value();
      }
      throw error("argument " + (i + 1) + " of `" + text + "` must be a String, found a " + v.kind());
    }

    Value.SetOf set(Value v, int i) {
      if (v instanceof Value.SetOf s) {
        return s;
      }
      throw error("argument " + (i + 1) + " of `" + text + "` must be a Set, found a " + v.kind());
    }

    byte[] ip(Value v, int i) {
      if (v instanceof Value.Ip ip) {
        return ip.raw();
      }
      if (v instanceof Value.Str s) {
        byte[] b = Values.parseIp(s.value());
        if (b != null) {
          return b;
        }
        throw error(EvalError.Kind.INVALID_VALUE, "argument " + (i + 1) + " of `" + text + "` is not an IP address: "
            + Values.display(v));
      }
      throw error("argument " + (i + 1) + " of `" + text + "` must be an Ip, found a " + v.kind());
    }

    long time(Value v, int i) {
      Long t = Operators.time(v);
      if (t == null) {
        throw error(EvalError.Kind.INVALID_VALUE, "argument " + (i + 1) + " of `" + text
            + "` is not an RFC 3339 time: " + Values.display(v));
      }
      return t;
    }
  }

  static final class Size extends Call {
    Size(Node a, Span span, String text) {
      super(new Node[] {a}, span, text);
    }

    @Override
    Value eval(Env env) {
      Value v = args[0].eval(env);
      if (v instanceof Value.Str s) {
        return Value.Num.of(s.value().codePointCount(0, s.value().length()));
      } else if (v instanceof Value.SetOf s) {
        return Value.Num.of(s.items().size());
      } else if (v instanceof Value.Rec r) {
        return Value.Num.of(r.fields().size());
      }
      throw error("`size` takes a String, a Set or a Record, found a " + v.kind());
    }
  }

  static final class Lower extends Call {
    Lower(Node a, Span span, String text) {
      super(new Node[] {a}, span, text);
    }

    @Override
    Value eval(Env env) {
      return new Value.Str(str(args[0].eval(env), 0).toLowerCase(java.util.Locale.ROOT));
    }
  }

  static final class StringTest extends Call {
    final boolean prefix;

    StringTest(Node[] args, boolean prefix, Span span, String text) {
      super(args, span, text);
      this.prefix = prefix;
    }

    @Override
    Value eval(Env env) {
      String s = str(args[0].eval(env), 0);
      String p = str(args[1].eval(env), 1);
      return Value.Bool.of(prefix ? s.startsWith(p) : s.endsWith(p));
    }
  }

  static final class Contains extends Call {
    final boolean all;

    Contains(Node[] args, boolean all, Span span, String text) {
      super(args, span, text);
      this.all = all;
    }

    @Override
    Value eval(Env env) {
      Value.SetOf a = set(args[0].eval(env), 0);
      Value.SetOf b = set(args[1].eval(env), 1);
      if (all) {
        return Value.Bool.of(a.items().containsAll(b.items()));
      }
      for (Value v : b.items()) {
        if (a.items().contains(v)) {
          return Value.Bool.TRUE;
        }
      }
      return Value.Bool.FALSE;
    }
  }

  /** {@code s.contains(x)}: exact membership, no entity hierarchy. */
  static final class SetHas extends Call {
    SetHas(Node[] args, Span span, String text) {
      super(args, span, text);
    }

    @Override
    Value eval(Env env) {
      Value.SetOf s = set(args[0].eval(env), 0);
      return Value.Bool.of(s.items().contains(args[1].eval(env)));
    }
  }

  static final class IpOf extends Call {
    IpOf(Node a, Span span, String text) {
      super(new Node[] {a}, span, text);
    }

    @Override
    Value eval(Env env) {
      Value v = args[0].eval(env);
      return v instanceof Value.Ip ? v : new Value.Ip(ip(v, 0));
    }
  }

  static final class Cidr extends Call {
    /** The range, parsed at compile time when it is a constant (it almost always is). */
    private final IpRange constantRange;

    Cidr(Node ip, Node range, Span span, String text) {
      super(new Node[] {ip, range}, span, text);
      this.constantRange = range.constant() instanceof Value.Str s ? IpRange.parse(s.value()).orElse(null) : null;
    }

    @Override
    Value eval(Env env) {
      IpAddress addr = IpAddress.of(ip(args[0].eval(env), 0));
      IpRange range = constantRange;
      if (range == null) {
        String r = str(args[1].eval(env), 1);
        range = IpRange.parse(r).orElseThrow(() -> error(EvalError.Kind.INVALID_VALUE, "`" + r
            + "` is not a CIDR range such as `10.0.0.0/8`"));
      }
      return Value.Bool.of(range.contains(addr));
    }
  }

  static final class IpKind extends Call {
    final boolean loopback;

    IpKind(Node a, boolean loopback, Span span, String text) {
      super(new Node[] {a}, span, text);
      this.loopback = loopback;
    }

    @Override
    Value eval(Env env) {
      IpAddress a = IpAddress.of(ip(args[0].eval(env), 0));
      return Value.Bool.of(loopback ? a.isLoopback() : a.isMulticast());
    }
  }

  static final class DurationOf extends Call {
    DurationOf(Node a, Span span, String text) {
      super(new Node[] {a}, span, text);
    }

    @Override
    Value eval(Env env) {
      Value v = args[0].eval(env);
      if (v instanceof Value.Dur) {
        return v;
      }
      String s = str(v, 0);
      Duration d = Literals.duration(s);
      if (d == null) {
        throw error(EvalError.Kind.INVALID_VALUE, "`" + s + "` is not a duration such as `90s`, `1h30m` or `-24h`");
      }
      return new Value.Dur(d.toMillis());
    }
  }

  static final class TimeOf extends Call {
    TimeOf(Node a, Span span, String text) {
      super(new Node[] {a}, span, text);
    }

    @Override
    Value eval(Env env) {
      Value v = args[0].eval(env);
      return v instanceof Value.Time ? v : new Value.Time(time(v, 0));
    }
  }

  /** One field of a time, read in UTC: the hour, minute, second or ISO day of the week. */
  static final class TimeField extends Call {
    final ChronoField field;

    TimeField(Node a, ChronoField field, Span span, String text) {
      super(new Node[] {a}, span, text);
      this.field = field;
    }

    @Override
    Value eval(Env env) {
      var t = Instant.ofEpochMilli(time(args[0].eval(env), 0)).atOffset(ZoneOffset.UTC);
      return Value.Num.of(t.get(field));
    }
  }

  /** A time split at midnight UTC: the day ({@code toDate}) or the time since it ({@code toTime}). */
  static final class DayPart extends Call {
    private static final long DAY = 86_400_000L;
    final boolean date;

    DayPart(Node a, boolean date, Span span, String text) {
      super(new Node[] {a}, span, text);
      this.date = date;
    }

    @Override
    Value eval(Env env) {
      long t = time(args[0].eval(env), 0);
      long sinceMidnight = Math.floorMod(t, DAY);
      return date ? new Value.Time(t - sinceMidnight) : new Value.Dur(sinceMidnight);
    }
  }

  static final class TimeOrder extends Call {
    final boolean before;

    TimeOrder(Node[] args, boolean before, Span span, String text) {
      super(args, span, text);
      this.before = before;
    }

    @Override
    Value eval(Env env) {
      long a = time(args[0].eval(env), 0);
      long b = time(args[1].eval(env), 1);
      return Value.Bool.of(before ? a < b : a > b);
    }
  }
}
