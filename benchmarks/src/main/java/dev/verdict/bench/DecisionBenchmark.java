package dev.verdict.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.PolicySet;
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
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * A typical decision: a derived ownership role, a forbid that does not apply, and three field
 * rules, with 10, 1,000 or 10,000 rules loaded. The other rules are spread over many resource
 * types, actions and roles, as in a real deployment, so the figure shows whether the index
 * keeps a decision's cost independent of the rules that cannot concern it.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Decision -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class DecisionBenchmark {
  static final String CORE = """
      role owner on Account when resource.owner == principal.id
      policy accounts on Account {
        permit read, update to owner
        permit * to admin
        forbid update, transfer when resource.frozen
        fields read {
          balance: redact unless owner, auditor
          ssn:     hide unless admin
          number:  partial(4) unless owner
        }
      }
      """;

  static final String REQUEST = """
      {"principal": {"id": "alice", "roles": ["user"], "tenant": "t1"},
       "resource": {"type": "Account", "id": "a1", "owner": "alice", "tenant": "t1", "frozen": false,
                    "balance": 10, "ssn": "123-45-6789", "number": "4111111111111111"},
       "action": "read",
       "context": {"mfa": true, "ip": "10.1.2.3"}}
      """;

  @Param({"10", "1000", "10000"})
  public int rules;

  private Path dir;
  private PolicySet set;
  private Request request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    dir = Files.createTempDirectory("verdict-bench");
    Files.writeString(dir.resolve("core.verdict"), CORE);
    Files.writeString(dir.resolve("filler.verdict"), filler(rules - 3));
    LoadResult loaded = Verdict.load(dir);
    if (!loaded.ok()) {
      throw new IllegalStateException("benchmark policies do not load: " + loaded.diagnostics());
    }
    set = loaded.policySet().orElseThrow();
    request = RequestJson.parse(new ObjectMapper().readTree(REQUEST));
    Decision d = Authorizer.decide(set, request);
    if (!d.allowed() || d.readMask().size() != 1 || set.ruleCount() != Math.max(rules, 3)) {
      throw new IllegalStateException("unexpected benchmark decision " + d + " over " + set.ruleCount() + " rules");
    }
  }

  /**
   * {@code n} rules over {@code n / 20} resource types, each with 20 rules on 10 actions and
   * 5 roles, with ownership and tenancy conditions like the core policy's; a few also
   * concern {@code Account}, for other actions and roles.
   */
  static String filler(int n) {
    StringBuilder b = new StringBuilder();
    int made = 0;
    for (int t = 0; made < n; t++) {
      boolean account = t % 50 == 49;
      b.append("policy filler").append(t).append(" on ").append(account ? "Account" : "Type" + t).append(" {\n");
      for (int i = 0; i < 20 && made < n; i++, made++) {
        String action = (account ? "act" : "a") + (i % 10);
        String role = "role" + (i % 5);
        b.append(i % 4 == 3 ? "  forbid " : "  permit ").append(action).append(" to ").append(role);
        switch (i % 3) {
          case 0 -> b.append(" when resource.owner == principal.id");
          case 1 -> b.append(" when resource.tenant == principal.tenant unless context.mfa == false");
          default -> b.append(" when resource.level > ").append(i);
        }
        b.append('\n');
      }
      b.append("}\n");
    }
    return b.toString();
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    try (var files = Files.list(dir)) {
      for (Path p : files.toList()) {
        Files.delete(p);
      }
    }
    Files.delete(dir);
  }

  @Benchmark
  public Decision decide() {
    return Authorizer.decide(set, request);
  }
}
