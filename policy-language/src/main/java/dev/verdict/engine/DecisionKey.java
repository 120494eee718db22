package dev.verdict.engine;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.ReadSet;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What a cached decision is filed under: the policy version, the resource type and action, and
 * the values of exactly the request paths the set's rules read for that type
 * ({@link PolicySet#readSet}), compared as the policies compare them. Two requests with equal
 * keys get equal decisions from that version; attributes no rule reads do not split the cache.
 *
 * <p>The values themselves are kept and compared, not a hash of them: a collision in a
 * security decision cache would hand one caller another's answer.
 */
public final class DecisionKey {
  /** Past this estimated size a request is decided rather than cached (keys cost memory). */
  static final int MAX_KEY_BYTES = 8192;

  private final String policyVersion;
  private final String type;
  private final String action;
  private final EntityUid principal;
  /** In read-set order: the value at each path (null when absent), then what else the key holds. */
  private final Object[] parts;
  private final int hash;
  /** Estimated when first asked (a cache hit never asks): 0 until then. */
  private int bytes;
  private String text;

  private DecisionKey(String policyVersion, String type, String action, EntityUid principal, Object[] parts) {
    this.policyVersion = policyVersion;
    this.type = type;
    this.action = action;
    this.principal = principal;
    this.parts = parts;
    int h = policyVersion.hashCode();
    h = 31 * h + type.hashCode();
    h = 31 * h + action.hashCode();
    h = 31 * h + principal.hashCode();
    this.hash = 31 * h + Arrays.hashCode(parts);
  }

  /**
   * The key of {@code request} under {@code set}, or null when its decision must not be cached
   * (it depends on the clock). Values are compared as the policies compare them (numbers by
   * value, sets and records by content), so the key holds the request's own values, not a text
   * of them: building one costs a few lookups. A key too large to keep ({@link #storable}) may
   * still be looked up: it is simply never found.
   */
  static DecisionKey of(PolicySet set, Request request) {
    return of(set, request, "");
  }

  /** @param storeTag the entity store's {@link EntitySource#cacheTag}, "" when it holds nothing */
  static DecisionKey of(PolicySet set, Request request, String storeTag) {
    ReadSet reads = set.readSet(request.resource().uid().type());
    if (!reads.cacheable()) {
      return null;
    }
    List<List<String>> paths = reads.paths();
    boolean entities = !request.entities().isEmpty();
    Object[] parts = new Object[paths.size() + (reads.hierarchy() ? 3 : 1) + (entities ? 1 : 0)];
    boolean resourceRead = reads.hierarchy();
    int i = 0;
    for (List<String> path : paths) {
      String root = path.get(0);
      EntityData entity = root.equals("principal") ? request.principal()
          : root.equals("resource") ? request.resource() : null;
      resourceRead |= entity == request.resource();
      Object v;
      if (entity == null) {
        v = walk(request.context(), path);
      } else if (path.size() == 1) {
        v = entity.uid();
      } else {
        v = walk(entity.attrs(), path);
      }
      parts[i++] = v;
    }
    // the resource's own id matters when a rule reads the resource: its data may come from files
    parts[i++] = resourceRead ? request.resource().uid() : null;
    if (reads.hierarchy()) {
      parts[i++] = parents(request.principal());
      parts[i++] = parents(request.resource());
    }
    if (entities) {
      // Request entities override data files, so whatever a path reaches through them counts.
      parts[i] = new HashSet<>(request.entities());
    }
    if (!storeTag.isEmpty()) {
      // the entity store's revision: a write makes every older entry unreachable
      parts = Arrays.copyOf(parts, parts.length + 1);
      parts[parts.length - 1] = new Value.Str(storeTag);
    }
    return new DecisionKey(set.version(), request.resource().uid().type(), request.action(),
        request.principal().uid(), parts);
  }

  /** Whether the key is small enough to keep (keys cost memory): past the bound the request is only decided. */
  boolean storable() {
    return bytes() <= MAX_KEY_BYTES;
  }

  /** What the key's values hold, roughly; parts are sets of parents or request entities, or values. */
  private int estimate() {
    int n = 64 + 2 * (principal.id().length() + action.length());
    for (Object p : parts) {
      if (p instanceof Set<?> set) {
        for (Object o : set) {
          n += o instanceof EntityData e ? 64 + size(new Value.Rec(e.attrs())) + 64 * e.parents().size() : 64;
        }
      } else {
        n += 16 + size(p);
      }
    }
    return n;
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

  /** Parents as given (a set: their order means nothing), or null when the request gave none. */
  private static Object parents(EntityData e) {
    return e.parentsGiven() ? Set.copyOf(e.parents()) : null;
  }

  /** Roughly what a value holds, in bytes, bounded by its content: for the size limit and weights. */
  static int size(Object v) {
    if (v == null || v instanceof Value.Bool || v instanceof Value.Time || v instanceof Value.Dur) {
      return 8;
    }
    if (v instanceof Value.Str s) {
      return 2 * s.value().length();
    }
    if (v instanceof Value.Num n) {
      return 16 + n.value().unscaledValue().bitLength() / 8;
    }
    if (v instanceof Value.Entity e) {
      return 2 * (e.uid().type().length() + e.uid().id().length());
    }
    if (v instanceof EntityUid u) {
      return 2 * (u.type().length() + u.id().length());
    }
    if (v instanceof Value.SetOf set) {
      int n = 16;
      for (Value item : set.items()) {
        n += 16 + size(item);
      }
      return n;
    }
    if (v instanceof Value.Rec r) {
      int n = 16;
      for (Map.Entry<String, Value> f : r.fields().entrySet()) {
        n += 16 + 2 * f.getKey().length() + size(f.getValue());
      }
      return n;
    }
    return 32;
  }

  public String policyVersion() {
    return policyVersion;
  }

  /**
   * The key's canonical text, for caches that store keys elsewhere (another cluster member):
   * every part length-prefixed, sets and records in sorted order, numbers by value, so equal
   * keys have equal texts and different keys different ones. Built once, when first asked.
   */
  public String text() {
    String t = text;
    if (t == null) {
      StringBuilder b = new StringBuilder(128);
      part(b, policyVersion);
      part(b, type);
      part(b, action);
      uid(b, principal);
      for (Object p : parts) {
        b.append('@');
        encode(b, p);
      }
      t = b.toString();
      text = t;
    }
    return t;
  }

  /** An estimate of the bytes this key holds: what it weighs in a cache. */
  public int bytes() {
    int b = bytes;
    if (b == 0) {
      b = estimate();
      bytes = b;
    }
    return b;
  }

  private static void encode(StringBuilder b, Object p) {
    if (p == null) {
      b.append('-');
    } else if (p instanceof Value v) {
      value(b, v);
    } else if (p instanceof EntityUid u) {
      uid(b, u);
    } else if (p instanceof Set<?> set) {
      List<String> items = new ArrayList<>(set.size());
      for (Object o : set) {
        StringBuilder ib = new StringBuilder();
        if (o instanceof EntityData e) {
          uid(ib, e.uid());
          value(ib, new Value.Rec(e.attrs()));
          encode(ib, parents(e));
        } else {
          encode(ib, o);
        }
        items.add(ib.toString());
      }
      items.sort(String::compareTo);
      b.append('{').append(items.size());
      items.forEach(b::append);
    } else {
      throw new IllegalStateException("no canonical form for " + p.getClass().getSimpleName());
    }
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
    if (v instanceof Value.Str s) {
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
      throw new IllegalStateException("no canonical form for a " + v.kind());
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof DecisionKey k && k.hash == hash && k.policyVersion.equals(policyVersion)
        && k.type.equals(type) && k.action.equals(action) && k.principal.equals(principal)
        && Arrays.equals(k.parts, parts);
  }

  @Override
  public int hashCode() {
    return hash;
  }

  @Override
  public String toString() {
    return "DecisionKey[" + type + "." + action + ", " + parts.length + " parts, " + policyVersion + "]";
  }
}
