package dev.verdict.lang.route;

import java.util.Map;

/**
 * The literal children of a trie node, looked up by a request segment without copying it out
 * of the request string: open addressing over the segments' {@link String#hashCode}, which
 * {@link RequestPath} computes while validating the segment anyway.
 */
final class SegmentMap<V> {

  private static final SegmentMap<?> EMPTY = new SegmentMap<>(new String[1], new Object[1]);

  private final String[] keys;
  private final Object[] values;
  private final int mask;

  private SegmentMap(String[] keys, Object[] values) {
    this.keys = keys;
    this.values = values;
    this.mask = keys.length - 1;
  }

  @SuppressWarnings("unchecked")
  static <V> SegmentMap<V> of(Map<String, V> entries) {
    if (entries.isEmpty()) {
      return (SegmentMap<V>) EMPTY;
    }
    // At most half full, so probe sequences stay short.
    int capacity = Integer.highestOneBit(Math.max(1, entries.size()) * 4 - 1);
    String[] keys = new String[capacity];
    Object[] values = new Object[capacity];
    entries.forEach((k, v) -> {
      int slot = spread(k.hashCode()) & (capacity - 1);
      while (keys[slot] != null) {
        slot = (slot + 1) & (capacity - 1);
      }
      keys[slot] = k;
      values[slot] = v;
    });
    return new SegmentMap<>(keys, values);
  }

  /** The value for segment {@code i} of {@code path}, or null. */
  @SuppressWarnings("unchecked")
  V get(RequestPath path, int i) {
    int slot = spread(path.hash(i)) & mask;
    while (true) {
      String key = keys[slot];
      if (key == null) {
        return null;
      }
      if (key.hashCode() == path.hash(i) && path.is(i, key)) {
        return (V) values[slot];
      }
      slot = (slot + 1) & mask;
    }
  }

  private static int spread(int h) {
    return h ^ (h >>> 16);
  }
}
