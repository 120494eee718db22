package dev.verdict.server.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.verdict.lang.rate.Gcra;
import dev.verdict.lang.rate.Rate;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;

/** One {@link Gcra#refund} step on the key's owner: gives back a request another limit refused. */
final class GcraRefund implements EntryProcessor<String, Long, Boolean>, IdentifiedDataSerializable {
  private long count;
  private long periodNanos;
  private long burst;
  private long nowMillis;

  GcraRefund() {}

  GcraRefund(Rate rate, long nowMillis) {
    this.count = rate.count();
    this.periodNanos = rate.period().toNanos();
    this.burst = rate.burst();
    this.nowMillis = nowMillis;
  }

  @Override
  public Boolean process(Map.Entry<String, Long> entry) {
    Long old = entry.getValue();
    if (old == null) {
      return Boolean.FALSE;
    }
    long state = Gcra.refund(old, new Rate(count, Duration.ofNanos(periodNanos), burst), nowMillis);
    GcraConsume.store(entry, state, nowMillis);
    return Boolean.TRUE;
  }

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.GCRA_REFUND;
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
    try {
      new Rate(count, Duration.ofNanos(periodNanos), burst);
    } catch (IllegalArgumentException e) {
      throw new IOException("a budget message with an invalid rate: " + e.getMessage());
    }
  }
}
