package dev.verdict.server.metrics;

import io.micrometer.core.instrument.Counter;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Counters by four label values, found on every decision without allocating: one map per label,
 * nested, looked up by the label values themselves (strings cache their hash). A key object made
 * of the four values cost an allocation per look-up, which escape analysis did not remove.
 * Values are bounded by the caller (the loaded set's names, or {@code other}).
 */
final class LabelledCounters {
  private final ConcurrentHashMap<String, ConcurrentHashMap<String, ConcurrentHashMap<String,
      ConcurrentHashMap<String, Counter>>>> counters = new ConcurrentHashMap<>();

  /** Makes the counter of four label values the first time they are seen. */
  @FunctionalInterface
  interface Maker {
    Counter make(String a, String b, String c, String d);
  }

  private final Maker maker;

  LabelledCounters(Maker maker) {
    this.maker = maker;
  }

  /** The counter of these four values, made on first use. */
  Counter get(String a, String b, String c, String d) {
    var byB = counters.get(a);
    var byC = byB == null ? null : byB.get(b);
    var byD = byC == null ? null : byC.get(c);
    Counter counter = byD == null ? null : byD.get(d);
    return counter != null ? counter : make(a, b, c, d);
  }

  private Counter make(String a, String b, String c, String d) {
    return counters.computeIfAbsent(a, x -> new ConcurrentHashMap<>())
        .computeIfAbsent(b, x -> new ConcurrentHashMap<>())
        .computeIfAbsent(c, x -> new ConcurrentHashMap<>())
        .computeIfAbsent(d, x -> maker.make(a, b, c, d));
  }
}
