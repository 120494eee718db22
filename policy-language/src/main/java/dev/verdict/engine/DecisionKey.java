package dev.verdict.engine;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.ReadSet;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a cached decision is filed under: the policy version, the resource type and action, and
 * the values of exactly the request paths the set's rules read for that type
 * ({@link PolicySet#readSet}), in a canonical, unambiguous encoding (every part length-prefixed;
 * sets and records in sorted order; numbers by value). Two requests with equal keys get equal
 * decisions from that version; attributes no rule reads do not split the cache.
 *
 * <p>The full encoding is kept, not a hash of it: a collision in a security decision cache
 * would hand one caller another's answer.
 */
public final class DecisionKey {
  /** Past this many characters a request is decided rather than cached (keys cost memory). */
  static final int MAX_KEY_CHARS = 4096;

  private final String policyVersion;
  private final String text;
  private final int hash;

  private DecisionKey(String policyVersion, String text) {
    this.policyVersion = policyVersion;
    this.text = text;
    this.hash = text.hashCode();
  }

  /**
   * The key of {@code request} under {@code set}, or null when its decision must not be cached
   * (it depends on the clock, or its key would be too long).
   */
  static DecisionKey of(PolicySet set, Request request) {
    try {
      return build(set, request);
    } catch (Uncacheable e) {
      return null;
    }
  }

  private static DecisionKey build(PolicySet set, Request request) {
    ReadSet reads = set.readSet(request.resource().uid().type());
    if (!reads.cacheable()) {
      return null;
    }
    StringBuilder b = new StringBuilder(128);
    part(b, set.version());
    part(b, request.resource().uid().type());
    part(b, request.action());
    uid(b, request.principal().uid());
    boolean resourceRead = false;
    for (List<String> path : reads.paths()) {
      String root = path.get(0);
      EntityData entity = root.equals("principal") ? request.principal()
          : root.equals("resource") ? request.resource() : null;
      resourceRead |= root.equals("resource");
      b.append('@');
      for (String step : path) {
        part(b, step);
      }
      if (entity == null) {
        value(b, walk(request.context(), path));
      } else if (path.size() == 1) {
        uid(b, entity.uid());
      } else {
        value(b, walk(entity.attrs(), path));
      }
      if (b.length() > MAX_KEY_CHARS) {
        return null;
      }
    }
    if (resourceRead || reads.hierarchy()) {
      uid(b, request.resource().uid());
    }
    if (reads.hierarchy()) {
      parents(b, request.principal());
      parents(b, request.resource());
    }
    if (!request.entities().isEmpty()) {
      // Request entities override data files, so whatever a path reaches through them counts.
      List<String> entities = new ArrayList<>();
      for (EntityData e : request.entities()) {
        StringBuilder eb = new StringBuilder();
        uid(eb, e.uid());
        value(eb, new Value.Rec(e.attrs()));
        parents(eb, e);
        entities.add(eb.toString());
        if (eb.length() > MAX_KEY_CHARS) {
          return null;
        }
      }
      entities.sort(String::compareTo);
      b.append('E').append(entities.size());
      entities.forEach(b::append);
    }
    return b.length() > MAX_KEY_CHARS ? null : new DecisionKey(set.version(), b.toString());
  }

  /** The value at {@code path} (after its root) in {@code attrs}, or null when absent. */
  private static Value walk(Map<String, Value> attrs, List<String> path) {
    Value v = attrs.get(path.get(1));
    for (int i = 2; i < path.size() && v != null; i++) {
      // Through a record, read on; at an entity reference stop: what lies beyond comes from
      // data files (fixed by the version) or the request's entities (part of the key).
      if (v instanceof Value.Rec r) {
        v = r.fields().get(path.get(i));
      } else {
        break;
      }
    }
    return v;
  }

  private static void parents(StringBuilder b, EntityData e) {
    b.append('P');
    if (!e.parentsGiven()) {
      b.append('-');
      return;
    }
    List<String> ps = new ArrayList<>();
    for (EntityUid p : e.parents()) {
      StringBuilder pb = new StringBuilder();
      uid(pb, p);
      ps.add(pb.toString());
    }
    ps.sort(String::compareTo);
    b.append(ps.size());
    ps.forEach(b::append);
  }

  private static void uid(StringBuilder b, EntityUid uid) {
    b.append('U');
    part(b, uid.type());
    part(b, uid.id());
  }

  private static void part(StringBuilder b, String s) {
    b.append(s.length()).append(':').append(s);
  }

  private static void value(StringBuilder b, Value v) {
    if (v == null) {
      b.append('-');
    } else if (v instanceof Value.Str s) {
      b.append('s');
      part(b, s.value());
    } else if (v instanceof Value.Num n) {
      // by value, as numbers compare: 1.0 and 1 are one key; scientific notation never expands
      b.append('n');
      part(b, n.value().signum() == 0 ? "0" : n.value().stripTrailingZeros().toString());
    } else if (v instanceof Value.Bool x) {
      b.append(x.value() ? 'T' : 'F');
    } else if (v instanceof Value.Entity e) {
      b.append('e');
      uid(b, e.uid());
    } else if (v instanceof Value.Ip ip) {
      b.append('i');
      part(b, java.util.HexFormat.of().formatHex(ip.address()));
    } else if (v instanceof Value.Time t) {
      b.append('t').append(t.epochMillis()).append(';');
    } else if (v instanceof Value.Dur d) {
      b.append('d').append(d.millis()).append(';');
    } else if (v instanceof Value.SetOf set) {
      List<String> items = new ArrayList<>(set.items().size());
      for (Value item : set.items()) {
        StringBuilder ib = new StringBuilder();
        value(ib, item);
        items.add(ib.toString());
      }
      items.sort(String::compareTo);
      b.append('[').append(items.size());
      items.forEach(b::append);
    } else if (v instanceof Value.Rec r) {
      TreeMap<String, Value> sorted = new TreeMap<>(r.fields());
      b.append('{').append(sorted.size());
      sorted.forEach((k, x) -> {
        part(b, k);
        value(b, x);
      });
    } else {
      // A kind this encoding does not know yet: no key, so no cache, rather than a wrong one.
      throw new Uncacheable();
    }
  }

  public String policyVersion() {
    return policyVersion;
  }

  /** The canonical encoding, for caches that store keys elsewhere (another cluster member). */
  public String text() {
    return text;
  }

  /** Characters of the encoding: what a key weighs in a cache. */
  public int length() {
    return text.length();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecisionKey k && k.hash == hash && k.text.equals(text);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "DecisionKey[" + text.length() + " chars, " + policyVersion + "]";
  }

  /** Thrown inside {@link #value} for a value kind without a canonical form. */
  private static final class Uncacheable extends RuntimeException {
    Uncacheable() {
      super(null, null, false, false);
    }
  }
}
