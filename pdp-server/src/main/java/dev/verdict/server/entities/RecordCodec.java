package dev.verdict.server.entities;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.data.EntityDataReader;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.Values;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.JsonCodec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records in the data files' shape ({@code {"uid": {"type", "id"}, "attrs": {…}, "parents":
 * [{"type", "id"}, …]}}), read against the policy set's declared types: a value that does not
 * fit is refused with its JSON path, never stored as something else.
 */
final class RecordCodec {
  /** Fixed cost of a record beyond its JSON (maps, entry objects), in bytes. */
  static final long OVERHEAD = 256;

  private RecordCodec() {}

  /**
   * The record {@code node} describes for {@code uid}; {@code path} is where it is written.
   * A {@code uid} member, when present, must name {@code uid}.
   */
  static EntityData read(JsonNode node, EntityUid uid, String path, PolicySet set) {
    if (node == null || !node.isObject()) {
      throw ApiException.invalidAt(path, "a record is an object {\"attrs\": {…}, \"parents\": [{\"type\", \"id\"}, …]}");
    }
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!f.equals("uid") && !f.equals("attrs") && !f.equals("parents")) {
        throw ApiException.invalidAt(EntityDataReader.child(path, f), "unknown member `" + f
            + "`; a record has `uid`, `attrs` and `parents`");
      }
    }
    try {
      if (node.has("uid") && !Values.uid(node.get("uid"), path + ".uid").equals(uid)) {
        throw ApiException.invalidAt(path + ".uid", "the record's uid is not " + uid + ", the one the URL names");
      }
      Map<String, Value> attrs = attrs(node.get("attrs"), path + ".attrs");
      attrs = set.types().attributes(uid.type(), attrs, path + ".attrs");
      return EntityData.of(uid, attrs, parents(node.get("parents"), path + ".parents"));
    } catch (Values.JsonValueException e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  /** The uid of an import line: its {@code uid} member. */
  static EntityUid uidOf(JsonNode node, String path) {
    if (node == null || !node.isObject() || !node.has("uid")) {
      throw ApiException.invalidAt(path, "a line is a record {\"uid\": {\"type\", \"id\"}, \"attrs\": {…}, \"parents\": […]}");
    }
    try {
      return checked(Values.uid(node.get("uid"), path + ".uid"), path + ".uid");
    } catch (Values.JsonValueException e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  /** {@code uid} when its type is a type name and its id is not empty. */
  static EntityUid checked(EntityUid uid, String path) {
    if (!uid.type().matches("[A-Za-z_][A-Za-z0-9_]*(::[A-Za-z_][A-Za-z0-9_]*)*")) {
      throw ApiException.invalidAt(path, "`" + uid.type() + "` is not an entity type name");
    }
    if (uid.id().isEmpty()) {
      throw ApiException.invalidAt(path, "an entity id is not empty");
    }
    return uid;
  }

  static Map<String, Value> attrs(JsonNode node, String path) throws Values.JsonValueException {
    Map<String, Value> out = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isObject()) {
      throw ApiException.invalidAt(path, "`attrs` is an object of attribute values");
    }
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!e.getValue().isNull()) {
        out.put(e.getKey(), Values.fromJson(e.getValue(), EntityDataReader.child(path, e.getKey())));
      }
    }
    return out;
  }

  static List<EntityUid> parents(JsonNode node, String path) throws Values.JsonValueException {
    List<EntityUid> out = new ArrayList<>();
    if (node == null || node.isNull()) {
      return out;
    }
    if (!node.isArray()) {
      throw ApiException.invalidAt(path, "`parents` is an array of {\"type\", \"id\"}");
    }
    for (int i = 0; i < node.size(); i++) {
      out.add(checked(Values.uid(node.get(i), path + "[" + i + "]"), path + "[" + i + "]"));
    }
    return out;
  }

  static ObjectNode write(EntityData d) {
    ObjectNode o = JsonCodec.object();
    o.set("uid", uid(d.uid()));
    ObjectNode attrs = o.putObject("attrs");
    d.attrs().entrySet().stream().sorted(Map.Entry.comparingByKey())
        .forEach(e -> attrs.set(e.getKey(), Values.toJson(e.getValue())));
    ArrayNode parents = o.putArray("parents");
    d.parents().forEach(p -> parents.add(uid(p)));
    return o;
  }

  static ObjectNode uid(EntityUid u) {
    ObjectNode o = JsonCodec.object();
    o.put("type", u.type());
    o.put("id", u.id());
    return o;
  }

  /** What {@code d} weighs in the store's bound: its JSON at two bytes a character, plus overhead. */
  static long weight(EntityData d) {
    return OVERHEAD + 2L * write(d).toString().length();
  }
}
