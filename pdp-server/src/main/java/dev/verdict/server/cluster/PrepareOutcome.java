package dev.verdict.server.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import java.io.IOException;

/** One member's answer to the first phase: the version it compiled, or why it could not. */
final class PrepareOutcome implements IdentifiedDataSerializable {
  /** Diagnostics travel back to the pushing node; beyond this they are cut. */
  static final int MAX_MESSAGE_CHARS = 64 * 1024;

  private boolean ok;
  private String version = "";
  private String message = "";

  PrepareOutcome() {}

  static PrepareOutcome prepared(String version) {
    PrepareOutcome o = new PrepareOutcome();
    o.ok = true;
    o.version = version;
    return o;
  }

  static PrepareOutcome refused(String message) {
    PrepareOutcome o = new PrepareOutcome();
    o.message = message.length() > MAX_MESSAGE_CHARS ? message.substring(0, MAX_MESSAGE_CHARS) + "…" : message;
    return o;
  }

  boolean ok() {
    return ok;
  }

  String version() {
    return version;
  }

  String message() {
    return message;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeBoolean(ok);
    out.writeString(version);
    out.writeString(message);
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    ok = in.readBoolean();
    version = in.readString();
    message = in.readString();
    if (version == null || message == null || message.length() > MAX_MESSAGE_CHARS + 1) {
      throw new IOException("not a prepare outcome");
    }
  }

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.PREPARE_OUTCOME;
  }
}
