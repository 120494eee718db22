package dev.verdict.server.cluster;

import com.hazelcast.core.HazelcastInstance;
import com.hazelcast.core.HazelcastInstanceAware;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;
import java.util.concurrent.Callable;

/**
 * A step of a cluster-wide policy switch, run on every member against its own
 * {@link PolicyParticipant}: prepare a bundle, activate or abort a version.
 */
final class PolicyTask implements Callable<Object>, IdentifiedDataSerializable, HazelcastInstanceAware {
  enum Step { PREPARE, ACTIVATE, ABORT }

  /** A pushed bundle may be at most this large on the cluster port. */
  static final int MAX_BUNDLE_BYTES = 16 * 1024 * 1024;

  private Step step;
  private byte[] bundle = new byte[0];
  private String version = "";
  private transient HazelcastInstance hz;

  PolicyTask() {}

  static PolicyTask prepare(byte[] bundle) {
    PolicyTask t = new PolicyTask();
    t.step = Step.PREPARE;
    t.bundle = bundle;
    return t;
  }

  static PolicyTask activate(String version) {
    PolicyTask t = new PolicyTask();
    t.step = Step.ACTIVATE;
    t.version = version;
    return t;
  }

  static PolicyTask abort(String version) {
    PolicyTask t = new PolicyTask();
    t.step = Step.ABORT;
    t.version = version;
    return t;
  }

  @Override
  public void setHazelcastInstance(HazelcastInstance instance) {
    this.hz = instance;
  }

  @Override
  public Object call() {
    Object p = hz.getUserContext().get(PolicyParticipant.USER_CONTEXT_KEY);
    if (!(p instanceof PolicyParticipant participant)) {
      return step == Step.PREPARE ? PrepareOutcome.refused("this member serves no pushed policies") : Boolean.FALSE;
    }
    return switch (step) {
      case PREPARE -> participant.prepare(bundle);
      case ACTIVATE -> participant.activate(version);
      case ABORT -> {
        participant.abort(version);
        yield Boolean.TRUE;
      }
    };
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeInt(step.ordinal());
    out.writeByteArray(bundle);
    out.writeString(version);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    int s = in.readInt();
    if (s < 0 || s >= Step.values().length) {
      throw new IOException("not a policy task");
    }
    step = Step.values()[s];
    bundle = in.readByteArray();
    version = in.readString();
    if (bundle == null || bundle.length > MAX_BUNDLE_BYTES || version == null || version.length() > 200) {
      throw new IOException("not a policy task");
    }
  }

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.POLICY_TASK;
  }
}
