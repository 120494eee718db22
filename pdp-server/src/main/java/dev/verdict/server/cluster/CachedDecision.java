package dev.verdict.server.cluster;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.IdentifiedDataSerializable;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.source.Span;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A decision as the cluster's decision cache holds it: what the rules decided, never a rate
 * outcome or a trace. Read back field by field with every count bounded, so a message on the
 * cluster port that is not a decision is refused rather than built.
 */
final class CachedDecision implements IdentifiedDataSerializable {
  /** Reasons, errors, masked and write-denied fields: more than a policy set could produce. */
  static final int MAX_ITEMS = 10_000;

  private Decision decision;

  CachedDecision() {}

  CachedDecision(Decision decision) {
    if (decision.rate().isPresent() || decision.trace().isPresent()) {
      throw new IllegalArgumentException("a cached decision carries no rate outcome and no trace");
    }
    this.decision = decision;
  }

  Decision decision() {
    return decision;
  }

  @Override
  public void writeData(ObjectDataOutput out) throws IOException {
    out.writeString(decision.outcome().name());
    out.writeString(decision.policyVersion());
    out.writeInt(decision.reasons().size());
    for (String r : decision.reasons()) {
      out.writeString(r);
    }
    out.writeInt(decision.errors().size());
    for (EvalError e : decision.errors()) {
      out.writeString(e.ruleId());
      span(out, e.span());
      out.writeString(e.message());
      out.writeString(e.kind().name());
    }
    out.writeInt(decision.readMask().size());
    for (Map.Entry<String, FieldEffect> m : decision.readMask().entrySet()) {
      out.writeString(m.getKey());
      out.writeString(m.getValue().kind().name());
      out.writeInt(m.getValue().keep());
    }
    out.writeInt(decision.writeDenied().size());
    for (String w : decision.writeDenied()) {
      out.writeString(w);
    }
  }

  @Override
  public void readData(ObjectDataInput in) throws IOException {
    try {
      Decision.Outcome outcome = Decision.Outcome.valueOf(text(in));
      if (outcome == Decision.Outcome.RATE_LIMITED) {
        throw new IOException("a cached decision is never rate limited");
      }
      String version = text(in);
      List<String> reasons = new ArrayList<>();
      for (int i = count(in); i > 0; i--) {
        reasons.add(text(in));
      }
      List<EvalError> errors = new ArrayList<>();
      for (int i = count(in); i > 0; i--) {
        errors.add(new EvalError(text(in), span(in), text(in), EvalError.Kind.valueOf(text(in))));
      }
      Map<String, FieldEffect> read = new HashMap<>();
      for (int i = count(in); i > 0; i--) {
        String path = text(in);
        FieldEffect.Kind kind = FieldEffect.Kind.valueOf(text(in));
        read.put(path, new FieldEffect(kind, in.readInt(), Span.NONE));
      }
      Set<String> write = new HashSet<>();
      for (int i = count(in); i > 0; i--) {
        write.add(text(in));
      }
      decision = new Decision(outcome, reasons, errors, read, write, Optional.empty(), Optional.empty(), version);
    } catch (IllegalArgumentException | NullPointerException e) {
      throw new IOException("not a cached decision: " + e.getMessage());
    }
  }

  private static void span(ObjectDataOutput out, Span s) throws IOException {
    out.writeString(s.file());
    out.writeInt(s.line());
    out.writeInt(s.column());
    out.writeInt(s.endLine());
    out.writeInt(s.endColumn());
    out.writeInt(s.start());
    out.writeInt(s.end());
  }

  private static Span span(ObjectDataInput in) throws IOException {
    return new Span(text(in), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt(), in.readInt());
  }

  private static String text(ObjectDataInput in) throws IOException {
    String s = in.readString();
    if (s == null) {
      throw new IOException("not a cached decision: a missing string");
    }
    return s;
  }

  private static int count(ObjectDataInput in) throws IOException {
    int n = in.readInt();
    if (n < 0 || n > MAX_ITEMS) {
      throw new IOException("not a cached decision: " + n + " items");
    }
    return n;
  }

  @Override
  public int getFactoryId() {
    return ClusterSerialization.FACTORY_ID;
  }

  @Override
  public int getClassId() {
    return ClusterSerialization.CACHED_DECISION;
  }
}
