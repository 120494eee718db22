package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.engine.DecisionCache;
import dev.verdict.engine.DecisionKey;
import dev.verdict.engine.Engine;
import dev.verdict.engine.PolicySource;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * {@code decision-cache: auto} on a clock the test moves: cheap decisions never reach the
 * shared cache, costly ones are shared, and a node asks the shared cache only once its own
 * decisions cost more than a fetch.
 */
class AutoDecisionCacheTest {
  static final Map<String, String> FILES = Map.of("p.verdict", """
      policy p on Doc {
        @id("owner") permit read when resource.owner == principal.id
      }
      """);

  /**
   * A shared cache in a map, counting lookups. The test's clock moves one step at each reading;
   * a lookup here takes back half a step, so a fetch costs half what a computation does.
   */
  static final class Shared implements DecisionCache {
    final Map<String, Decision> map = new ConcurrentHashMap<>();
    AtomicLong clock;
    AtomicLong step;
    final AtomicInteger lookups = new AtomicInteger();
    final AtomicInteger hits = new AtomicInteger();

    @Override
    public Decision get(DecisionKey key) {
      lookups.incrementAndGet();
      if (clock != null) {
        clock.addAndGet(-step.get() / 2);
      }
      Decision d = map.get(key.text());
      if (d != null) {
        hits.incrementAndGet();
      }
      return d;
    }

    @Override
    public void put(DecisionKey key, Decision decision) {
      map.put(key.text(), decision);
    }

    @Override
    public Stats stats() {
      return new Stats(hits.get(), lookups.get() - hits.get());
    }
  }

  /** A node's engine whose clock moves {@code step} nanoseconds at each reading. */
  static Engine node(Shared shared, AtomicLong step) {
    AtomicLong now = new AtomicLong();
    shared.clock = now;
    shared.step = step;
    AutoDecisionCache auto = new AutoDecisionCache(DecisionCache.local(1 << 20), shared,
        () -> now.addAndGet(step.get()));
    return Engine.builder(PolicySource.files(FILES)).cache(auto).buildOrThrow();
  }

  static Request read(String doc) {
    return new Request(new EntityData(new EntityUid("User", "alice"), Map.of(), List.of(), false),
        new EntityData(new EntityUid("Doc", doc), Map.of("owner", new Value.Str("alice")), List.of(), false),
        "read", Map.of(), List.of());
  }

  @Test
  void cheapDecisionsStayLocalAndCostlyOnesAreShared() {
    Shared shared = new Shared();
    AtomicLong step = new AtomicLong(1_000); // 1 µs per decision: far cheaper than a fetch
    Engine a = node(shared, step);
    for (int i = 0; i < 50; i++) {
      assertThat(a.decide(read("cheap-" + i)).allowed()).isTrue();
    }
    assertThat(shared.map).as("cheap decisions shared").isEmpty();
    assertThat(shared.lookups).as("lookups for cheap decisions").hasValue(0);

    step.set(200_000); // 200 µs: dearer than a fetch
    a.decide(read("costly"));
    assertThat(shared.map).hasSize(1);

    // Another node asks the shared cache once its own decisions cost more than a fetch.
    AtomicLong stepB = new AtomicLong(200_000);
    Engine b = node(shared, stepB);
    for (int i = 0; i < 40; i++) {
      b.decide(read("b-" + i));
    }
    int hitsBefore = shared.hits.get();
    assertThat(b.decide(read("costly")).allowed()).isTrue();
    assertThat(shared.hits.get()).as("B served from the shared cache").isEqualTo(hitsBefore + 1);
  }
}
