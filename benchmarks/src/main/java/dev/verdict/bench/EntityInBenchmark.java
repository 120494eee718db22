package dev.verdict.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.PolicySetInternals;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code principal in Group::"g"} over 100,000 data-file entities: a six-level tree of groups
 * (fan-out 6) with users below the leaf groups, the principal at depth 6. The cost of the
 * check itself is {@link #inDataFiles} minus {@link #baseline} (the same decision with no
 * condition). {@link #inWithRequestEntities} layers 20 request entities that restate parents
 * on top, so the check must walk instead of using the precomputed ancestor sets.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar EntityIn -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EntityInBenchmark {
  static final int ENTITIES = 100_000;
  static final int FAN_OUT = 6;
  static final int GROUP_LEVELS = 6;

  private Path dir;
  private PolicySet set;
  private Request inData;
  private Request baseline;
  private Request layered;
  private String deepUser;
  private String leafGroup;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    ObjectMapper json = new ObjectMapper();
    dir = Files.createTempDirectory("verdict-bench-in");
    Files.writeString(dir.resolve("p.verdict"), """
        policy docs on Doc {
          permit read when principal in Group::"g"
          permit list
        }
        """);
    // Split in files of 10,000 entities: one data file may hold at most 2 MB.
    ArrayNode all = tree(json);
    for (int from = 0, part = 0; from < all.size(); from += 10_000, part++) {
      ArrayNode chunk = json.createArrayNode();
      for (int i = from; i < Math.min(all.size(), from + 10_000); i++) {
        chunk.add(all.get(i));
      }
      Files.writeString(dir.resolve("org-" + part + ".entities.json"), json.writeValueAsString(chunk));
    }
    LoadResult loaded = Verdict.load(dir);
    if (!loaded.ok()) {
      throw new IllegalStateException("benchmark data does not load: " + loaded.diagnostics());
    }
    set = loaded.policySet().orElseThrow();
    if (PolicySetInternals.entityCount(set) != ENTITIES) {
      throw new IllegalStateException("expected " + ENTITIES + " entities, found " + PolicySetInternals.entityCount(set));
    }
    inData = request(json, "read", false);
    baseline = request(json, "list", false);
    layered = request(json, "read", true);
    for (Request r : new Request[] {inData, baseline, layered}) {
      Decision d = Authorizer.decide(set, r);
      if (!d.allowed()) {
        throw new IllegalStateException("benchmark request should be allowed: " + d);
      }
    }
  }

  /** Groups g, g.0 … in six levels, then users spread over the leaf groups up to 100,000 entities. */
  private ArrayNode tree(ObjectMapper json) {
    ArrayNode out = json.createArrayNode();
    java.util.List<String> level = java.util.List.of("g");
    out.add(entity(json, "Group", "g", null));
    for (int depth = 1; depth < GROUP_LEVELS; depth++) {
      java.util.List<String> next = new java.util.ArrayList<>();
      for (String parent : level) {
        for (int i = 0; i < FAN_OUT; i++) {
          String id = parent + "." + i;
          out.add(entity(json, "Group", id, parent));
          next.add(id);
        }
      }
      level = next;
    }
    int users = ENTITIES - out.size();
    for (int u = 0; u < users; u++) {
      String parent = level.get(u % level.size());
      out.add(entity(json, "User", "u" + u, parent));
      deepUser = "u" + u;
      leafGroup = parent;
    }
    return out;
  }

  private static ObjectNode entity(ObjectMapper json, String type, String id, String parent) {
    ObjectNode e = json.createObjectNode();
    ObjectNode uid = e.putObject("uid");
    uid.put("type", type);
    uid.put("id", id);
    e.putObject("attrs");
    ArrayNode parents = e.putArray("parents");
    if (parent != null) {
      parents.addObject().put("type", "Group").put("id", parent);
    }
    return e;
  }

  /**
   * The deepest user reads a document; {@code layer} adds 20 request entities: the principal
   * restating its leaf group, and 19 groups restating their parents (all inside the tree).
   */
  private Request request(ObjectMapper json, String action, boolean layer) throws Exception {
    ObjectNode r = json.createObjectNode();
    ObjectNode p = r.putObject("principal");
    p.put("type", "User").put("id", deepUser);
    ObjectNode res = r.putObject("resource");
    res.put("type", "Doc").put("id", "d1");
    r.put("action", action);
    if (layer) {
      p.putArray("parents").addObject().put("type", "Group").put("id", leafGroup);
      ArrayNode es = r.putArray("entities");
      String g = leafGroup;
      for (int i = 0; i < 19; i++) {
        String id = "extra" + i;
        ObjectNode e = es.addObject();
        e.putObject("uid").put("type", "Group").put("id", id);
        e.putObject("attrs");
        e.putArray("parents").addObject().put("type", "Group").put("id", i == 0 ? "g.0" : "extra" + (i - 1));
      }
      ObjectNode leaf = es.addObject();
      leaf.putObject("uid").put("type", "Group").put("id", g);
      leaf.putObject("attrs");
      leaf.putArray("parents").addObject().put("type", "Group").put("id", g.substring(0, g.lastIndexOf('.')));
    }
    return RequestJson.parse(r);
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    Files.delete(dir);
  }

  @Benchmark
  public Decision inDataFiles() {
    return Authorizer.decide(set, inData);
  }

  @Benchmark
  public Decision baseline() {
    return Authorizer.decide(set, baseline);
  }

  @Benchmark
  public Decision inWithRequestEntities() {
    return Authorizer.decide(set, layered);
  }
}
