package dev.verdict.server.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import com.hazelcast.spi.merge.MergingValue;
import com.hazelcast.spi.merge.SplitBrainMergePolicy;

/**
 * After a split brain heals, each budget keeps the stricter of its two states: the later
 * theoretical arrival time, which has admitted more. Both halves admitted requests while apart;
 * the merged budget must not forget either half's.
 */
final class StricterBudgetMerge
    implements SplitBrainMergePolicy<Long, MergingValue<Long>, Object>, IdentifiedDataSerializable {

  @Override
  public Object merge(MergingValue<Long> merging, MergingValue<Long> existing) {
    if (existing == null) {
      return merging.getRawValue();
    }
    if (merging == null) {
      return existing.getRawValue();
    }
    Long m = merging.getDeserializedValue();
    Long e = existing.getDeserializedValue();
    return m != null && (e == null || m >= e) ? merging.getRawValue() : existing.getRawValue();
  }

  /** The later of two states, null counting as idle. */
  static Long stricter(Long a, Long b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
    }
    return a >= b ? a : b;
  }

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.STRICTER_BUDGET_MERGE;
  }

  @Override
  public void writeData(ObjectDataOutput out) {}

  @Override
  public void readData(ObjectDataInput in) {}
}
