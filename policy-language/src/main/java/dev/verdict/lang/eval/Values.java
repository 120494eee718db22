package dev.verdict.lang.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.data.EntityUid;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Conversions between values, JSON and text: JSON input, RFC 3339 times, IP addresses. */
public final class Values {
  /** Nesting of JSON values accepted as attributes. */
  public static final int MAX_DEPTH = 32;

  private Values() {}

  /** Thrown by {@link #fromJson} with the JSON path of the offending value. */
  public static final class JsonValueException extends Exception {
    private final String path;

    JsonValueException(String path, String message) {
      super(message, null, false, false);
      this.path = path;
    }

    public String path() {
      return path;
    }
  }

  /**
   * A JSON value as a {@link Value}: arrays become sets, {@code {"__entity": {"type","id"}}}
   * an entity reference, other objects records. JSON null is refused (leave the attribute out).
   */
  public static Value fromJson(JsonNode node, String path) throws JsonValueException {
    return fromJson(node, path, 0);
  }

  private static Value fromJson(JsonNode node, String path, int depth) throws JsonValueException {
    if (depth > MAX_DEPTH) {
      throw new JsonValueException(path, "value nested more than " + MAX_DEPTH + " levels deep");
    }
    if (node.isTextual()) {
      return new Value.Str(node.textValue());
    } else if (node.isNumber()) {
      if (node.isFloatingPointNumber() && !Double.isFinite(node.doubleValue()) && !node.isBigDecimal()) {
        throw new JsonValueException(path, "number is not finite");
      }
      return new Value.Num(node.decimalValue());
    } else if (node.isBoolean()) {
      return Value.Bool.of(node.booleanValue());
    } else if (node.isArray()) {
      Set<Value> items = new LinkedHashSet<>();
      int i = 0;
      for (JsonNode item : node) {
        items.add(fromJson(item, path + "[" + i++ + "]", depth + 1));
      }
      return new Value.SetOf(items);
    } else if (node.isObject()) {
      JsonNode ref = node.get("__entity");
      if (ref != null && node.size() == 1) {
        return new Value.Entity(uid(ref, path + ".__entity"));
      }
      Map<String, Value> fields = new LinkedHashMap<>();
      Iterator<Map.Entry<String, JsonNode>> it = node.fields();
      while (it.hasNext()) {
        Map.Entry<String, JsonNode> e = it.next();
        if (e.getValue().isNull()) {
          continue;
        }
        fields.put(e.getKey(), fromJson(e.getValue(), path + "." + e.getKey(), depth + 1));
      }
      return new Value.Rec(fields);
    } else if (node.isNull() || node.isMissingNode()) {
      throw new JsonValueException(path, "null is not a value; leave the attribute out instead");
    }
    throw new JsonValueException(path, "unsupported JSON value");
  }

  /** {@code {"type": "Group", "id": "eng"}} as a uid. */
  public static EntityUid uid(JsonNode node, String path) throws JsonValueException {
    if (node == null || !node.isObject()) {
      throw new JsonValueException(path, "expected an entity reference {\"type\": …, \"id\": …}");
    }
    JsonNode type = node.get("type");
    JsonNode id = node.get("id");
    if (type == null || !type.isTextual() || type.textValue().isEmpty()) {
      throw new JsonValueException(path + ".type", "entity reference needs a non-empty string `type`");
    }
    if (id == null || !id.isTextual()) {
      throw new JsonValueException(path + ".id", "entity reference needs a string `id`");
    }
    return new EntityUid(type.textValue(), id.textValue());
  }

