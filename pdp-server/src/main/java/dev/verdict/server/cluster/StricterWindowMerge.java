package dev.verdict.server.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;
import dev.verdict.lang.rate.SlidingWindow;

/**
 * After a split brain heals, each window keeps every time either half admitted: both halves
 * admitted requests while apart, and the merged window must count them all (the stricter state,
 * as {@link StricterBudgetMerge} keeps for buckets). The union holds at most twice the count and
 * shrinks as its times leave the window.
 */
final class StricterWindowMerge
    implements SplitBrainMergePolicy<long[], MergingValue<long[]>, Object>, IdentifiedDataSerializable {

  @Override
  public Object merge(MergingValue<long[]> merging, MergingValue<long[]> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    if (merging == null) {
      return existing.getRawValue();
    }
    return stricter(merging.getDeserializedValue(), existing.getDeserializedValue());
  }

  /** Every time of both, sorted; null counting as empty. */
  static long[] stricter(long[] a, long[] b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return SlidingWindow.stricter(a, b, Integer.MAX_VALUE);
  }

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.STRICTER_WINDOW_MERGE;
  }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
