package dev.verdict.server.cluster;

import com.hazelcast.map.EntryProcessor;
import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import dev.verdict.lang.rate.Gcra;
import dev.verdict.lang.rate.Rate;
import java.io.IOException;
import java.util.Map;

/**
 * A lease for a hot key ({@link LeasingBudgetStore}), on the partition that owns the key: gives
 * back the tokens an expired lease left unused, then takes up to {@code take} tokens, each one
 * {@link Gcra#consume} step, as if that many requests had come at once. The tokens are counted
 * here when they are leased, so the cluster never admits more than the key's owner granted.
 *
 * <p>Returns the outcome of the last step as {@link GcraConsume#encode} does (admitted when at
 * least one token was granted), followed by the number of tokens granted.
 */
final class GcraLease extends RateMessage implements EntryProcessor<String, Long, long[]> {
  /** The most tokens one lease takes or gives back: a lease is a small batch. */
  static final int MAX_TOKENS = 1_000;

  private int take;
  private int giveBack;

  GcraLease() {}

  GcraLease(Rate rate, long nowMillis, int take, int giveBack) {
    super(rate, nowMillis);
    this.take = take;
    this.giveBack = giveBack;
  }

  @Override
  public long[] process(Map.Entry<String, Long> entry) {
    Rate rate = rate();
    Long old = entry.getValue();
    long state = old == null ? Gcra.IDLE : old;
    for (int i = 0; i < giveBack && state != Gcra.IDLE; i++) {
      state = Gcra.refund(state, rate, nowMillis());
    }
    Gcra.Step last = null;
    int granted = 0;
    while (granted < take) {
      Gcra.Step step = Gcra.consume(state, rate, nowMillis());
      if (!step.outcome().allowed()) {
        if (last == null) {
          last = step;
        }
        break;
      }
      state = step.state();
      last = step;
      granted++;
    }
    if (old == null ? state != Gcra.IDLE : state != old) {
      GcraConsume.store(entry, state, nowMillis());
    }
    long[] outcome = last == null ? GcraConsume.encode(Gcra.consume(state, rate, nowMillis()).outcome())
        : GcraConsume.encode(last.outcome());
    long[] answer = java.util.Arrays.copyOf(outcome, outcome.length + 1);
    answer[outcome.length] = granted;
    return answer;
  }

  @Override
  void writeMore(ObjectDataOutput out) throws IOException {
    out.writeInt(take);
    out.writeInt(giveBack);
  }

  @Override
  void readMore(ObjectDataInput in) throws IOException {
    take = in.readInt();
    giveBack = in.readInt();
    if (take < 0 || take > MAX_TOKENS || giveBack < 0 || giveBack > MAX_TOKENS) {
      throw new IOException("a budget lease of 0 to " + MAX_TOKENS + " tokens, not " + take + " taken and "
          + giveBack + " given back");
    }
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.GCRA_LEASE;
  }
}
