package dev.verdict.server.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.verdict.lang.rate.Gcra;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import java.io.IOException;
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
final class GcraConsume implements EntryProcessor<String, Long, long[]>, IdentifiedDataSerializable {
  private long count;
  private long periodNanos;
  private long burst;
  private long nowMillis;

  GcraConsume() {}

  GcraConsume(Rate rate, long nowMillis) {
    this.count = rate.count();
    this.periodNanos = rate.period().toNanos();
    this.burst = rate.burst();
    this.nowMillis = nowMillis;
  }

  @Override
  public long[] process(Map.Entry<String, Long> entry) {
    Rate rate = new Rate(count, Duration.ofNanos(periodNanos), burst);
    Long old = entry.getValue();
    Gcra.Step step = Gcra.consume(old == null ? Gcra.IDLE : old, rate, nowMillis);
    if (step.outcome().allowed()) {
      store(entry, step.state(), nowMillis);
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
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.GCRA_CONSUME;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(count);
    out.writeLong(periodNanos);
    out.writeLong(burst);
    out.writeLong(nowMillis);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    count = in.readLong();
    periodNanos = in.readLong();
    burst = in.readLong();
    nowMillis = in.readLong();
    // A message that does not describe a rate is refused here, not applied.
    try {
      new Rate(count, Duration.ofNanos(periodNanos), burst);
    } catch (IllegalArgumentException e) {
      throw new IOException("a budget message with an invalid rate: " + e.getMessage());
    }
    if (nowMillis < 0) {
      throw new IOException("a budget message with a negative time");
    }
  }
}
