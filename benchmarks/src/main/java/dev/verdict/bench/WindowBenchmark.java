package dev.verdict.bench;

import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.SlidingWindow;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The pure sliding-window step alone, beside {@link GcraBenchmark}: what a store (or a cluster
 * member's entry processor) runs per request of a {@code N per D window} limit. A window copies
 * its remembered times on every admitted step, so the cost grows with {@code count}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WindowBenchmark {

  @Param({"10", "1000"})
  public int count;

  private Rate rate;
  private long[] state;
  private long[] full;
  private long now;

  @Setup
  public void setUp() {
    rate = Rate.window(count, Duration.ofSeconds(1));
    now = 1_000_000;
    state = SlidingWindow.EMPTY;
    full = new long[count];
    for (int i = 0; i < count; i++) {
      full[i] = now - count + i;
    }
  }

  /** A key kept just below its limit: every step admits and one time leaves the window. */
  @Benchmark
  public SlidingWindow.Step admitted() {
    now += 2_000 / count; // half the limit in any window
    SlidingWindow.Step s = SlidingWindow.consume(state, rate, now);
    state = s.state();
    return s;
  }

  /** A key at its limit: every step refuses. */
  @Benchmark
  public SlidingWindow.Step refused() {
    return SlidingWindow.consume(full, rate, 1_000_000);
  }
}
