package dev.verdict.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.link.Link;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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

/**
 * A decision with {@code links} links on one template ({@code permit read when principal ==
 * ?principal when resource == ?resource}), each sharing one document with one user, against the
 * same set with none. {@link #linkedAllow} is decided by one of the links, {@link #linkedDeny}
 * by none of them (another user's document); {@link #ownRule} by a plain rule beside them. With
 * the links indexed by resource, 10,000 links cost a decision what a handful do.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Links -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class LinksBenchmark {
  @Param({"0", "10000"})
  public int links;

  private PolicySet set;
  private Request shared;
  private Request notShared;
  private Request listing;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Path dir = Files.createTempDirectory("verdict-bench-links");
    Files.writeString(dir.resolve("p.verdict"), """
        policy docs on Doc {
          @id("viewer")
          permit read when principal == ?principal when resource == ?resource
          @id("lister")
          permit list when principal.id != ""
        }
        """);
    LoadResult loaded = Verdict.load(dir);
    if (!loaded.ok()) {
      throw new IllegalStateException("benchmark set does not load: " + loaded.diagnostics());
    }
    List<Link> all = new ArrayList<>();
    for (int i = 0; i < links; i++) {
      all.add(new Link("l" + i, "viewer", Map.of("principal", new EntityUid("User", "u" + i),
          "resource", new EntityUid("Doc", "d" + i))));
    }
    set = loaded.policySet().orElseThrow().withLinks(all);
    ObjectMapper json = new ObjectMapper();
    String user = links == 0 ? "u0" : "u" + (links / 2);
    String doc = links == 0 ? "d0" : "d" + (links / 2);
    shared = RequestJson.parse(json.readTree("{\"principal\": {\"type\": \"User\", \"id\": \"" + user
        + "\"}, \"resource\": {\"type\": \"Doc\", \"id\": \"" + doc + "\"}, \"action\": \"read\"}"));
    notShared = RequestJson.parse(json.readTree("{\"principal\": {\"type\": \"User\", \"id\": \"" + user
        + "\"}, \"resource\": {\"type\": \"Doc\", \"id\": \"other\"}, \"action\": \"read\"}"));
    listing = RequestJson.parse(json.readTree("{\"principal\": {\"type\": \"User\", \"id\": \"" + user
        + "\"}, \"resource\": {\"type\": \"Doc\", \"id\": \"" + doc + "\"}, \"action\": \"list\"}"));
    Decision d = Authorizer.decide(set, shared);
    if ((links > 0) != (d.outcome() == Decision.Outcome.ALLOW)) {
      throw new IllegalStateException("the shared document is decided " + d.outcome());
    }
  }

  @Benchmark
  public Decision linkedAllow() {
    return Authorizer.decide(set, shared);
  }

  @Benchmark
  public Decision linkedDeny() {
    return Authorizer.decide(set, notShared);
  }

  @Benchmark
  public Decision ownRule() {
    return Authorizer.decide(set, listing);
  }
}
