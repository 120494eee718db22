package dev.verdict.sdk;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.eval.Values;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A principal or resource as the engine's entity, without going through JSON: strings, booleans
 * and whole numbers become values directly; anything else takes the JSON reading the server
 * applies to what the remote client sends, so both modes see the same values. Declared types
 * are then applied as for any request.
 *
 * <p>Principals and resources are immutable, so an entity whose attributes are all such plain
 * values is read once per policy set's value types and kept on the instance: an application
 * that checks one principal against many resources pays for it once. Attributes holding other
 * objects (lists, maps, beans) are read every time, since the application may change them.
 */
final class EngineValues {
  /** An entity as read under {@code types}. */
  record Memo(ValueTypes types, EntityData data) {}

  private EngineValues() {}

  static EntityData principal(Principal p, ValueTypes types) throws Values.JsonValueException {
    Memo m = p.engineForm;
    if (m != null && m.types() == types) {
      return m.data();
    }
    Map<String, Value> attrs = attrs(p.entity(), "$.principal");
    if (p.roleList() != null) {
      Set<Value> roles = new LinkedHashSet<>();
      p.roleList().forEach(r -> roles.add(new Value.Str(r)));
      attrs.put("roles", new Value.SetOf(roles));
    }
    EntityData data = types.entity(entity(p.entity(), attrs), "$.principal");
    if (plain(p.entity())) {
      p.engineForm = new Memo(types, data);
    }
    return data;
  }

  static EntityData resource(Resource r, String path, ValueTypes types) throws Values.JsonValueException {
    Memo m = r.engineForm;
    if (m != null && m.types() == types) {
      return m.data();
    }
    EntityData data = types.entity(entity(r.entity(), attrs(r.entity(), path)), path);
    if (plain(r.entity())) {
      r.engineForm = new Memo(types, data);
    }
    return data;
  }

  /**
   * A request context: each value as an attribute's, then read as the set declares the context.
   * A context with several bad values reports the first in name order, whatever the map's order.
   */
  static Map<String, Value> context(Map<String, ?> context, ValueTypes types) throws Values.JsonValueException {
    if (context.isEmpty()) {
      return Map.of();
    }
    Map<String, Value> out = new HashMap<>(context.size() * 2);
    try {
      for (Map.Entry<String, ?> c : context.entrySet()) {
        if (c.getValue() != null) {
          out.put(c.getKey(), value(c.getValue(), "$.context", c.getKey()));
        }
      }
    } catch (Values.JsonValueException e) {
      for (Map.Entry<String, ?> c : new TreeMap<>(context).entrySet()) {
        if (c.getValue() != null) {
          value(c.getValue(), "$.context", c.getKey());
        }
      }
      throw e;
    }
    return types.context(out, "$.context");
  }

  /** Whether every attribute is a value the application cannot change under us. */
  private static boolean plain(Entity e) {
    for (Object v : e.attrs().values()) {
      if (!(v == null || v instanceof String || v instanceof Boolean || v instanceof Integer || v instanceof Long
          || v instanceof Short || v instanceof Byte)) {
        return false;
      }
    }
    return true;
  }

  private static EntityData entity(Entity e, Map<String, Value> attrs) {
    List<EntityUid> parents = new ArrayList<>();
    if (e.parents() != null) {
      for (String[] p : e.parents()) {
        parents.add(new EntityUid(p[0], p[1]));
      }
    }
    return new EntityData(new EntityUid(e.type(), e.id()), attrs, parents, e.parents() != null);
  }

  private static Map<String, Value> attrs(Entity e, String path) throws Values.JsonValueException {
    Map<String, Value> out = new HashMap<>(e.attrs().size() * 2 + 2);
    for (Map.Entry<String, Object> a : e.attrs().entrySet()) { // sorted: the first bad value is reported
      Object v = a.getValue();
      if (v != null) { // as a JSON null is: an attribute not given
        out.put(a.getKey(), value(v, path, a.getKey()));
      }
    }
    return out;
  }

  /** The path of a value is only spelt out for values read as JSON, which may report it. */
  private static Value value(Object v, String parent, String name) throws Values.JsonValueException {
    if (v instanceof String s) {
      return new Value.Str(s);
    }
    if (v instanceof Boolean b) {
      return b ? Value.Bool.TRUE : Value.Bool.FALSE;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return Value.Num.of(((Number) v).longValue());
    }
    return Values.fromJson(Json.MAPPER.valueToTree(v), parent + "." + name);
  }
}
