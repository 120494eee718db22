package dev.verdict.server.cluster;

import com.hazelcast.map.EntryProcessor;
import dev.verdict.lang.rate.Gcra;
import dev.verdict.lang.rate.Rate;
import java.util.Map;

/** One {@link Gcra#refund} step on the key's owner: gives back a request another limit refused. */
final class GcraRefund extends RateMessage implements EntryProcessor<String, Long, Boolean> {
  GcraRefund() {}

  GcraRefund(Rate rate, long nowMillis) {
    super(rate, nowMillis);
  }

  @Override
  public Boolean process(Map.Entry<String, Long> entry) {
    Long old = entry.getValue();
    if (old == null) {
      return Boolean.FALSE;
    }
    long state = Gcra.refund(old, rate(), nowMillis());
    GcraConsume.store(entry, state, nowMillis());
    return Boolean.TRUE;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.GCRA_REFUND;
  }
}
