package dev.verdict.bench;

import dev.verdict.lang.rate.Gcra;
import dev.verdict.lang.rate.Rate;
import java.time.Duration;
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
 * The pure GCRA step alone, with no store: what a remote store's entry processor runs per
 * request. Admitted and refused steps are measured apart since a refusal computes a retry time.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class GcraBenchmark {

  private Rate rate;
  private long state;
  private long now;

  @Setup
  public void setUp() {
    rate = new Rate(1_000, Duration.ofSeconds(1), 100);
    now = 1_000_000;
  }

  /** A key kept just below its rate: every step admits. */
  @Benchmark
  public Gcra.Step admitted() {
    now += 2;
    Gcra.Step s = Gcra.consume(state, rate, now);
    state = s.state();
    return s;
  }

  /** A key far over its rate: every step refuses. */
  @Benchmark
  public Gcra.Step refused() {
    return Gcra.consume(Long.MAX_VALUE / 4, rate, now);
  }
}
