package dev.verdict.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.ast.FieldEffect;
import dev.verdict.lang.mask.FieldMaskCodec;
import dev.verdict.lang.mask.MaskApplier;
import dev.verdict.lang.mask.ReadMask;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Applying a 5-field read mask (redact, hide, partial, hash, and a list path) to an account
 * document of about 2 KB, through the public API. {@code copyOnly} is the floor: the deep copy
 * every application makes so the input stays untouched.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MaskApplyBenchmark {

  private MaskApplier applier;
  private ReadMask mask;
  private ReadMask header;
  private JsonNode document;

  @Setup
  public void setUp() throws Exception {
    applier = MaskApplier.create("bench-key-0123456789abcdef-bench".getBytes(StandardCharsets.US_ASCII));
    mask = ReadMask.empty()
        .with("balance", FieldEffect.of(FieldEffect.Kind.REDACT))
        .with("holder.ssn", FieldEffect.of(FieldEffect.Kind.HIDE))
        .with("number", new FieldEffect(FieldEffect.Kind.PARTIAL, 4, dev.verdict.lang.source.Span.NONE))
        .with("holder.email", FieldEffect.of(FieldEffect.Kind.HASH))
        .with("transactions[].counterparty", FieldEffect.of(FieldEffect.Kind.REDACT));
    header = FieldMaskCodec.decodeRead(FieldMaskCodec.encode(mask));
    StringBuilder json = new StringBuilder("""
        {"id":"acc-000123","number":"4111111111111234","tenant":"t1","branch":"berlin-mitte",
         "owner":"alice","balance":12345.67,"currency":"EUR","frozen":false,"tags":["vip","new","eu"],
         "holder":{"name":"Alice Example","email":"alice@example.com","ssn":"123-45-6789",
                   "address":{"street":"Example Street 1","city":"Berlin","zip":"10115"}},
         "transactions":[""");
    for (int i = 0; i < 17; i++) {
      json.append(i == 0 ? "" : ",")
          .append("{\"id\":\"tx-").append(1000 + i).append("\",\"amount\":").append(10 + i * 7.5)
          .append(",\"counterparty\":\"DE89370400440532013").append(String.format("%03d", i))
          .append("\",\"booked\":\"2026-01-").append(String.format("%02d", i + 1)).append("T10:00:00Z\"}");
    }
    json.append("]}");
    document = new ObjectMapper().readTree(json.toString());
    int size = document.toString().getBytes(StandardCharsets.UTF_8).length;
    if (size < 1_800 || size > 2_400) {
      throw new IllegalStateException("benchmark document is " + size + " bytes, not about 2 KB");
    }
  }

  @Benchmark
  public JsonNode apply() {
    return applier.apply(mask, document);
  }

  /** The same mask decoded from its header text each time, as a gateway would. */
  @Benchmark
  public JsonNode decodeAndApply() {
    return applier.apply(FieldMaskCodec.decodeRead(FieldMaskCodec.encode(header)), document);
  }

  @Benchmark
  public JsonNode copyOnly() {
    return document.deepCopy();
  }
}
