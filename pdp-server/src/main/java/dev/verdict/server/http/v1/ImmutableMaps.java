package dev.verdict.server.http.v1;

import dev.verdict.lang.eval.Value;
import java.util.Map;

/**
 * Immutable maps made from names and values as a streaming reader collects them, side by side
 * in one array, without a {@link Map.Entry} for each: the small maps every request carries
 * (an entity's attributes, the context) are made by {@code Map.of}, which takes its pairs as
 * they are; only larger ones pay for entries.
 */
final class ImmutableMaps {
  private ImmutableMaps() {}

  /**
   * The map of the pairs {@code kv[from], kv[from + 1], …} up to {@code to}: names (strings) at
   * even offsets, each followed by its value; null when two names are equal. The maps check
   * that as they are made, so a reader need not check its names before.
   */
  static Map<String, Value> of(Object[] kv, int from, int to) {
    try {
      return pairs(kv, from, to);
    } catch (IllegalArgumentException duplicate) {
      return null;
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Value> pairs(Object[] kv, int from, int to) {
    int n = (to - from) / 2;
    switch (n) {
      case 0:
        return Map.of();
      case 1:
        return Map.of(k(kv, from, 0), v(kv, from, 0));
      case 2:
        return Map.of(k(kv, from, 0), v(kv, from, 0), k(kv, from, 1), v(kv, from, 1));
      case 3:
        return Map.of(k(kv, from, 0), v(kv, from, 0), k(kv, from, 1), v(kv, from, 1), k(kv, from, 2),
            v(kv, from, 2));
      case 4:
        return Map.of(k(kv, from, 0), v(kv, from, 0), k(kv, from, 1), v(kv, from, 1), k(kv, from, 2),
            v(kv, from, 2), k(kv, from, 3), v(kv, from, 3));
      case 5:
        return Map.of(k(kv, from, 0), v(kv, from, 0), k(kv, from, 1), v(kv, from, 1), k(kv, from, 2),
            v(kv, from, 2), k(kv, from, 3), v(kv, from, 3), k(kv, from, 4), v(kv, from, 4));
      case 6:
        return Map.of(k(kv, from, 0), v(kv, from, 0), k(kv, from, 1), v(kv, from, 1), k(kv, from, 2),
            v(kv, from, 2), k(kv, from, 3), v(kv, from, 3), k(kv, from, 4), v(kv, from, 4), k(kv, from, 5),
            v(kv, from, 5));
      case 7:
        return Map.of(k(kv, from, 0), v(kv, from, 0), k(kv, from, 1), v(kv, from, 1), k(kv, from, 2),
            v(kv, from, 2), k(kv, from, 3), v(kv, from, 3), k(kv, from, 4), v(kv, from, 4), k(kv, from, 5),
            v(kv, from, 5), k(kv, from, 6), v(kv, from, 6));
      case 8:
        return Map.of(k(kv, from, 0), v(kv, from, 0), k(kv, from, 1), v(kv, from, 1), k(kv, from, 2),
            v(kv, from, 2), k(kv, from, 3), v(kv, from, 3), k(kv, from, 4), v(kv, from, 4), k(kv, from, 5),
            v(kv, from, 5), k(kv, from, 6), v(kv, from, 6), k(kv, from, 7), v(kv, from, 7));
      default:
        Map.Entry<String, Value>[] entries = new Map.Entry[n];
        for (int i = 0; i < n; i++) {
          entries[i] = Map.entry(k(kv, from, i), v(kv, from, i));
        }
        return Map.ofEntries(entries);
    }
  }

  private static String k(Object[] kv, int from, int i) {
    return (String) kv[from + 2 * i];
  }

  private static Value v(Object[] kv, int from, int i) {
    return (Value) kv[from + 2 * i + 1];
  }
}
