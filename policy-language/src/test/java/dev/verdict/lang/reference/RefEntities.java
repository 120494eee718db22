package dev.verdict.lang.reference;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.data.EntityUid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Entity data for one reference decision: the request's principal, resource and entities,
 * then the data files, in that order of precedence. Attributes are looked up per attribute
 * (request first); parents come from the first source that states them. {@code in} is a
 * plain depth-first walk over those effective parents, with no precomputation at all.
 */
final class RefEntities {
  /** Attributes and, when stated, parents (null when the source did not state them). */
  record Data(Map<String, Object> attrs, List<EntityUid> parents) {}

  private final List<Map<EntityUid, Data>> layers = new ArrayList<>();

  RefEntities(Map<EntityUid, Data> principalAndResource, Map<EntityUid, Data> requestEntities,
      Map<EntityUid, Data> files) {
    layers.add(principalAndResource);
    layers.add(requestEntities);
    layers.add(files);
  }

  static Map<EntityUid, Data> fromDataJson(JsonNode array) {
    Map<EntityUid, Data> out = new HashMap<>();
    if (array == null) {
      return out;
    }
    for (JsonNode e : array) {
      Map<String, Object> attrs = e.hasNonNull("attrs") ? RefValues.record(e.get("attrs")) : Map.of();
      List<EntityUid> parents = null;
      if (e.hasNonNull("parents")) {
        parents = new ArrayList<>();
        for (JsonNode p : e.get("parents")) {
          parents.add(RefValues.uid(p));
        }
      }
      out.put(RefValues.uid(e.get("uid")), new Data(attrs, parents));
    }
    return out;
  }

  boolean known(EntityUid uid) {
    for (Map<EntityUid, Data> l : layers) {
      if (l.containsKey(uid)) {
        return true;
      }
    }
    return false;
  }

  /** The attribute, or null. */
  Object attr(EntityUid uid, String name) {
    for (Map<EntityUid, Data> l : layers) {
      Data d = l.get(uid);
      if (d != null && d.attrs().containsKey(name)) {
        return d.attrs().get(name);
      }
    }
    return null;
  }

  List<EntityUid> parents(EntityUid uid) {
    for (Map<EntityUid, Data> l : layers) {
      Data d = l.get(uid);
      if (d != null && d.parents() != null) {
        return d.parents();
      }
    }
    return List.of();
  }

  /** Reflexive, transitive; a cycle on the way is an error (fail closed). */
  boolean isIn(EntityUid a, EntityUid target) {
    return walk(a, target, new HashSet<>(), new HashSet<>());
  }

  private boolean walk(EntityUid node, EntityUid target, Set<EntityUid> path, Set<EntityUid> explored) {
    if (node.equals(target)) {
      return true;
    }
    if (!path.add(node)) {
      throw new RefError("cycle in the entity hierarchy at " + node);
    }
    if (path.size() > 40) {
      throw new RefError("entity hierarchy too deep at " + node);
    }
    try {
      if (!explored.add(node)) {
        return false;
      }
      for (EntityUid p : parents(node)) {
        if (walk(p, target, path, explored)) {
          return true;
        }
      }
      return false;
    } finally {
      path.remove(node);
    }
  }
}
