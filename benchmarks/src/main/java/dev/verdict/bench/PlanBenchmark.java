package dev.verdict.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.engine.ActivePolicy;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Entities;
import dev.verdict.lang.eval.PolicySetInternals;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.plan.FilterMatcher;
import dev.verdict.lang.plan.Plan;
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
 * Query plans: planning one (principal, type, action) on each example set (target < 20 µs), and
 * the first page of 100 of a resource search over 100,000 accounts of which 1 in 100 match (what
 * {@code POST /access/v1/search/resource} does: plan once, then run the filter in id order).
 * Run from the repository root:
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Plan -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PlanBenchmark {
  @Param({"banking", "documents", "admin-api"})
  public String set;

  private Engine engine;
  private ActivePolicy active;
  private EntityData principal;
  private String type;
  private String action;
  private Map<String, Value> context;

  private Entities accounts;
  private Plan accountPlan;
  private EntityData alice;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    engine = Engine.builder(PolicySource.directory(Path.of("policies", set))).buildOrThrow();
    active = engine.active().orElseThrow();
    ObjectMapper json = new ObjectMapper();
    String p = switch (set) {
      case "banking" -> "{\"id\": \"alice\", \"roles\": [\"customer\"], \"tenant\": \"bank1\", \"branch\": \"b-leeds\"}";
      case "documents" -> "{\"id\": \"alice\", \"roles\": [\"user\"], \"tenant\": \"acme\"}";
      default -> "{\"id\": \"u1\", \"roles\": [\"user\"], \"tenant\": \"t1\"}";
    };
    type = switch (set) {
      case "banking" -> "Account";
      case "documents" -> "Document";
      default -> "User";
    };
    action = set.equals("admin-api") ? "edit_profile" : "read";
    principal = RequestJson.entityAt(json.readTree(p), "$", "User", active.set().types());
    context = set.equals("admin-api") ? Map.of("ip", new Value.Str("10.1.2.3")) : Map.of();
    if (plan().kind() != Plan.Kind.CONDITIONAL) {
      throw new IllegalStateException("the benchmark's plan should be conditional: " + plan());
    }

    List<EntityData> data = new ArrayList<>();
    for (int i = 0; i < 100_000; i++) {
      data.add(EntityData.of(new EntityUid("Account", String.format("A-%06d", i)),
          Map.of("owner", new Value.Str(i % 100 == 0 ? "alice" : "user" + i), "tenant", new Value.Str("bank1")),
          List.of()));
    }
    accounts = PolicySetInternals.flatEntities(data);
    Engine banking = Engine.builder(PolicySource.directory(Path.of("policies", "banking"))).buildOrThrow();
    alice = RequestJson.entityAt(json.readTree("{\"id\": \"alice\", \"roles\": [\"customer\"], \"tenant\": \"bank1\"}"),
        "$", "User", banking.active().orElseThrow().set().types());
    accountPlan = banking.plan(alice, "Account", "read");
    if (searchFirstPage() != 100) {
      throw new IllegalStateException("the search should fill its page");
    }
  }

  @Benchmark
  public Plan plan() {
    return engine.plan(active, principal, type, action, context);
  }

  /** The first 100 matching accounts among 100,000 (1 in 100 match); plan made once per search. */
  @Benchmark
  public int searchFirstPage() {
    FilterMatcher matcher = new FilterMatcher(accounts, alice);
    int found = 0;
    for (EntityData e : accounts.ofType("Account")) {
      if (matcher.matches(accountPlan.filter(), e) && ++found == 100) {
        break;
      }
    }
    return found;
  }
}
