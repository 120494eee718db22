package dev.verdict.lang.reference;

import dev.verdict.lang.ast.Expr;
import dev.verdict.lang.data.EntityUid;
import java.math.BigDecimal;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A direct recursive interpreter of condition expressions over the AST, written from
 * LANGUAGE.md without looking at the planned evaluator: no constant folding, no planning,
 * every name looked up when it is met.
 */
final class RefInterpreter {
  private static final Pattern RFC3339 =
      Pattern.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d{1,9})?(Z|[+-]\\d{2}:\\d{2})");
  private static final Pattern IPV4 =
      Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
  private static final Pattern DURATION = Pattern.compile("(\\d+)(ms|s|m|h|d)");

  private final EntityUid principal;
  private final EntityUid resource;
  private final String action;
  private final Map<String, Object> context;
  private final RefEntities entities;
  private final Map<String, Set<String>> actionGroups;

  RefInterpreter(EntityUid principal, EntityUid resource, String action, Map<String, Object> context,
      RefEntities entities, Map<String, Set<String>> actionGroups) {
    this.principal = principal;
    this.resource = resource;
    this.action = action;
    this.context = context;
    this.entities = entities;
    this.actionGroups = actionGroups;
  }

  boolean test(Expr e) {
    return bool(eval(e));
  }

  private static boolean bool(Object v) {
    if (v instanceof Boolean b) {
      return b;
    }
    throw new RefError("not a Bool but a " + RefValues.kind(v));
  }

  Object eval(Expr e) {
    if (e instanceof Expr.StringLit s) {
      return s.value();
    } else if (e instanceof Expr.NumberLit n) {
      return n.value();
    } else if (e instanceof Expr.DurationLit d) {
      return new RefValues.Dur(d.value().toMillis());
    } else if (e instanceof Expr.BoolLit b) {
      return b.value();
    } else if (e instanceof Expr.EntityLit x) {
      return new EntityUid(x.type().name(), x.id());
    } else if (e instanceof Expr.Var v) {
      switch (v.kind()) {
        case PRINCIPAL:
          return principal;
        case RESOURCE:
          return resource;
        case CONTEXT:
          return context;
        default:
          return action;
      }
    } else if (e instanceof Expr.GetAttr g) {
      return attr(eval(g.target()), g.attr().name());
    } else if (e instanceof Expr.Index i) {
      Object t = eval(i.target());
      Object k = eval(i.index());
      if (k instanceof String s) {
        return attr(t, s);
      }
      throw new RefError("index is not a String");
    } else if (e instanceof Expr.ListLit l) {
      List<Object> items = new ArrayList<>();
      for (Expr x : l.items()) {
        items.add(eval(x));
      }
      return RefValues.SetVal.of(items);
    } else if (e instanceof Expr.RecordLit r) {
      Map<String, Object> out = new LinkedHashMap<>();
      for (Expr.Entry en : r.entries()) {
        out.put(en.key().name(), eval(en.value()));
      }
      return out;
    } else if (e instanceof Expr.Unary u) {
      Object v = eval(u.operand());
      if (u.op() == Expr.UnaryOp.NOT) {
        return !bool(v);
      }
      if (v instanceof BigDecimal n) {
        return n.negate();
      }
      if (v instanceof RefValues.Dur d) {
        return new RefValues.Dur(-d.millis());
      }
      throw new RefError("cannot negate a " + RefValues.kind(v));
    } else if (e instanceof Expr.Binary b) {
      return binary(b);
    } else if (e instanceof Expr.Is i) {
      Object t = eval(i.target());
      if (!(t instanceof EntityUid uid)) {
        throw new RefError("`is` on a " + RefValues.kind(t));
      }
      if (!uid.type().equals(i.type().name())) {
        return false;
      }
      return i.in().isEmpty() || in(uid, eval(i.in().get()));
    } else if (e instanceof Expr.Has h) {
      Object t = eval(h.target());
      String name = h.attr().name();
      if (t instanceof Map<?, ?> m) {
        return m.containsKey(name);
      }
      if (t instanceof EntityUid uid) {
        if (name.equals("id") || name.equals("type")) {
          return true;
        }
        if (!entities.known(uid)) {
          throw new RefError("no data for " + uid);
        }
        return entities.attr(uid, name) != null;
      }
      throw new RefError("`has` on a " + RefValues.kind(t));
    } else if (e instanceof Expr.Like l) {
      Object t = eval(l.target());
      if (t instanceof String s) {
        return glob(s, l.pattern().value());
      }
      throw new RefError("`like` on a " + RefValues.kind(t));
    } else if (e instanceof Expr.If i) {
      return test(i.condition()) ? eval(i.then()) : eval(i.otherwise());
    } else if (e instanceof Expr.NameRef n) {
      throw new RefError("bare name " + n.name().name());
    } else if (e instanceof Expr.Call c) {
      return call(c);
    }
    throw new IllegalStateException("unknown expression " + e);
  }

  private Object attr(Object target, String name) {
    if (target instanceof Map<?, ?> m) {
      Object v = m.get(name);
      if (v == null) {
        throw new RefError("record has no " + name);
      }
      return v;
    }
    if (target instanceof EntityUid uid) {
      Object v = entities.attr(uid, name);
      if (v != null) {
        return v;
      }
      if (name.equals("id")) {
        return uid.id();
      }
      if (name.equals("type")) {
        return uid.type();
      }
      if (name.equals("roles")) {
        return RefValues.SetVal.of(List.of());
      }
      throw new RefError(uid + " has no " + name);
    }
    throw new RefError("attribute of a " + RefValues.kind(target));
  }

  private Object binary(Expr.Binary b) {
    switch (b.op()) {
      case AND:
        return test(b.left()) && test(b.right());
      case OR:
        return test(b.left()) || test(b.right());
      default:
        break;
    }
    if (b.op() == Expr.BinaryOp.IN && b.right() instanceof Expr.NameRef ref) {
      Object v = eval(b.left());
      if (!(v instanceof String s)) {
        throw new RefError("`action in` needs a String");
      }
      String group = ref.name().name();
      return s.equals(group) || actionGroups.getOrDefault(group, Set.of()).contains(s);
    }
    Object l = eval(b.left());
    Object r = eval(b.right());
    switch (b.op()) {
      case EQ:
        return RefValues.eq(l, r);
      case NE:
        return !RefValues.eq(l, r);
      case LT:
        return compare(l, r) < 0;
      case LE:
        return compare(l, r) <= 0;
      case GT:
        return compare(l, r) > 0;
      case GE:
        return compare(l, r) >= 0;
      case IN:
        return in(l, r);
      case ADD:
        return add(l, r, false);
      default:
        return add(l, r, true);
    }
  }

  private static int compare(Object l, Object r) {
    if (l instanceof BigDecimal x && r instanceof BigDecimal y) {
      return x.compareTo(y);
    }
    if (l instanceof RefValues.Dur x && r instanceof RefValues.Dur y) {
      return Long.compare(x.millis(), y.millis());
    }
    Long a = time(l);
    Long c = time(r);
    if (a != null && c != null) {
      return Long.compare(a, c);
    }
    throw new RefError("cannot order a " + RefValues.kind(l) + " and a " + RefValues.kind(r));
  }

  private static Object add(Object l, Object r, boolean subtract) {
    if (l instanceof BigDecimal x && r instanceof BigDecimal y) {
      return subtract ? x.subtract(y) : x.add(y);
    }
    if (l instanceof RefValues.Dur x && r instanceof RefValues.Dur y) {
      return new RefValues.Dur(subtract ? x.millis() - y.millis() : x.millis() + y.millis());
    }
    Long t = time(l);
    if (t != null && r instanceof RefValues.Dur d) {
      return new RefValues.Time(subtract ? t - d.millis() : t + d.millis());
    }
    Long u = time(r);
    if (subtract && t != null && u != null) {
      return new RefValues.Dur(t - u);
    }
    throw new RefError("cannot add a " + RefValues.kind(l) + " and a " + RefValues.kind(r));
  }

  private boolean in(Object l, Object r) {
    if (r instanceof EntityUid target) {
      if (l instanceof EntityUid a) {
        return entities.isIn(a, target);
      }
      throw new RefError("only an entity is in an entity");
    }
    if (r instanceof RefValues.SetVal set) {
      if (l instanceof EntityUid a) {
        for (Object item : set.items()) {
          if (item instanceof EntityUid t && entities.isIn(a, t)) {
            return true;
          }
        }
        return false;
      }
      return RefValues.contains(set.items(), l);
    }
    throw new RefError("`in` needs a Set or an entity on the right");
  }

  /** {@code *} matches any run; {@code \*} is a literal star. Dynamic programming over both strings. */
  static boolean glob(String s, String pattern) {
    List<int[]> tokens = new ArrayList<>(); // {char} or {-1} for a star
    for (int i = 0; i < pattern.length(); i++) {
      char c = pattern.charAt(i);
      if (c == '\\' && i + 1 < pattern.length() && pattern.charAt(i + 1) == '*') {
        tokens.add(new int[] {'*'});
        i++;
      } else if (c == '*') {
        tokens.add(new int[] {-1});
      } else {
        tokens.add(new int[] {c});
      }
    }
    boolean[] can = new boolean[s.length() + 1];
    can[0] = true;
    for (int[] t : tokens) {
      boolean[] next = new boolean[s.length() + 1];
      for (int i = 0; i <= s.length(); i++) {
        if (t[0] == -1) {
          next[i] = can[i] || (i > 0 && next[i - 1]);
        } else {
          next[i] = i > 0 && can[i - 1] && s.charAt(i - 1) == t[0];
        }
      }
      can = next;
    }
    return can[s.length()];
  }

  // ---- built-in functions ----------------------------------------------------

  private Object call(Expr.Call c) {
    String f = c.function().name();
    List<Object> a = new ArrayList<>();
    for (Expr x : c.args()) {
      a.add(eval(x));
    }
    int n = a.size();
    if (f.equals("size") && n == 1) {
      Object v = a.get(0);
      if (v instanceof String s) {
        return BigDecimal.valueOf(s.codePoints().count());
      } else if (v instanceof RefValues.SetVal s) {
        return BigDecimal.valueOf(s.items().size());
      } else if (v instanceof Map<?, ?> m) {
        return BigDecimal.valueOf(m.size());
      }
      throw new RefError("size of a " + RefValues.kind(v));
    } else if (f.equals("lower") && n == 1) {
      return str(a.get(0)).toLowerCase(java.util.Locale.ROOT);
    } else if (f.equals("startsWith") && n == 2) {
      return str(a.get(0)).startsWith(str(a.get(1)));
    } else if (f.equals("endsWith") && n == 2) {
      return str(a.get(0)).endsWith(str(a.get(1)));
    } else if (f.equals("containsAll") && n == 2) {
      RefValues.SetVal left = set(a.get(0));
      for (Object x : set(a.get(1)).items()) {
        if (!RefValues.contains(left.items(), x)) {
          return false;
        }
      }
      return true;
    } else if (f.equals("containsAny") && n == 2) {
      RefValues.SetVal left = set(a.get(0));
      for (Object x : set(a.get(1)).items()) {
        if (RefValues.contains(left.items(), x)) {
          return true;
        }
      }
      return false;
    } else if (f.equals("ip") && n == 1) {
      return ip(a.get(0));
    } else if (f.equals("cidr") && n == 2) {
      byte[] addr = ip(a.get(0)).bytes();
      String range = str(a.get(1));
      int slash = range.indexOf('/');
      RefValues.Ip net = ipOrNull(slash < 0 ? range : range.substring(0, slash));
      if (net == null) {
        throw new RefError("not a range");
      }
      boolean v4 = IPV4.matcher(slash < 0 ? range : range.substring(0, slash)).matches();
      int prefix = v4 ? 32 : 128;
      if (slash >= 0) {
        String p = range.substring(slash + 1);
        if (!p.matches("\\d{1,3}") || Integer.parseInt(p) > prefix) {
          throw new RefError("not a range");
        }
        prefix = Integer.parseInt(p);
      }
      int bits = v4 ? prefix + 96 : prefix;
      for (int i = 0; i < bits; i++) {
        int mask = 0x80 >>> (i % 8);
        if ((addr[i / 8] & mask) != (net.bytes()[i / 8] & mask)) {
          return false;
        }
      }
      return true;
    } else if (f.equals("isLoopback") && n == 1) {
      byte[] b = ip(a.get(0)).bytes();
      if (mapped(b)) {
        return (b[12] & 0xff) == 127;
      }
      for (int i = 0; i < 15; i++) {
        if (b[i] != 0) {
          return false;
        }
      }
      return b[15] == 1;
    } else if (f.equals("isMulticast") && n == 1) {
      byte[] b = ip(a.get(0)).bytes();
      return mapped(b) ? (b[12] & 0xff) >= 224 && (b[12] & 0xff) <= 239 : (b[0] & 0xff) == 0xff;
    } else if (f.equals("duration") && n == 1) {
      return new RefValues.Dur(duration(str(a.get(0))));
    } else if (f.equals("time") && n == 1) {
      return new RefValues.Time(timeOf(a.get(0)));
    } else if (f.equals("hour") && n == 1) {
      return BigDecimal.valueOf(Instant.ofEpochMilli(timeOf(a.get(0))).atOffset(ZoneOffset.UTC).getHour());
    } else if (f.equals("weekday") && n == 1) {
      return BigDecimal.valueOf(Instant.ofEpochMilli(timeOf(a.get(0))).atOffset(ZoneOffset.UTC).getDayOfWeek().getValue());
    } else if (f.equals("before") && n == 2) {
      return timeOf(a.get(0)) < timeOf(a.get(1));
    } else if (f.equals("after") && n == 2) {
      return timeOf(a.get(0)) > timeOf(a.get(1));
    }
    throw new RefError("no function " + f + "/" + n);
  }

  private static String str(Object v) {
    if (v instanceof String s) {
      return s;
    }
    throw new RefError("not a String");
  }

  private static RefValues.SetVal set(Object v) {
    if (v instanceof RefValues.SetVal s) {
      return s;
    }
    throw new RefError("not a Set");
  }

  private static RefValues.Ip ip(Object v) {
    if (v instanceof RefValues.Ip ip) {
      return ip;
    }
    RefValues.Ip ip = ipOrNull(str(v));
    if (ip == null) {
      throw new RefError("not an IP address");
    }
    return ip;
  }

  private static boolean mapped(byte[] b) {
    for (int i = 0; i < 10; i++) {
      if (b[i] != 0) {
        return false;
      }
    }
    return (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
  }

  /** IPv4 dotted quads without leading zeros, or IPv6 text; never a host name, never DNS. */
  static RefValues.Ip ipOrNull(String s) {
    byte[] out = new byte[16];
    if (IPV4.matcher(s).matches()) {
      String[] parts = s.split("\\.");
      out[10] = (byte) 0xff;
      out[11] = (byte) 0xff;
      for (int i = 0; i < 4; i++) {
        out[12 + i] = (byte) Integer.parseInt(parts[i]);
      }
      return new RefValues.Ip(out);
    }
    if (!s.contains(":") || !s.matches("[0-9a-fA-F:.]+") || s.length() > 45) {
      return null;
    }
    int tail = s.lastIndexOf(':');
    if (s.indexOf('.') >= 0 && !IPV4.matcher(s.substring(tail + 1)).matches()) {
      return null;
    }
    try {
      byte[] b = InetAddress.getByName("[" + s + "]").getAddress();
      if (b.length == 4) {
        out[10] = (byte) 0xff;
        out[11] = (byte) 0xff;
        System.arraycopy(b, 0, out, 12, 4);
        return new RefValues.Ip(out);
      }
      return new RefValues.Ip(b);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  private static Long time(Object v) {
    if (v instanceof RefValues.Time t) {
      return t.millis();
    }
    if (v instanceof String s && RFC3339.matcher(s).matches()) {
      return OffsetDateTime.parse(s).toInstant().toEpochMilli();
    }
    return null;
  }

  private static long timeOf(Object v) {
    Long t = time(v);
    if (t == null) {
      throw new RefError("not a time");
    }
    return t;
  }

  private static long duration(String s) {
    String body = s.startsWith("-") || s.startsWith("+") ? s.substring(1) : s;
    Matcher m = DURATION.matcher(body);
    long total = 0;
    int at = 0;
    while (m.find() && m.start() == at) {
      long k = Long.parseLong(m.group(1));
      long unit = switch (m.group(2)) {
        case "ms" -> 1L;
        case "s" -> 1000L;
        case "m" -> 60_000L;
        case "h" -> 3_600_000L;
        default -> 86_400_000L;
      };
      total += k * unit;
      at = m.end();
    }
    if (body.isEmpty() || at != body.length()) {
      throw new RefError("not a duration");
    }
    return s.startsWith("-") ? -total : total;
  }
}
