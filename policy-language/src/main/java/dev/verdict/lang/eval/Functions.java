package dev.verdict.lang.eval;

import dev.verdict.lang.source.Span;
import dev.verdict.lang.syntax.Literals;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

/**
 * The built-in functions, planned into nodes. Constant arguments (an IP literal, a CIDR
 * range, a duration text) are parsed once at compile time.
 */
final class Functions {
  private Functions() {}

  static Node plan(String name, Node[] args, Span span, String text) {
    Node n = switch (name) {
      case "size" -> arity(args, 1) ? new Size(args[0], span, text) : null;
      case "lower" -> arity(args, 1) ? new Lower(args[0], span, text) : null;
      case "startsWith" -> arity(args, 2) ? new StringTest(args, true, span, text) : null;
      case "endsWith" -> arity(args, 2) ? new StringTest(args, false, span, text) : null;
      case "containsAll" -> arity(args, 2) ? new Contains(args, true, span, text) : null;
      case "containsAny" -> arity(args, 2) ? new Contains(args, false, span, text) : null;
      case "ip" -> arity(args, 1) ? new IpOf(args[0], span, text) : null;
      case "cidr" -> arity(args, 2) ? new Cidr(args[0], args[1], span, text) : null;
      case "isLoopback" -> arity(args, 1) ? new IpKind(args[0], true, span, text) : null;
      case "isMulticast" -> arity(args, 1) ? new IpKind(args[0], false, span, text) : null;
      case "duration" -> arity(args, 1) ? new DurationOf(args[0], span, text) : null;
      case "time" -> arity(args, 1) ? new TimeOf(args[0], span, text) : null;
      case "hour" -> arity(args, 1) ? new TimeField(args[0], true, span, text) : null;
      case "weekday" -> arity(args, 1) ? new TimeField(args[0], false, span, text) : null;
      case "before" -> arity(args, 2) ? new TimeOrder(args, true, span, text) : null;
      case "after" -> arity(args, 2) ? new TimeOrder(args, false, span, text) : null;
      default -> null;
    };
    if (n == null) {
      return new Failing("`" + name + "` with " + args.length + " arguments is not a built-in function", span, text);
    }
    return fold(n);
  }

  private static boolean arity(Node[] args, int n) {
    return args.length == n;
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

  private abstract static class Call extends Node {
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
        throw error("argument " + (i + 1) + " of `" + text + "` is not an IP address: " + Values.display(v));
      }
      throw error("argument " + (i + 1) + " of `" + text + "` must be an Ip, found a " + v.kind());
    }

    long time(Value v, int i) {
      Long t = Operators.time(v);
      if (t == null) {
        throw error("argument " + (i + 1) + " of `" + text + "` is not an RFC 3339 time: " + Values.display(v));
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
    private final byte[] net;
    private final int prefix;

    Cidr(Node ip, Node range, Span span, String text) {
      super(new Node[] {ip, range}, span, text);
      Object[] parsed = range.constant() instanceof Value.Str s ? Values.parseCidr(s.value()) : null;
      this.net = parsed == null ? null : (byte[]) parsed[0];
      this.prefix = parsed == null ? -1 : (Integer) parsed[1];
    }

    @Override
    Value eval(Env env) {
      byte[] addr = ip(args[0].eval(env), 0);
      byte[] n = net;
      int p = prefix;
      if (n == null) {
        String r = str(args[1].eval(env), 1);
        Object[] parsed = Values.parseCidr(r);
        if (parsed == null) {
          throw error("`" + r + "` is not a CIDR range such as `10.0.0.0/8`");
        }
        n = (byte[]) parsed[0];
        p = (Integer) parsed[1];
      }
      return Value.Bool.of(Values.inRange(addr, n, p));
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
      byte[] a = Values.unmap(ip(args[0].eval(env), 0));
      if (loopback) {
        if (a.length == 4) {
          return Value.Bool.of((a[0] & 0xff) == 127);
        }
        for (int i = 0; i < 15; i++) {
          if (a[i] != 0) {
            return Value.Bool.FALSE;
          }
        }
        return Value.Bool.of(a[15] == 1);
      }
      return Value.Bool.of(a.length == 4 ? (a[0] & 0xf0) == 0xe0 : (a[0] & 0xff) == 0xff);
    }
  }

  static final class DurationOf extends Call {
    DurationOf(Node a, Span span, String text) {
      super(new Node[] {a}, span, text);
    }

    @Override
    Value eval(Env env) {
      String s = str(args[0].eval(env), 0);
      Duration d = Literals.duration(s);
      if (d == null) {
        throw error("`" + s + "` is not a duration such as `90s`, `1h30m` or `-24h`");
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

  static final class TimeField extends Call {
    final boolean hour;

    TimeField(Node a, boolean hour, Span span, String text) {
      super(new Node[] {a}, span, text);
      this.hour = hour;
    }

    @Override
    Value eval(Env env) {
      var t = Instant.ofEpochMilli(time(args[0].eval(env), 0)).atOffset(ZoneOffset.UTC);
      return Value.Num.of(hour ? t.getHour() : t.getDayOfWeek().getValue());
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
