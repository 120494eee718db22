package dev.verdict.lang.eval;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.source.Span;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The entities one decision sees: the request's entities layered over the policy set's graph,
 * without copying the graph. Request data wins for attributes; for parents, a request entity
 * that states none keeps the graph's, and one that states them replaces the graph's for every
 * {@code in} that passes through it. Between the two, an entity store ({@code stored}, may be
 * null) answers for entities the request does not carry, its parents replacing the data files'.
 * An entity's {@code roles} are the union of what the three say (a token's roles add to the
 * directory's, never hide them).
 *
 * <p>The base of {@link Env}, not a field of it: a decision makes one object for both.
 */
abstract class EntityView {
  private final EntityGraph base;
  private final EntityData principalData;
  private final EntityData resourceData;
  private final Map<EntityUid, EntityData> extra;
  /**
   * Request entities that state their parents, overriding the data files' for them; found on
   * the first {@code in}, since most decisions never ask.
   */
  private EntityUid[] restated;
  /** The entity store's lookup, or null when nothing is stored; asked at most once per uid. */
  private final Function<EntityUid, EntityData> stored;
  private Map<EntityUid, EntityData> storedSeen;
  /** The principal's roles once read (they cannot change within a decision); null is a value too. */
  private Value principalRoles;
  private boolean principalRolesRead;
  /** The request names one entity twice: its reads go through {@link #requestData}, which says which data wins. */
  private final boolean resourceIsPrincipal;
  private static final EntityData ABSENT = new EntityData(new EntityUid("", ""), Map.of(), List.of(), false);

  EntityView(EntityGraph base, Function<EntityUid, EntityData> stored, Request req) {
    this.base = base;
    this.stored = stored;
    this.resourceIsPrincipal = req.resource().uid().equals(req.principal().uid());
    if (req.entities().isEmpty()) {
      this.extra = Map.of();
      this.principalData = req.principal();
      this.resourceData = req.resource();
    } else {
      Map<EntityUid, EntityData> m = new HashMap<>();
      for (EntityData d : req.entities()) {
        m.put(d.uid(), d);
      }
      this.extra = m;
      this.principalData = merge(req.principal(), m.get(req.principal().uid()));
      this.resourceData = merge(req.resource(), m.get(req.resource().uid()));
    }
  }

  /**
   * The principal or resource as the request states it, completed by the same entity in the
   * request's entity list (a test or gateway may give the attributes there).
   */
  private static EntityData merge(EntityData direct, EntityData listed) {
    if (listed == null) {
      return direct;
    }
    Map<String, Value> attrs = new HashMap<>(listed.attrs());
    attrs.putAll(direct.attrs());
    boolean given = direct.parentsGiven() || listed.parentsGiven();
    return new EntityData(direct.uid(), attrs, direct.parentsGiven() ? direct.parents() : listed.parents(), given);
  }

  private EntityUid[] restated() {
    if (restated == null) {
      List<EntityUid> r = new ArrayList<>();
      if (principalData.parentsGiven()) {
        r.add(principalData.uid());
      }
      if (resourceData.parentsGiven()) {
        r.add(resourceData.uid());
      }
      for (EntityData d : extra.values()) {
        if (d.parentsGiven()) {
          r.add(d.uid());
        }
      }
      restated = r.isEmpty() ? NONE : r.toArray(NONE);
    }
    return restated;
  }

  private static final EntityUid[] NONE = new EntityUid[0];

  /** The request's data for {@code uid}, if the request carries it. */
  private EntityData requestData(EntityUid uid) {
    if (principalData.uid().equals(uid)) {
      return principalData;
    }
    if (resourceData.uid().equals(uid)) {
      return resourceData;
    }
    return extra.get(uid);
  }

  /** The store's data for {@code uid}, or null; one lookup per uid and decision, so reads agree. */
  private EntityData storedData(EntityUid uid) {
    if (stored == null) {
      return null;
    }
    if (storedSeen == null) {
      storedSeen = new HashMap<>(4);
    }
    EntityData d = storedSeen.get(uid);
    if (d == null) {
      d = stored.apply(uid);
      storedSeen.put(uid, d == null ? ABSENT : d);
      return d;
    }
    return d == ABSENT ? null : d;
  }

  /** The attribute {@code name} of entity {@code uid}, or null when it is not known. */
  Value attr(EntityUid uid, String name) {
    if (name.equals(ROLES)) {
      if (uid.equals(principalData.uid())) {
        // read by most rules and derived roles of a decision: the union of its sources once
        if (!principalRolesRead) {
          principalRoles = roles(uid);
          principalRolesRead = true;
        }
        return principalRoles;
      }
      return roles(uid);
    }
    EntityData r = requestData(uid);
    if (r != null) {
      Value v = r.attrs().get(name);
      if (v != null) {
        return v;
      }
    }
    return beyondRequest(uid, name);
  }

  static final String ROLES = "roles";

