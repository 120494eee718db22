package dev.verdict.bench;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.engine.DecideOptions;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.server.http.JsonCodec;
import dev.verdict.server.http.v1.AuthZenReader;
import dev.verdict.server.http.v1.DecisionsHandler;
import dev.verdict.server.http.v1.DecisionsReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The peer model (accounts and documents, derived roles, time comparisons, forbids, masks) that
 * Cerbos, cedar-java and jCasbin are measured on (see {@code bench-model/README.md}): one
 * transfer decision (1×1), the 30 fixture decisions (10×3), and 1×1 from the request's JSON, with
 * 0, 1,000 or 10,000 unrelated policies loaded beside the model.
 *
 * <pre>CPUS=1 bash benchmarks/jmh-forks.sh 'BenchModelBenchmark.oneByOneFromJson$' 10</pre>
 * (the median of ten forks pinned to one core: docs/benchmarks.md says why), and for allocation
 * <pre>java -jar benchmarks/target/benchmarks.jar BenchModel -f 1 -wi 10 -w 1s -i 5 -r 1s -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class BenchModelBenchmark {
  static final String MODEL = "bench-model/";
  /** The fixture's clock: `verdict test` decides at this time, and so do the peers' runs. */
  static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-01T12:00:00Z"), ZoneOffset.UTC);

  @Param({"0", "1000", "10000"})
  public int unrelated;

  private Engine engine;
  private Request oneByOne;
  private List<Request> tenByThree;
  private List<Batch> batches;

  /** Resources asked the same actions. */
  private record Batch(List<dev.verdict.lang.eval.EntityData> resources, List<String> actions) {}
  private JsonNode oneByOneJson;
  /** The AuthZEN 1×1 body as the server receives it. */
  private byte[] oneByOneBody;
  private byte[] oneByOneNativeBody;
  /** The native 10×3 body ({@code /v1/decisions}) as the server receives it. */
  private byte[] nativeTenByThreeBody;
  private static final DecisionsHandler.Limits NATIVE_LIMITS = new DecisionsHandler.Limits(100, 20, 1_000, 30);
  private dev.verdict.lang.eval.ValueTypes types;
  private Decision oneByOneDecision;
  /** A decision id's shape (32 hex digits): the answer's one member that differs every time. */
  private static final String ONE_BY_ONE_ID = "0123456789abcdef0123456789abcdef";

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    Map<String, String> files = new HashMap<>();
    for (String f : List.of("account.verdict", "document.verdict", "roles.verdict")) {
      files.put(f, resource(MODEL + "policies/" + f));
    }
    // 1,000 rules a file: one file of 10,000 would pass the parser's bound on tokens per file
    for (int from = 0, f = 0; from < unrelated; from += 1_000, f++) {
      files.put("unrelated" + f + ".verdict", unrelated(from, Math.min(unrelated, from + 1_000)));
    }
    engine = Engine.builder(PolicySource.files(files)).clock(CLOCK).buildOrThrow();
    ObjectMapper json = new ObjectMapper();
    oneByOneJson = nativeRequest(json.readTree(resource(MODEL + "requests/evaluation_1x1.json")), null);
    oneByOne = parse(oneByOneJson);
    oneByOneBody = resource(MODEL + "requests/evaluation_1x1.json").getBytes(StandardCharsets.UTF_8);
    oneByOneNativeBody = json.writeValueAsBytes(oneByOneJson);
    types = engine.active().orElseThrow().set().types();
    if (!oneByOne.equals(AuthZenReader.evaluation(oneByOneBody, types))) {
      throw new IllegalStateException("the AuthZEN body is not read as the request it asks");
    }
    nativeTenByThreeBody = resource(MODEL + "requests/decisions_10x3.json").getBytes(StandardCharsets.UTF_8);
    DecisionsReader.Read nativeRead = nativeTenByThreeRead();
    if (nativeRead == null || !nativeRead.equals(nativeTenByThreeTree())) {
      throw new IllegalStateException("the native body is not read as its tree reads it");
    }
    JsonNode batch = json.readTree(resource(MODEL + "requests/evaluations_10x3.json"));
    tenByThree = new ArrayList<>();
    for (JsonNode item : batch.get("evaluations")) {
      tenByThree.add(parse(nativeRequest(batch, item)));
    }
    // the file asks three actions of each resource; consecutive resources asked the same three form one batch
    batches = new ArrayList<>();
    for (int i = 0; i < tenByThree.size(); i += 3) {
      List<String> actions = List.of(tenByThree.get(i).action(), tenByThree.get(i + 1).action(),
          tenByThree.get(i + 2).action());
      Batch last = batches.isEmpty() ? null : batches.get(batches.size() - 1);
      if (last == null || !last.actions().equals(actions)) {
        last = new Batch(new ArrayList<>(), actions);
        batches.add(last);
      }
      last.resources().add(tenByThree.get(i).resource());
    }
    Decision d = engine.decide(oneByOne, DecideOptions.WHAT_IF);
    oneByOneDecision = d;
    long allowed = tenByThree.stream().filter(r -> engine.decide(r, DecideOptions.WHAT_IF).allowed()).count();
    long batchAllowed = batches.stream().flatMap(b -> engine.decideBatch(tenByThree.get(0).principal(), b.resources(),
        b.actions(), Map.of(), List.of(), DecideOptions.WHAT_IF).stream()).filter(Decision::allowed).count();
    if (!d.allowed() || tenByThree.size() != 30 || allowed != 10 || batchAllowed != 10) {
      throw new IllegalStateException("the model does not decide as its fixture says: " + d + ", " + allowed
          + " of " + tenByThree.size() + " allowed");
    }
  }

  @Benchmark
  public Decision oneByOne() {
    return engine.decide(oneByOne, DecideOptions.WHAT_IF);
  }

  @Benchmark
  public void tenByThree(Blackhole bh) {
    for (Request r : tenByThree) {
      bh.consume(engine.decide(r, DecideOptions.WHAT_IF));
    }
  }

  /**
   * The same 30 decisions as batches ({@code Engine.decideBatch}: one principal, the 5 documents
   * and their 3 actions, then the 5 accounts and theirs), which share a clock reading and the
   * stamped context.
   */
  @Benchmark
  public void tenByThreeBatch(Blackhole bh) {
    for (Batch b : batches) {
      bh.consume(engine.decideBatch(tenByThree.get(0).principal(), b.resources(), b.actions(), Map.of(), List.of(),
          DecideOptions.WHAT_IF));
    }
  }

  /** 1×1 from the AuthZEN body's bytes, read as the server reads it (streamed, no tree; issue 17's fourth pass). */
  @Benchmark
  public Decision oneByOneFromJson() {
    return engine.decide(AuthZenReader.evaluation(oneByOneBody, types), DecideOptions.WHAT_IF);
  }

  /** The read alone: the AuthZEN 1×1 body's bytes into the engine's {@code Request}, no decision. */
  @Benchmark
  public Request oneByOneRead() {
    return AuthZenReader.evaluation(oneByOneBody, types);
  }

  /** The native 10×3 body's bytes read by the server's streaming reader ({@code DecisionsReader}). */
  @Benchmark
  public DecisionsReader.Read nativeTenByThreeRead() {
    return DecisionsReader.read(nativeTenByThreeBody, 0, nativeTenByThreeBody.length, types, NATIVE_LIMITS);
  }

  /** The same body read as the server read it before (a tree, then {@code RequestJson}): the reader's baseline. */
  @Benchmark
  public DecisionsReader.Read nativeTenByThreeTree() {
    ObjectNode body = JsonCodec.parseObject(io.vertx.core.buffer.Buffer.buffer(nativeTenByThreeBody));
    try {
      EntityData principal = RequestJson.entityAt(body.get("principal"), "$.principal", "User", types);
      List<EntityData> resources = new ArrayList<>();
      JsonNode r = body.get("resources");
      for (int i = 0; i < r.size(); i++) {
        resources.add(RequestJson.entityAt(r.get(i), "$.resources[" + i + "]", null, types));
      }
      List<String> actions = new ArrayList<>();
      body.get("actions").forEach(a -> actions.add(a.textValue()));
      return new DecisionsReader.Read(principal, resources, actions,
          RequestJson.contextAt(body.get("context"), "$.context", types),
          RequestJson.entitiesAt(body.get("entities"), "$.entities", types), false);
    } catch (RequestJson.InvalidRequest e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * The floor under {@link #oneByOneRead}: Jackson's streaming parser over the same bytes with
   * the server's bounds, every token read and every name and string made, nothing built.
   */
  @Benchmark
  public void oneByOneTokens(Blackhole bh) throws IOException {
    try (JsonParser p = JsonCodec.streamingParser(oneByOneBody, 0, oneByOneBody.length)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME || t == JsonToken.VALUE_STRING) {
          bh.consume(p.getText());
        } else if (t == JsonToken.VALUE_NUMBER_INT) {
          bh.consume(p.getLongValue());
        }
      }
    }
  }

  /**
   * The AuthZEN answer to the 1×1 decision, written as the evaluation endpoint writes it (the
   * decision and its id made once): the writer alone, without the decision.
   */
  @Benchmark
  public io.vertx.core.buffer.Buffer writeOneByOne() {
    return dev.verdict.server.http.v1.AuthZenHandlers.evaluationAnswer(oneByOneDecision, ONE_BY_ONE_ID);
  }

  /**
   * 1×1 from the same request's bytes in the native shape through a JSON tree ({@code RequestJson}):
   * the way requests were read before the streaming reader, the tree's building included.
   */
  @Benchmark
  public Decision oneByOneFromJsonTree() throws IOException, RequestJson.InvalidRequest {
    return engine.decide(RequestJson.parse(RequestJson.readTree(oneByOneNativeBody), types), DecideOptions.WHAT_IF);
  }

  private static Request parse(JsonNode nativeRequest) {
    try {
      return RequestJson.parse(nativeRequest);
    } catch (RequestJson.InvalidRequest e) {
      throw new IllegalStateException(e.path() + ": " + e.getMessage(), e);
    }
  }

  /** An AuthZEN evaluation (or one item of a batch) in the native request shape. */
  static JsonNode nativeRequest(JsonNode evaluation, JsonNode item) {
    ObjectMapper m = new ObjectMapper();
    ObjectNode out = m.createObjectNode();
    out.set("principal", flatten(evaluation.get("subject")));
    JsonNode source = item == null ? evaluation : item;
    out.set("resource", flatten(source.get("resource")));
    out.put("action", source.get("action").get("name").textValue());
    return out;
  }

  private static ObjectNode flatten(JsonNode entity) {
    ObjectNode o = new ObjectMapper().createObjectNode();
    o.put("type", entity.get("type").textValue());
    o.put("id", entity.get("id").textValue());
    JsonNode props = entity.get("properties");
    if (props != null) {
      props.fields().forEachRemaining(e -> o.set(e.getKey(), e.getValue()));
    }
    return o;
  }

  /**
   * Policies on types no request of the model names, each with conditions like the model's:
   * rules {@code from} (a multiple of 10) to {@code to} of the unrelated set.
   */
  static String unrelated(int from, int to) {
    StringBuilder b = new StringBuilder();
    int n = to - from;
    for (int made = 0, t = from / 10; made < n; t++) {
      b.append("policy unrelated").append(t).append(" on Unrelated").append(t).append(" {\n");
      for (int i = 0; i < 10 && made < n; i++, made++) {
        b.append(i % 4 == 3 ? "  forbid " : "  permit ").append("act").append(i % 5)
            .append(" when resource.owner == principal.id and resource.level > ").append(i).append('\n');
      }
      b.append("}\n");
    }
    return b.toString();
  }

  static String resource(String name) throws IOException {
    try (InputStream in = BenchModelBenchmark.class.getClassLoader().getResourceAsStream(name)) {
      if (in == null) {
        throw new IOException(name + " is not on the class path");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
