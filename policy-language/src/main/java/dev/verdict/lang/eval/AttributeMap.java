package dev.verdict.lang.eval;

import java.util.AbstractMap;
import java.util.AbstractSet;
import java.util.Iterator;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * An immutable map of attribute names to values, made at once from pairs, for the maps a
 * request carries (an entity's attributes, the context): made by a reader on every request and
 * looked up by the evaluator on every decision. {@code Map.of}'s maps find a name's place with
 * an integer division ({@code floorMod} by the table's length) on every probe, made and looked up
 * alike; this one's table has a power-of-two length, so the place is a mask. Like
 * {@code Map.of}, it refuses two equal names and null names or values, and
 * {@link EntityData} and {@link Request} keep it without a copy.
 */
public final class AttributeMap extends AbstractMap<String, Value> {
  private static final AttributeMap EMPTY = new AttributeMap(new Object[2], 0);

  /** Names at even places, each followed by its value; at most half the slots used. */
  private final Object[] table;
  private final int size;
  private final int mask;
  private Set<Map.Entry<String, Value>> entries;

  private AttributeMap(Object[] table, int size) {
    this.table = table;
    this.size = size;
    this.mask = table.length / 2 - 1;
  }

  /**
   * The map of the pairs {@code kv[from], kv[from + 1], …} up to {@code to}: names (strings) at
   * even offsets, each followed by its value.
   *
   * @throws IllegalArgumentException when two names are equal
   * @throws NullPointerException when a name or a value is null
   */
  public static AttributeMap ofPairs(Object[] kv, int from, int to) {
    int n = (to - from) / 2;
    if (n == 0) {
      return EMPTY;
    }
    int slots = Integer.highestOneBit(n * 2 - 1) << 1; // a power of two of at least twice n
    Object[] table = new Object[slots * 2];
    int mask = slots - 1;
    for (int i = from; i < to; i += 2) {
      String name = (String) Objects.requireNonNull(kv[i], "an attribute name is null");
      Object value = Objects.requireNonNull(kv[i + 1], "an attribute value is null");
      int at = place(name, mask);
      while (table[at * 2] != null) {
        if (table[at * 2].equals(name)) {
          throw new IllegalArgumentException("the attribute `" + name + "` is named twice");
        }
        at = (at + 1) & mask;
      }
      table[at * 2] = name;
      table[at * 2 + 1] = (Value) value;
    }
    return new AttributeMap(table, n);
  }

  private static int place(Object name, int mask) {
    int h = name.hashCode();
    return (h ^ (h >>> 16)) & mask;
  }

  @Override
  public Value get(Object name) {
    if (name == null || size == 0) {
      return null;
    }
    for (int at = place(name, mask); ; at = (at + 1) & mask) {
      Object k = table[at * 2];
      if (k == null) {
        return null;
      }
      if (k.equals(name)) {
        return (Value) table[at * 2 + 1];
      }
    }
  }

  @Override
  public boolean containsKey(Object name) {
    return get(name) != null;
  }

  @Override
  public int size() {
    return size;
  }

  @Override
  public boolean isEmpty() {
    return size == 0;
  }

  @Override
  public void forEach(BiConsumer<? super String, ? super Value> action) {
    for (int i = 0; i < table.length; i += 2) {
      if (table[i] != null) {
        action.accept((String) table[i], (Value) table[i + 1]);
      }
    }
  }

  @Override
  public Set<Map.Entry<String, Value>> entrySet() {
    if (entries == null) {
      entries = new Entries();
    }
    return entries;
  }

  /** The pairs, read-only, in the table's order. */
  private final class Entries extends AbstractSet<Map.Entry<String, Value>> {
    @Override
    public int size() {
      return size;
    }

    @Override
    public Iterator<Map.Entry<String, Value>> iterator() {
      return new Iterator<>() {
        private int next = advance(0);

        private int advance(int from) {
          int i = from;
          while (i < table.length && table[i] == null) {
            i += 2;
          }
          return i;
        }

        @Override
        public boolean hasNext() {
          return next < table.length;
        }

        @Override
        public Map.Entry<String, Value> next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          Map.Entry<String, Value> e = Map.entry((String) table[next], (Value) table[next + 1]);
          next = advance(next + 2);
          return e;
        }
      };
    }
  }
}
