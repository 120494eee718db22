package dev.verdict.bench;

import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.InMemoryBudgetStore;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One GCRA consumption in the in-memory budget store: on one hot key (contended when run with
 * several threads) and spread over 100,000 keys; and building a key (its SHA-256 digest) from
 * a short value and from a 60 KB one.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class BudgetStoreBenchmark {

  private static final int KEYS = 100_000;

  private InMemoryBudgetStore store;
  private Rate rate;
  private BudgetKey[] keys;
  private BudgetKey alice;
  private String shortValue;
  private String hugeValue;
  private int next;
  private long now;

  @Setup
  public void setUp() {
    store = new InMemoryBudgetStore();
    rate = new Rate(1_000, Duration.ofSeconds(1), 100);
    keys = new BudgetKey[KEYS];
    for (int i = 0; i < KEYS; i++) {
      keys[i] = BudgetKey.of("transfers").add("user-" + i).build();
    }
    alice = BudgetKey.of("transfers").add("alice").build();
    shortValue = "203.0.113.9";
    hugeValue = "9".repeat(60_000);
  }

  @Benchmark
  public RateOutcome hotKey() {
    return store.consume(alice, rate, (now++) >> 10).toCompletableFuture().join();
  }

  @Benchmark
  public RateOutcome manyKeys() {
    int i = next++;
    return store.consume(keys[Math.floorMod(i, KEYS)], rate, (now++) >> 10).toCompletableFuture().join();
  }

  @Benchmark
  @Threads(2)
  public RateOutcome hotKeyTwoThreads() {
    return store.consume(alice, rate, System.currentTimeMillis()).toCompletableFuture().join();
  }

  @Benchmark
  public BudgetKey keyOfShortValue() {
    return BudgetKey.of("logins").add(shortValue).build();
  }

  @Benchmark
  public BudgetKey keyOf60KbValue() {
    return BudgetKey.of("logins").add(hugeValue).build();
  }
}
