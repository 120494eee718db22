package dev.verdict.server.cluster;

import com.hazelcast.map.EntryProcessor;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.SlidingWindow;
import java.util.Map;

/** One {@link SlidingWindow#refund} step on the key's owner: gives back a request another limit refused. */
final class WindowRefund extends RateMessage implements EntryProcessor<String, long[], Boolean> {
  WindowRefund() {}

  WindowRefund(Rate rate, long nowMillis) {
    super(rate, nowMillis);
  }

  @Override
  boolean window() {
    return true;
  }

  @Override
  public Boolean process(Map.Entry<String, long[]> entry) {
    long[] old = entry.getValue();
    if (old == null) {
      return Boolean.FALSE;
    }
    Rate rate = rate();
    WindowConsume.store(entry, SlidingWindow.refund(old, rate, nowMillis()), rate, nowMillis());
    return Boolean.TRUE;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.WINDOW_REFUND;
  }
}
