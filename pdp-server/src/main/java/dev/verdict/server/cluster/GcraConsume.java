package dev.verdict.server.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import dev.verdict.lang.rate.Gcra;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@link Gcra#consume} step, run on the partition that owns the key (and, with the same
 * inputs, on its backup), so the cluster admits exactly what one process would. The entry
 * expires when the key is back at its full budget: an idle key carries nothing.
 *
 * <p>Returns the outcome as five longs: admitted (1/0), limit, remaining, retry-after and
 * reset-after in nanoseconds.
 */
final class GcraConsume extends RateMessage implements EntryProcessor<String, Long, long[]> {
  GcraConsume() {}

  GcraConsume(Rate rate, long nowMillis) {
    super(rate, nowMillis);
  }

  @Override
  public long[] process(Map.Entry<String, Long> entry) {
    Rate rate = rate();
    Long old = entry.getValue();
    Gcra.Step step = Gcra.consume(old == null ? Gcra.IDLE : old, rate, nowMillis());
    if (step.outcome().allowed()) {
      store(entry, step.state(), nowMillis());
    }
    return encode(step.outcome());
  }

  /**
   * Expiry counts on the owning member's clock, the state on the deciding node's: a key kept this
   * much longer than its budget needs survives clocks that disagree by up to this much.
   */
  static final long CLOCK_SKEW_MARGIN_MILLIS = 5_000;

  /** Writes the state with a time to live until it is idle again, or removes an idle one. */
  static void store(Map.Entry<String, Long> entry, long state, long nowMillis) {
    if (Gcra.isIdle(state, nowMillis)) {
      entry.setValue(null);
      return;
    }
    long ttlMillis = (state / 1_000L - nowMillis) + 1 + CLOCK_SKEW_MARGIN_MILLIS;
    ((ExtendedMapEntry<String, Long>) entry).setValue(state, ttlMillis, TimeUnit.MILLISECONDS);
  }

  static long[] encode(RateOutcome o) {
    return new long[] {o.allowed() ? 1 : 0, o.limit(), o.remaining(), o.retryAfter().toNanos(),
        o.resetAfter().toNanos()};
  }

  static RateOutcome decode(long[] v) {
    return new RateOutcome(v[0] == 1, v[1], v[2], Duration.ofNanos(v[3]), Duration.ofNanos(v[4]));
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.GCRA_CONSUME;
  }
}
