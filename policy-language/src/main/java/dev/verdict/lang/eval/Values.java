package dev.verdict.lang.eval;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.data.EntityUid;
import java.math.BigDecimal;
import java.time.Instant;
import dev.verdict.lang.types.IpAddress;
import dev.verdict.lang.types.Numbers;
import dev.verdict.lang.types.Times;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Conversions between values, JSON and text: JSON input, RFC 3339 times, IP addresses. */
public final class Values {
  /** Nesting of JSON values accepted as attributes. */
  public static final int MAX_DEPTH = 32;
  /** See {@link Numbers}: the bounds on a number read from JSON. */
  public static final int MAX_NUMBER_DIGITS = Numbers.MAX_DIGITS;

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

  /**
   * {@link #fromJson(JsonNode, String)} of the member {@code key} of the object at {@code parent}:
   * the member's path is only spelled out when a value needs it (an error, a nested value), since
   * requests carry mostly strings, numbers and booleans.
   */
  public static Value fromJson(JsonNode node, String parent, String key) throws JsonValueException {
    if (node.isTextual()) {
      return new Value.Str(node.textValue());
    }
    if (node.isBoolean()) {
      return Value.Bool.of(node.booleanValue());
    }
    if (node.isNumber() && !node.isDouble() && !node.isFloat()) {
      BigDecimal d = node.decimalValue();
      if (Numbers.inBounds(d)) {
        return new Value.Num(d);
      }
    }
    return fromJson(node, parent + "." + key, 0);
  }

  private static Value fromJson(JsonNode node, String path, int depth) throws JsonValueException {
    if (depth > MAX_DEPTH) {
      throw new JsonValueException(path, "value nested more than " + MAX_DEPTH + " levels deep");
    }
    if (node.isTextual()) {
      return new Value.Str(node.textValue());
    } else if (node.isNumber()) {
      return new Value.Num(number(node, path));
    } else if (node.isBoolean()) {
      return Value.Bool.of(node.booleanValue());
    } else if (node.isArray()) {
      Value[] items = new Value[node.size()];
      for (int i = 0; i < items.length; i++) {
        JsonNode item = node.get(i);
        // an item's path is spelled out only when it is needed (nested values, errors)
        items[i] = item.isTextual() && depth < MAX_DEPTH ? new Value.Str(item.textValue())
            : fromJson(item, path + "[" + i + "]", depth + 1);
      }
      return new Value.SetOf(setOf(items));
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

  /**
   * The items of a JSON array as a set, duplicates dropped, as {@link #fromJson} reads arrays;
   * built directly, as most arrays are short and distinct. {@code items} is not kept.
   */
  public static Set<Value> setOf(Value[] items) {
    if (items.length <= 16) {
      for (int i = 1; i < items.length; i++) {
        for (int j = 0; j < i; j++) {
          if (items[i].equals(items[j])) {
            return Set.copyOf(java.util.Arrays.asList(items));
          }
        }
      }
      return Set.of(items);
    }
    return Set.copyOf(java.util.Arrays.asList(items));
  }

  /**
   * A JSON number as an exact decimal within the bounds of {@link #MAX_NUMBER_DIGITS}. A number
   * a reader already turned into binary floating point is taken as its shortest decimal form;
   * readers should keep decimals exact instead (see {@link RequestJson#readTree}).
   */
  static BigDecimal number(JsonNode node, String path) throws JsonValueException {
    BigDecimal d;
    if (node.isDouble() || node.isFloat()) {
      if (!Double.isFinite(node.doubleValue())) {
        throw new JsonValueException(path, "number is not finite");
      }
      d = BigDecimal.valueOf(node.doubleValue());
    } else {
      d = node.decimalValue();
    }
    return bounded(d, path);
  }

  /** {@code d} when it is within the number bounds, else an error naming {@code path}. */
  public static BigDecimal bounded(BigDecimal d, String path) throws JsonValueException {
    if (!Numbers.inBounds(d)) {
      throw new JsonValueException(path, "number out of range: " + Numbers.BOUNDS);
    }
    return d;
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
      return number(n.value());
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

  /**
   * A number as written in a policy ({@code 10.5}), in scientific notation ({@code 1E+60}) when
   * the plain form would be long: text built from a number never grows with its exponent.
   */
  public static String number(BigDecimal d) {
    long plainLength = Math.max((long) d.precision() - d.scale(), 1L) + Math.max(d.scale(), 0);
    return plainLength <= 2L * MAX_NUMBER_DIGITS + 2 ? d.toPlainString() : d.toString();
  }

  private static List<Value> sorted(Value.SetOf s) {
    List<Value> items = new ArrayList<>(s.items());
    items.sort((a, b) -> display(a).compareTo(display(b)));
    return items;
  }

  /** An RFC 3339 date-time in epoch milliseconds, or null when it is not one. */
  public static Long parseTime(String s) {
    long millis = Times.epochMillis(s);
    return millis != Times.NOT_A_TIME ? Long.valueOf(millis) : Times.parse(s).map(Instant::toEpochMilli).orElse(null);
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
    return IpAddress.parse(s).map(IpAddress::bytes).orElse(null);
  }

  public static String formatIp(byte[] a) {
    return IpAddress.of(a).toString();
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

}