  /** A value as JSON (sets as arrays in a stable order, times as RFC 3339, IPs as text). */
  public static JsonNode toJson(Value v) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    if (v instanceof Value.Str s) {
      return f.textNode(s.value());
    } else if (v instanceof Value.Num n) {
      return f.numberNode(n.value());
    } else if (v instanceof Value.Bool b) {
      return f.booleanNode(b.value());
    } else if (v instanceof Value.SetOf s) {
      ArrayNode arr = f.arrayNode();
      sorted(s).forEach(x -> arr.add(toJson(x)));
      return arr;
    } else if (v instanceof Value.Rec r) {
      ObjectNode o = f.objectNode();
      new TreeMap<>(r.fields()).forEach((k, x) -> o.set(k, toJson(x)));
      return o;
    } else if (v instanceof Value.Entity e) {
      ObjectNode o = f.objectNode();
      ObjectNode ref = o.putObject("__entity");
      ref.put("type", e.uid().type());
      ref.put("id", e.uid().id());
      return o;
    } else if (v instanceof Value.Ip ip) {
      return f.textNode(formatIp(ip.raw()));
    } else if (v instanceof Value.Time t) {
      return f.textNode(Instant.ofEpochMilli(t.epochMillis()).toString());
    }
    return f.textNode(formatDuration(((Value.Dur) v).millis()));
  }

  /** A value as users read it in traces and messages: {@code "alice"}, {@code 10.5}, {@code ["a", "b"]}. */
  public static String display(Value v) {
    if (v instanceof Value.Str s) {
      return dev.verdict.lang.syntax.Literals.quote(s.value());
    } else if (v instanceof Value.Num n) {
      return n.value().toPlainString();
    } else if (v instanceof Value.Bool b) {
      return String.valueOf(b.value());
    } else if (v instanceof Value.SetOf s) {
      List<String> parts = new ArrayList<>();
      for (Value x : sorted(s)) {
        parts.add(display(x));
      }
      return "[" + String.join(", ", parts) + "]";
    } else if (v instanceof Value.Rec r) {
      List<String> parts = new ArrayList<>();
      new TreeMap<>(r.fields()).forEach((k, x) -> parts.add(k + ": " + display(x)));
      return "{" + String.join(", ", parts) + "}";
    } else if (v instanceof Value.Entity e) {
      return e.uid().toString();
    } else if (v instanceof Value.Ip ip) {
      return "ip(\"" + formatIp(ip.raw()) + "\")";
    } else if (v instanceof Value.Time t) {
      return "time(\"" + Instant.ofEpochMilli(t.epochMillis()) + "\")";
    }
    return formatDuration(((Value.Dur) v).millis());
  }

  private static List<Value> sorted(Value.SetOf s) {
    List<Value> items = new ArrayList<>(s.items());
    items.sort((a, b) -> display(a).compareTo(display(b)));
    return items;
  }

  /** An RFC 3339 date-time in epoch milliseconds, or null when it is not one. */
  public static Long parseTime(String s) {
    if (s == null || s.length() < 20 || s.length() > 40) {
      return null;
    }
    try {
      return OffsetDateTime.parse(s, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  public static String formatDuration(long millis) {
    StringBuilder b = new StringBuilder();
    long m = millis;
    if (m < 0) {
      b.append('-');
      m = -m;
    }
    if (m == 0) {
      return "0s";
    }
    long[] units = {86_400_000L, 3_600_000L, 60_000L, 1000L, 1L};
    String[] names = {"d", "h", "m", "s", "ms"};
    for (int i = 0; i < units.length; i++) {
      if (m >= units[i]) {
        b.append(m / units[i]).append(names[i]);
        m %= units[i];
      }
    }
    return b.toString();
  }

  /** An IPv4 or IPv6 literal as bytes, or null when it is not one. Never does a DNS lookup. */
  public static byte[] parseIp(String s) {
    if (s == null || s.isEmpty() || s.length() > 45) {
      return null;
    }
    return s.indexOf(':') >= 0 ? parseIpv6(s) : parseIpv4(s);
  }

  private static byte[] parseIpv4(String s) {
    byte[] out = new byte[4];
    int part = 0;
    int value = -1;
    int digits = 0;
    for (int i = 0; i <= s.length(); i++) {
      char c = i < s.length() ? s.charAt(i) : '.';
      if (c >= '0' && c <= '9') {
        if (digits > 0 && value == 0) {
          return null; // no leading zeros: 010 is ambiguous (octal in some parsers)
        }
        value = (value < 0 ? 0 : value) * 10 + (c - '0');
        if (++digits > 3 || value > 255) {
          return null;
        }
      } else if (c == '.') {
        if (value < 0 || part > 3) {
          return null;
        }
        out[part++] = (byte) value;
        value = -1;
        digits = 0;
      } else {
        return null;
      }
    }
    return part == 4 ? out : null;
  }

  private static byte[] parseIpv6(String s) {
    int zone = s.indexOf('%');
    if (zone >= 0) {
      return null;
    }
    String[] halves = s.split("::", -1);
    if (halves.length > 2) {
      return null;
    }
    List<Integer> head = groups(halves[0]);
    List<Integer> tail = halves.length == 2 ? groups(halves[1]) : List.of();
    if (head == null || tail == null) {
      return null;
    }
    int total = count(head) + count(tail);
    if (halves.length == 1 ? total != 16 : total > 14) {
      return null;
    }
    byte[] out = new byte[16];
    int pos = 0;
    pos = write(head, out, pos);
    pos = 16 - count(tail);
    write(tail, out, pos);
    return out;
  }

  /** Groups as 16-bit values; an embedded IPv4 tail is encoded as -1 - its 32-bit value. */
  private static List<Integer> groups(String part) {
    List<Integer> out = new ArrayList<>();
    if (part.isEmpty()) {
      return out;
    }
    String[] gs = part.split(":", -1);
    for (int i = 0; i < gs.length; i++) {
      String g = gs[i];
      if (i == gs.length - 1 && g.indexOf('.') >= 0) {
        byte[] v4 = parseIpv4(g);
        if (v4 == null) {
          return null;
        }
        out.add(((v4[0] & 0xff) << 8) | (v4[1] & 0xff));
        out.add(((v4[2] & 0xff) << 8) | (v4[3] & 0xff));
        continue;
      }
      if (g.isEmpty() || g.length() > 4) {
        return null;
      }
      int v = 0;
      for (int k = 0; k < g.length(); k++) {
        int d = Character.digit(g.charAt(k), 16);
        if (d < 0) {
          return null;
        }
        v = v * 16 + d;
      }
      out.add(v);
    }
    return out;
  }

  private static int count(List<Integer> groups) {
    return groups.size() * 2;
  }

  private static int write(List<Integer> groups, byte[] out, int pos) {
    for (int g : groups) {
      out[pos++] = (byte) (g >> 8);
      out[pos++] = (byte) g;
    }
    return pos;
  }

  public static String formatIp(byte[] a) {
    if (a.length == 4) {
      return (a[0] & 0xff) + "." + (a[1] & 0xff) + "." + (a[2] & 0xff) + "." + (a[3] & 0xff);
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < 16; i += 2) {
      if (i > 0) {
        b.append(':');
      }
      b.append(Integer.toHexString(((a[i] & 0xff) << 8) | (a[i + 1] & 0xff)));
    }
    return b.toString();
  }

  /** An IPv4 address in IPv4-mapped IPv6 form ({@code ::ffff:a.b.c.d}) as 4 bytes; others unchanged. */
  static byte[] unmap(byte[] a) {
    if (a.length == 16) {
      for (int i = 0; i < 10; i++) {
        if (a[i] != 0) {
          return a;
        }
      }
      if ((a[10] & 0xff) == 0xff && (a[11] & 0xff) == 0xff) {
        return new byte[] {a[12], a[13], a[14], a[15]};
      }
    }
    return a;
  }

  /** A CIDR range {@code 10.0.0.0/8} as (address, prefix) or null when it is not one. */
  public static Object[] parseCidr(String s) {
    int slash = s == null ? -1 : s.indexOf('/');
    byte[] addr = parseIp(slash < 0 ? s : s.substring(0, slash));
    if (addr == null) {
      return null;
    }
    int prefix = addr.length * 8;
    if (slash >= 0) {
      String p = s.substring(slash + 1);
      if (p.isEmpty() || p.length() > 3 || !p.chars().allMatch(Character::isDigit)) {
        return null;
      }
      prefix = Integer.parseInt(p);
      if (prefix > addr.length * 8) {
        return null;
      }
    }
    return new Object[] {addr, prefix};
  }

  /**
   * Whether {@code ip} lies in {@code net/prefix}. Both are compared as IPv6: an IPv4 address
   * is its IPv4-mapped form ({@code ::ffff:a.b.c.d}) and an IPv4 range's prefix counts from
   * bit 96, so an address and its mapped spelling are always in the same ranges.
   */
  static boolean inRange(byte[] ip, byte[] net, int prefix) {
    byte[] a = mapped(ip);
    byte[] n = mapped(net);
    int bits = net.length == 4 ? prefix + 96 : prefix;
    int full = bits / 8;
    for (int i = 0; i < full; i++) {
      if (a[i] != n[i]) {
        return false;
      }
    }
    int rest = bits % 8;
    if (rest == 0) {
      return true;
    }
    int mask = (0xff << (8 - rest)) & 0xff;
    return (a[full] & mask) == (n[full] & mask);
  }

  private static byte[] mapped(byte[] a) {
    if (a.length == 16) {
      return a;
    }
    byte[] out = new byte[16];
    out[10] = (byte) 0xff;
    out[11] = (byte) 0xff;
    System.arraycopy(a, 0, out, 12, 4);
    return out;
  }

  static BigDecimal decimal(long v) {
    return BigDecimal.valueOf(v);
  }
}