  /**
   * {@code principal.name} as {@link #attr} reads it, for any name but {@code roles}: the
   * principal's own data is probed directly, without finding out whose data it is first.
   */
  Value principalAttr(String name) {
    Value v = principalData.attrs().get(name);
    return v != null ? v : beyondRequest(principalData.uid(), name);
  }

  /** {@code resource.name}, as {@link #principalAttr}. */
  Value resourceAttr(String name) {
    if (resourceIsPrincipal) {
      return attr(resourceData.uid(), name);
    }
    Value v = resourceData.attrs().get(name);
    return v != null ? v : beyondRequest(resourceData.uid(), name);
  }

  /** An attribute the request's data lacks: the store's, then the data files'. */
  private Value beyondRequest(EntityUid uid, String name) {
    EntityData s = storedData(uid);
    if (s != null) {
      Value v = s.attrs().get(name);
      if (v != null) {
        return v;
      }
    }
    EntityData b = base.get(uid);
    return b == null ? null : b.attrs().get(name);
  }

  /**
   * The union of the roles the request, the store and the data files give {@code uid}; the one
   * source's own value when only one gives any (nothing copied), null when none does. A value
   * that is not a set is not merged: the first one, by precedence, is returned for the rules to
   * report.
   */
  private Value roles(EntityUid uid) {
    EntityData r = requestData(uid);
    EntityData s = storedData(uid);
    EntityData b = base.get(uid);
    Value v = union(r == null ? null : r.attrs().get(ROLES), s == null ? null : s.attrs().get(ROLES));
    return union(v, b == null ? null : b.attrs().get(ROLES));
  }

  private static Value union(Value first, Value next) {
    if (first == null) {
      return next;
    }
    if (next == null || !(first instanceof Value.SetOf f) || !(next instanceof Value.SetOf n)
        || f.items().containsAll(n.items())) {
      return first;
    }
    Set<Value> all = new java.util.HashSet<>(f.items());
    all.addAll(n.items());
    return new Value.SetOf(all);
  }

  boolean known(EntityUid uid) {
    return requestData(uid) != null || storedData(uid) != null || base.get(uid) != null;
  }

  /**
   * Is {@code a} the entity {@code target} or below it? Transitive, reflexive, bounded. The
   * data files' precomputed ancestors answer for every entity whose chain of parents no
   * request entity restates; below a restated entity the effective parents are walked, so
   * that the request's data takes precedence everywhere in the hierarchy.
   */
  boolean isIn(EntityUid a, EntityUid target, Span span) {
    if (a.equals(target)) {
      return true;
    }
    Set<EntityUid> ancestors = base.ancestors(a);
    if (unaffected(a, ancestors)) {
      return ancestors.contains(target);
    }
    return walk(a, target, new HashSet<>(), new HashSet<>(), 0, span);
  }

  /** Whether the data files' {@code ancestors} of {@code uid} are also its ancestors in this request. */
  private boolean unaffected(EntityUid uid, Set<EntityUid> ancestors) {
    if (stored != null) {
      // any entity on the chain may be stored with other parents: walk them
      return false;
    }
    EntityUid[] restated = restated();
    if (restated.length == 0) {
      return true;
    }
    EntityData r = requestData(uid);
    if (r != null && r.parentsGiven()) {
      return false;
    }
    if (ancestors.isEmpty()) {
      return true;
    }
    for (EntityUid o : restated) {
      if (ancestors.contains(o)) {
        return false;
      }
    }
    return true;
  }

  private boolean walk(EntityUid node, EntityUid target, Set<EntityUid> onPath, Set<EntityUid> done,
      int depth, Span span) {
    if (depth > EntityGraph.MAX_DEPTH) {
      throw new EvalException(span, EvalError.Kind.HIERARCHY, "entity hierarchy of the request is deeper than "
          + EntityGraph.MAX_DEPTH + " levels at " + node);
    }
    onPath.add(node);
    try {
      for (EntityUid p : parents(node)) {
        if (p.equals(target)) {
          return true;
        }
        if (onPath.contains(p)) {
          throw new EvalException(span, EvalError.Kind.HIERARCHY, "cycle in the request's entity hierarchy at " + p);
        }
        if (!done.add(p)) {
          continue;
        }
        Set<EntityUid> ancestors = base.ancestors(p);
        if (unaffected(p, ancestors)) {
          if (ancestors.contains(target)) {
            return true;
          }
        } else if (walk(p, target, onPath, done, depth + 1, span)) {
          return true;
        }
      }
      return false;
    } finally {
      onPath.remove(node);
    }
  }

  List<EntityUid> parents(EntityUid uid) {
    EntityData r = requestData(uid);
    if (r != null && r.parentsGiven()) {
      return r.parents();
    }
    EntityData s = storedData(uid);
    if (s != null && s.parentsGiven()) {
      return s.parents();
    }
    EntityData b = base.get(uid);
    return b == null ? List.of() : b.parents();
  }
}
