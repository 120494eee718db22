package dev.verdict.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/** The common part of a principal and a resource: type, id, attributes (sorted), parents. */
record Entity(String type, String id, Map<String, Object> attrs, List<String[]> parents) {

  private static final java.util.Set<String> RESERVED = java.util.Set.of("type", "id", "parents");

  static Entity of(String type, String id) {
    requireText(type, "type");
    Objects.requireNonNull(id, "id is null");
    return new Entity(type, id, Map.of(), null);
  }

  private static void requireText(String s, String what) {
    if (s == null || s.isEmpty()) {
      throw new IllegalArgumentException(what + " must be a non-empty string");
    }
  }

  Entity withType(String t) {
    requireText(t, "type");
    return new Entity(t, id, attrs, parents);
  }

  Entity withAttr(String name, Object value) {
    requireText(name, "an attribute name");
    if (RESERVED.contains(name)) {
      throw new IllegalArgumentException("`" + name + "` is not an attribute name; it is the entity's own " + name);
    }
    TreeMap<String, Object> copy = new TreeMap<>(attrs);
    copy.put(name, value);
    return new Entity(type, id, Collections.unmodifiableMap(copy), parents);
  }

  Entity withParent(String t, String i) {
    requireText(t, "a parent's type");
    Objects.requireNonNull(i, "a parent's id is null");
    List<String[]> copy = parents == null ? new ArrayList<>() : new ArrayList<>(parents);
    copy.add(new String[] {t, i});
    return new Entity(type, id, attrs, Collections.unmodifiableList(copy));
  }

  ObjectNode toNative() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("type", type);
    n.put("id", id);
    putAttrs(n);
    return n;
  }

  ObjectNode toAuthZen() {
    ObjectNode n = Json.MAPPER.createObjectNode();
    n.put("type", type);
    n.put("id", id);
    putAttrs(n.putObject("properties"));
    return n;
  }

  private void putAttrs(ObjectNode into) {
    attrs.forEach((k, v) -> into.set(k, toJson(v, k)));
    if (parents != null) {
      ArrayNode a = into.putArray("parents");
      for (String[] p : parents) {
        a.addObject().put("type", p[0]).put("id", p[1]);
      }
    }
  }

  private static JsonNode toJson(Object value, String name) {
    try {
      return Json.MAPPER.valueToTree(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("attribute `" + name + "` cannot be written as JSON: " + e.getMessage(), e);
    }
  }
}
