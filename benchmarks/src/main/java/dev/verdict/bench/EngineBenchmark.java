package dev.verdict.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.engine.DecideOptions;
import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
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
 * {@link DecisionBenchmark}'s decision taken through the {@link Engine}: what the engine's own
 * work (the clock's {@code now}, intent lookup, listeners) adds to the evaluator's, and what an
 * in-process decision cache hit costs, key construction included.
 *
 * <pre>java -jar benchmarks/target/benchmarks.jar Engine -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc</pre>
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class EngineBenchmark {
  @Param({"10", "1000"})
  public int rules;

  private Engine engine;
  private Engine cached;
  private Request request;

  @Setup(Level.Trial)
  public void setUp() throws Exception {
    Map<String, String> files = Map.of("core.verdict", DecisionBenchmark.CORE,
        "filler.verdict", DecisionBenchmark.filler(rules - 3));
    engine = Engine.builder(PolicySource.files(files)).buildOrThrow();
    cached = Engine.builder(PolicySource.files(files)).cache(DecisionCache.local(64L << 20)).buildOrThrow();
    request = RequestJson.parse(new ObjectMapper().readTree(DecisionBenchmark.REQUEST));
    Decision d = engine.decide(request, DecideOptions.WHAT_IF);
    Decision c = cached.decide(request, DecideOptions.WHAT_IF);
    if (!d.allowed() || !d.equals(c) || cached.decide(request, DecideOptions.WHAT_IF) != cached.decide(request,
        DecideOptions.WHAT_IF)) {
      throw new IllegalStateException("unexpected benchmark decisions " + d + " / " + c);
    }
  }

  @Benchmark
  public Decision engineDecide() {
    return engine.decide(request, DecideOptions.WHAT_IF);
  }

  /**
   * {@link #engineDecide} with budgets applied, as an application's check asks (no limit applies
   * to this request, so this is the lookup that says so): the figure {@code
   * SdkBenchmark.embeddedCheck}, which always enforces, is compared with.
   */
  @Benchmark
  public Decision engineEnforce() {
    return engine.decide(request, DecideOptions.ENFORCE);
  }

  @Benchmark
  public Decision cacheHit() {
    return cached.decide(request, DecideOptions.WHAT_IF);
  }
}
