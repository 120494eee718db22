package dev.verdict.sdk;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.eval.Values;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A principal or resource as the engine's entity, without going through JSON: strings, booleans
 * and whole numbers become values directly; anything else takes the JSON reading the server
 * applies to what the remote client sends, so both modes see the same values. Declared types
 * are then applied as for any request.
 */
final class EngineValues {
  private EngineValues() {}

  static EntityData principal(Principal p, ValueTypes types) throws Values.JsonValueException {
    Map<String, Value> attrs = attrs(p.entity(), "$.principal");
    if (p.roleList() != null) {
      Set<Value> roles = new LinkedHashSet<>();
      p.roleList().forEach(r -> roles.add(new Value.Str(r)));
      attrs.put("roles", new Value.SetOf(roles));
    }
    return types.entity(entity(p.entity(), attrs), "$.principal");
  }

  static EntityData resource(Resource r, String path, ValueTypes types) throws Values.JsonValueException {
    return types.entity(entity(r.entity(), attrs(r.entity(), path)), path);
  }

  /** A request context: each value as an attribute's, then read as the set declares the context. */
  static Map<String, Value> context(Map<String, ?> context, ValueTypes types) throws Values.JsonValueException {
    if (context.isEmpty()) {
      return Map.of();
    }
    Map<String, Value> out = new LinkedHashMap<>();
    for (Map.Entry<String, ?> c : new java.util.TreeMap<>(context).entrySet()) {
      if (c.getValue() != null) {
        out.put(c.getKey(), value(c.getValue(), "$.context." + c.getKey()));
      }
    }
    return types.context(out, "$.context");
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
    Map<String, Value> out = new LinkedHashMap<>();
    for (Map.Entry<String, Object> a : e.attrs().entrySet()) {
      Object v = a.getValue();
      if (v != null) { // as a JSON null is: an attribute not given
        out.put(a.getKey(), value(v, path + "." + a.getKey()));
      }
    }
    return out;
  }

  private static Value value(Object v, String path) throws Values.JsonValueException {
    if (v instanceof String s) {
      return new Value.Str(s);
    }
    if (v instanceof Boolean b) {
      return b ? Value.Bool.TRUE : Value.Bool.FALSE;
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return Value.Num.of(((Number) v).longValue());
    }
    return Values.fromJson(Json.MAPPER.valueToTree(v), path);
  }
}
