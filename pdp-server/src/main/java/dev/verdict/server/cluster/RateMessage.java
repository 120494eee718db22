package dev.verdict.server.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.verdict.lang.rate.Rate;
import java.io.IOException;
import java.time.Duration;

/**
 * What a budget step sends to the key's owner: a rate and the deciding node's time. Read back
 * with its shape checked, so a message that does not describe a rate is refused, not applied.
 */
abstract class RateMessage implements IdentifiedDataSerializable {
  private long count;
  private long periodNanos;
  private long burst;
  private long nowMillis;

  RateMessage() {}

  RateMessage(Rate rate, long nowMillis) {
    this.count = rate.count();
    this.periodNanos = rate.period().toNanos();
    this.burst = rate.burst();
    this.nowMillis = nowMillis;
  }

  final Rate rate() {
    return window() ? Rate.window(count, Duration.ofNanos(periodNanos)) : new Rate(count, Duration.ofNanos(periodNanos), burst);
  }

  /** Whether the message is about a sliding window: its class says so, not a field a sender could set. */
  boolean window() {
    return false;
  }

  final long nowMillis() {
    return nowMillis;
  }

  @Override
  public final int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public final void writeData(ObjectDataOutput out) throws IOException {
    out.writeLong(count);
    out.writeLong(periodNanos);
    out.writeLong(burst);
    out.writeLong(nowMillis);
    writeMore(out);
  }

  /** What a subclass sends beyond the rate and the time. */
  void writeMore(ObjectDataOutput out) throws IOException {}

  /** Reads what {@link #writeMore} wrote, checking its shape. */
  void readMore(ObjectDataInput in) throws IOException {}

  @Override
  public final void readData(ObjectDataInput in) throws IOException {
    count = in.readLong();
    periodNanos = in.readLong();
    burst = in.readLong();
    nowMillis = in.readLong();
    try {
      rate();
    } catch (IllegalArgumentException e) {
      throw new IOException("a budget message with an invalid rate: " + e.getMessage());
    }
    if (nowMillis < 0) {
      throw new IOException("a budget message with a negative time");
    }
    readMore(in);
  }
}
