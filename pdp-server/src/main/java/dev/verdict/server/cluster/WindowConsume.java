package dev.verdict.server.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.map.ExtendedMapEntry;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.SlidingWindow;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One {@link SlidingWindow#consume} step on the partition that owns the key (and its backup),
 * as {@link GcraConsume} is for buckets: the cluster admits exactly what one process would.
 * The entry expires when the window is empty again. Returns the outcome as
 * {@link GcraConsume#encode} does.
 */
final class WindowConsume extends RateMessage implements EntryProcessor<String, long[], long[]> {
  WindowConsume() {}

  WindowConsume(Rate rate, long nowMillis) {
    super(rate, nowMillis);
  }

  @Override
  boolean window() {
    return true;
  }

  @Override
  public long[] process(Map.Entry<String, long[]> entry) {
    Rate rate = rate();
    long[] old = entry.getValue();
    SlidingWindow.Step step = SlidingWindow.consume(old == null ? SlidingWindow.EMPTY : old, rate, nowMillis());
    if (step.outcome().allowed()) {
      store(entry, step.state(), rate, nowMillis());
    }
    return GcraConsume.encode(step.outcome());
  }

  /** Writes the times with a time to live until the window is empty, or removes an empty one. */
  static void store(Map.Entry<String, long[]> entry, long[] times, Rate rate, long nowMillis) {
    if (SlidingWindow.isIdle(times, rate.periodMillis(), nowMillis)) {
      entry.setValue(null);
      return;
    }
    long ttlMillis = times[times.length - 1] + rate.periodMillis() - nowMillis + 1 + GcraConsume.CLOCK_SKEW_MARGIN_MILLIS;
    ((ExtendedMapEntry<String, long[]>) entry).setValue(times, ttlMillis, TimeUnit.MILLISECONDS);
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.WINDOW_CONSUME;
  }
}
