package dev.verdict.sdk;

import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.rate.BudgetStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;

/**
 * Configures a {@link VerdictClient} that evaluates a policy directory in this process: the
 * same {@code Engine} the server runs, with rate budgets kept in this process.
 */
public final class EmbeddedBuilder {
  private final Path policies;
  private Duration reloadInterval = Duration.ofSeconds(2);
  private long cacheBytes = 8L << 20;
  private byte[] hashKey;
  private Fallback fallback;
  private Clock clock = Clock.systemUTC();
  private BudgetStore budgets;

  EmbeddedBuilder(Path policies) {
    this.policies = Objects.requireNonNull(policies, "policies is null");
  }

  /** How often the directory is polled for changes; 2 s by default. */
  public EmbeddedBuilder reloadInterval(Duration d) {
    if (d == null || d.isNegative() || d.isZero()) {
      throw new IllegalArgumentException("reloadInterval must be positive");
    }
    this.reloadInterval = d;
    return this;
  }

  /** No polling thread: the set changes only on {@link EmbeddedVerdictClient#reload()}. */
  public EmbeddedBuilder noWatch() {
    this.reloadInterval = null;
    return this;
  }

  /** The engine's decision cache, in bytes (8 MiB by default, 0 for none); keyed by exactly what the rules read. */
  public EmbeddedBuilder cache(long maxBytes) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes is negative");
    }
    this.cacheBytes = maxBytes;
    return this;
  }

  /** The {@code hash} mask's key; see {@link RemoteBuilder#hashKey(byte[])}. */
  public EmbeddedBuilder hashKey(byte[] key) {
    Masks.withKey(Objects.requireNonNull(key, "key is null"));
    this.hashKey = key.clone();
    return this;
  }

  /** What to answer when no decision can be had (no set loaded, an invalid request); a deny by default. */
  public EmbeddedBuilder fallback(Fallback f) {
    this.fallback = Objects.requireNonNull(f, "fallback is null");
    return this;
  }

  /** The clock of {@code context.now} and rate budgets (tests). */
  public EmbeddedBuilder clock(Clock c) {
    this.clock = Objects.requireNonNull(c, "clock is null");
    return this;
  }

  /** Where rate budgets live; a bounded store in this process by default. */
  public EmbeddedBuilder budgets(BudgetStore store) {
    this.budgets = Objects.requireNonNull(store, "store is null");
    return this;
  }

  /**
   * The client, with the set loaded once. A set that does not load still gives a client, which
   * denies every check with a {@code failure()} saying so until a reload succeeds.
   */
  public EmbeddedVerdictClient build() {
    Engine.Builder b = Engine.builder(PolicySource.directory(policies)).clock(clock);
    if (cacheBytes > 0) {
      b.cache(DecisionCache.local(cacheBytes));
    }
    if (budgets != null) {
      b.budgets(budgets);
    }
    Duration interval = reloadInterval;
    long baseline = interval == null ? 0 : PolicyWatch.fingerprint(policies);
    Engine engine = b.build();
    return new EngineClient(engine, Masks.withKey(hashKey), fallback,
        self -> interval == null ? () -> { } : new PolicyWatch(policies, interval, self, baseline));
  }
}
