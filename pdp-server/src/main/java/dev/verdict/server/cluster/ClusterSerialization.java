package dev.verdict.server.cluster;

import com.hazelcast.nio.serialization.DataSerializableFactory;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;

/**
 * The only objects of ours that cross the cluster port, by numeric id. Java serialization is
 * refused on the cluster port altogether (see {@link ClusterNode}), so a member deserialises
 * nothing but these, primitives and strings: a crafted message cannot name a class to build.
 */
final class ClusterSerialization implements DataSerializableFactory {
  static final int FACTORY_ID = 0x5645; // "VE"
  static final int GCRA_CONSUME = 1;
  static final int GCRA_REFUND = 2;
  static final int STRICTER_BUDGET_MERGE = 3;
  static final int CACHED_DECISION = 4;
  static final int PREPARE_OUTCOME = 5;
  static final int POLICY_TASK = 6;
  static final int WINDOW_CONSUME = 7;
  static final int WINDOW_REFUND = 8;
  static final int STRICTER_WINDOW_MERGE = 9;
  static final int GCRA_LEASE = 10;

  @Override
  public IdentifiedDataSerializable create(int typeId) {
    return switch (typeId) {
      case GCRA_CONSUME -> new GcraConsume();
      case GCRA_REFUND -> new GcraRefund();
      case STRICTER_BUDGET_MERGE -> new StricterBudgetMerge();
      case CACHED_DECISION -> new CachedDecision();
      case PREPARE_OUTCOME -> new PrepareOutcome();
      case POLICY_TASK -> new PolicyTask();
      case WINDOW_CONSUME -> new WindowConsume();
      case WINDOW_REFUND -> new WindowRefund();
      case STRICTER_WINDOW_MERGE -> new StricterWindowMerge();
      case GCRA_LEASE -> new GcraLease();
      default -> null; // Hazelcast refuses the message
    };
  }
}
