package dev.verdict.lang.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.data.EntityUid;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The reference model's values, deliberately plain Java: String, BigDecimal, Boolean,
 * {@link SetVal} (a list without duplicates), Map (a record), EntityUid, {@link Ip},
 * {@link Time}, {@link Dur}. Equality is written out here rather than borrowed.
 */
final class RefValues {
  private RefValues() {}

  /** A set: items kept unique by {@link #eq}. */
  record SetVal(List<Object> items) {
    static SetVal of(List<Object> raw) {
      List<Object> out = new ArrayList<>();
      for (Object o : raw) {
        if (!contains(out, o)) {
          out.add(o);
        }
      }
      return new SetVal(out);
    }
  }

  /** Always 16 bytes: IPv4 addresses are kept in their IPv4-mapped IPv6 form. */
  record Ip(byte[] bytes) {}

  record Time(long millis) {}

  record Dur(long millis) {}

  static boolean contains(List<Object> items, Object v) {
    for (Object o : items) {
      if (eq(o, v)) {
        return true;
      }
    }
    return false;
  }

  static boolean eq(Object a, Object b) {
    if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
      return x.compareTo(y) == 0;
    }
    if (a instanceof SetVal x && b instanceof SetVal y) {
      if (x.items().size() != y.items().size()) {
        return false;
      }
      for (Object o : x.items()) {
        if (!contains(y.items(), o)) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Map<?, ?> x && b instanceof Map<?, ?> y) {
      if (!x.keySet().equals(y.keySet())) {
        return false;
      }
      for (Object k : x.keySet()) {
        if (!eq(x.get(k), y.get(k))) {
          return false;
        }
      }
      return true;
    }
    if (a instanceof Ip x && b instanceof Ip y) {
      return Arrays.equals(x.bytes(), y.bytes());
    }
    return a.getClass() == b.getClass() && a.equals(b);
  }

  /** A JSON attribute value as a reference value; nulls are dropped by the callers. */
  static Object fromJson(JsonNode n) {
    if (n.isTextual()) {
      return n.textValue();
    } else if (n.isNumber()) {
      return n.decimalValue();
    } else if (n.isBoolean()) {
      return n.booleanValue();
    } else if (n.isArray()) {
      List<Object> items = new ArrayList<>();
      n.forEach(x -> items.add(fromJson(x)));
      return SetVal.of(items);
    } else if (n.isObject()) {
      if (n.size() == 1 && n.has("__entity")) {
        return uid(n.get("__entity"));
      }
      return record(n);
    }
    throw new IllegalArgumentException("not an attribute value: " + n);
  }

  static Map<String, Object> record(JsonNode n) {
    Map<String, Object> out = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      if (!e.getValue().isNull()) {
        out.put(e.getKey(), fromJson(e.getValue()));
      }
    }
    return out;
  }

  static EntityUid uid(JsonNode n) {
    return new EntityUid(n.get("type").textValue(), n.get("id").textValue());
  }

  static String kind(Object v) {
    if (v instanceof String) {
      return "String";
    } else if (v instanceof BigDecimal) {
      return "Number";
    } else if (v instanceof Boolean) {
      return "Bool";
    } else if (v instanceof SetVal) {
      return "Set";
    } else if (v instanceof Map) {
      return "Record";
    } else if (v instanceof EntityUid) {
      return "Entity";
    } else if (v instanceof Ip) {
      return "Ip";
    } else if (v instanceof Time) {
      return "Time";
    }
    return "Duration";
  }
}
