package dev.verdict.engine;

import static dev.verdict.engine.EngineTest.CLOCK;
import static dev.verdict.engine.EngineTest.account;
import static dev.verdict.engine.EngineTest.files;
import static dev.verdict.engine.EngineTest.request;
import static dev.verdict.engine.EngineTest.user;
import static org.assertj.core.api.Assertions.assertThat;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DecisionCacheTest {
  static Engine cached(DecisionCache cache) {
    return Engine.builder(PolicySource.files(files())).clock(CLOCK).cache(cache).buildOrThrow();
  }

  @Test
  void attributesNoRuleReadsDoNotSplitTheCache() {
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine engine = cached(cache);
    Decision first = engine.decide(request(user("alice", "bank1"), account("a1", "alice", "1111"), "read"));
    // ssn is masked, never read by a condition: another value is the same question
    Decision second = engine.decide(request(user("alice", "bank1"), account("a1", "alice", "2222"), "read"));
    assertThat(cache.stats()).isEqualTo(new DecisionCache.Stats(1, 1));
    assertThat(second).isEqualTo(first);
  }

  @Test
  void attributesARuleReadsDo() {
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine engine = cached(cache);
    assertThat(engine.decide(request(user("alice", "bank1"), account("a1", "alice", "1"), "read")).allowed()).isTrue();
    assertThat(engine.decide(request(user("alice", "bank1"), account("a1", "bob", "1"), "read")).allowed()).isFalse();
    assertThat(engine.decide(request(user("alice", "bank2"), account("a1", "alice", "1"), "read")).allowed()).isFalse();
    assertThat(engine.decide(request(user("bob", "bank1"), account("a1", "alice", "1"), "read")).allowed()).isFalse();
    assertThat(cache.stats()).isEqualTo(new DecisionCache.Stats(0, 4));
  }

  @Test
  void valuesThatLookAlikeWhenJoinedAreDifferentKeys() {
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine engine = cached(cache);
    EntityData a = new EntityData(new EntityUid("User", "a:1"), Map.of("tenant", new Value.Str("b")), List.of(), false);
    EntityData b = new EntityData(new EntityUid("User", "a"), Map.of("tenant", new Value.Str("1:b")), List.of(), false);
    engine.decide(request(a, account("x", "a:1", "1"), "read"));
    engine.decide(request(b, account("x", "a:1", "1"), "read"));
    assertThat(cache.stats().hits()).isZero();
  }

  @Test
  void decisionsThatReadTheClockAreNeverCached() {
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine engine = cached(cache);
    EntityData report = new EntityData(new EntityUid("Report", "r1"), Map.of(), List.of(), false);
    Request r = new Request(user("alice", "bank1"), report, "read", Map.of(), List.of());
    engine.decide(r);
    engine.decide(r);
    assertThat(cache.stats()).isEqualTo(new DecisionCache.Stats(0, 0));
  }

  @Test
  void explainedDecisionsBypassTheCacheAndBudgetsStillApply() {
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine engine = cached(cache);
    Request transfer = request(user("alice", "bank1"), account("a1", "alice", "1"), "transfer");
    assertThat(engine.decide(transfer).outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(engine.decide(transfer).outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(engine.decide(transfer).outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
    assertThat(cache.stats()).isEqualTo(new DecisionCache.Stats(2, 1));
    Decision explained = engine.decide(transfer, DecideOptions.WHAT_IF.withExplain(true));
    assertThat(explained.trace()).isPresent();
    assertThat(cache.stats()).isEqualTo(new DecisionCache.Stats(2, 1));
  }

  @Test
  void aNewVersionNeverServesTheOldVersionsDecisions(@TempDir Path dir) throws Exception {
    for (Map.Entry<String, String> f : files().entrySet()) {
      Files.writeString(dir.resolve(f.getKey()), f.getValue());
    }
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine engine = Engine.builder(PolicySource.directory(dir)).clock(CLOCK).cache(cache).buildOrThrow();
    Request read = request(user("alice", "bank1"), account("a1", "alice", "1"), "read");
    assertThat(engine.decide(read).allowed()).isTrue();
    Files.writeString(dir.resolve("accounts.verdict"),
        EngineTest.POLICIES.replace("permit read, transfer", "permit transfer"));
    assertThat(engine.reload().changed()).isTrue();
    assertThat(engine.decide(read).allowed()).isFalse();
    assertThat(cache.stats()).isEqualTo(new DecisionCache.Stats(0, 2));
  }

  @Test
  void requestEntitiesArePartOfTheKey() {
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine engine = cached(cache);
    EntityData g1 = new EntityData(new EntityUid("Group", "g1"), Map.of(), List.of(), false);
    EntityData g2 = new EntityData(new EntityUid("Group", "g2"), Map.of(), List.of(), false);
    EntityData alice = user("alice", "bank1");
    engine.decide(new Request(alice, account("a1", "alice", "1"), "read", Map.of(), List.of(g1)));
    engine.decide(new Request(alice, account("a1", "alice", "1"), "read", Map.of(), List.of(g2)));
    engine.decide(new Request(alice, account("a1", "alice", "1"), "read", Map.of(), List.of(g1)));
    assertThat(cache.stats()).isEqualTo(new DecisionCache.Stats(1, 2));
  }

  @Test
  void weightsGrowWithWhatAnEntryHolds() {
    DecisionCache cache = DecisionCache.local(1 << 20);
    Engine engine = cached(cache);
    Decision d = engine.decide(request(user("alice", "bank1"), account("a1", "alice", "1"), "read"));
    DecisionKey shortKey = DecisionKey.of(engine.active().orElseThrow().set(),
        request(user("a", "b"), account("a1", "a", "1"), "read"));
    DecisionKey longKey = DecisionKey.of(engine.active().orElseThrow().set(),
        request(user("a".repeat(500), "b"), account("a1", "a", "1"), "read"));
    assertThat(LocalDecisionCache.weight(longKey, d)).isGreaterThan(LocalDecisionCache.weight(shortKey, d) + 900);
    DecisionKey huge = DecisionKey.of(engine.active().orElseThrow().set(),
        request(user("a".repeat(5000), "b"), account("a1", "a", "1"), "read"));
    assertThat(huge.storable()).as("past the key bound a request is decided, not cached").isFalse();
    Request hugeRequest = request(user("a".repeat(5000), "b"), account("a1", "a", "1"), "read");
    long hits = cache.stats().hits();
    engine.decide(hugeRequest);
    engine.decide(hugeRequest);
    assertThat(cache.stats().hits()).as("a key past the bound is never kept, so never found").isEqualTo(hits);
  }

  @Test
  void keysCompareValuesAsPoliciesDoAndTheirTextsAgree() {
    Engine engine = cached(DecisionCache.local(1 << 20));
    dev.verdict.lang.eval.PolicySet set = engine.active().orElseThrow().set();
    EntityData a = new EntityData(new EntityUid("User", "a:1"), Map.of("tenant", new Value.Str("b")), List.of(), false);
    EntityData b = new EntityData(new EntityUid("User", "a"), Map.of("tenant", new Value.Str("1:b")), List.of(), false);
    DecisionKey ka = DecisionKey.of(set, request(a, account("x", "a:1", "1"), "read"));
    DecisionKey kb = DecisionKey.of(set, request(b, account("x", "a:1", "1"), "read"));
    assertThat(ka).isNotEqualTo(kb);
    assertThat(ka.text()).isNotEqualTo(kb.text());

    EntityData one = new EntityData(new EntityUid("User", "u"), Map.of("tenant", new Value.Num(new java.math.BigDecimal("1"))),
        List.of(), false);
    EntityData oneDotZero = new EntityData(new EntityUid("User", "u"),
        Map.of("tenant", new Value.Num(new java.math.BigDecimal("1.00"))), List.of(), false);
    DecisionKey k1 = DecisionKey.of(set, request(one, account("x", "u", "1"), "read"));
    DecisionKey k2 = DecisionKey.of(set, request(oneDotZero, account("x", "u", "1"), "read"));
    assertThat(k1).isEqualTo(k2).hasSameHashCodeAs(k2);
    assertThat(k1.text()).isEqualTo(k2.text());
  }

  /** A cache that asks another process: {@code get} would wait; {@code getAsync} answers when told. */
  static final class RemoteCache implements DecisionCache {
    final DecisionCache held = DecisionCache.local(1 << 20);
    final java.util.Queue<java.util.concurrent.CompletableFuture<Decision>> pending =
        new java.util.concurrent.ConcurrentLinkedQueue<>();
    final java.util.concurrent.atomic.AtomicInteger blockingGets = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public Decision get(DecisionKey key) {
      blockingGets.incrementAndGet();
      return held.get(key);
    }

    @Override
    public java.util.concurrent.CompletionStage<Decision> getAsync(DecisionKey key) {
      java.util.concurrent.CompletableFuture<Decision> answer = new java.util.concurrent.CompletableFuture<>();
      pending.add(answer);
      return answer.thenApply(ignored -> held.get(key));
    }

    @Override
    public void put(DecisionKey key, Decision decision) {
      held.put(key, decision);
    }

    @Override
    public Stats stats() {
      return held.stats();
    }
  }

  @Test
  void theAsynchronousPathDoesNotWaitForACacheThatAsksAnotherProcess() throws Exception {
    RemoteCache cache = new RemoteCache();
    Engine engine = cached(cache);
    Request read = request(user("alice", "bank1"), account("a1", "alice", "1"), "read");

    java.util.concurrent.CompletableFuture<Decision> first = engine.decideAsync(read, DecideOptions.ENFORCE)
        .toCompletableFuture();
    assertThat(first).as("pending while the cache has not answered").isNotDone();
    cache.pending.remove().complete(null); // a miss: decided here, then filed
    assertThat(first.get(10, java.util.concurrent.TimeUnit.SECONDS).allowed()).isTrue();

    java.util.concurrent.CompletableFuture<Decision> second = engine.decideAsync(read, DecideOptions.ENFORCE)
        .toCompletableFuture();
    assertThat(second).isNotDone();
    cache.pending.remove().complete(null);
    assertThat(second.get(10, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(first.join());
    assertThat(cache.stats()).isEqualTo(new DecisionCache.Stats(1, 1));

    java.util.concurrent.CompletableFuture<Decision> failed = engine.decideAsync(
        request(user("bob", "bank1"), account("b1", "bob", "1"), "read"), DecideOptions.ENFORCE).toCompletableFuture();
    cache.pending.remove().completeExceptionally(new IllegalStateException("cluster gone"));
    assertThat(failed.get(10, java.util.concurrent.TimeUnit.SECONDS).allowed())
        .as("a cache that fails is a miss: decided here").isTrue();
    assertThat(cache.blockingGets).hasValue(0);
    assertThat(engine.decide(read)).isEqualTo(first.join());
    assertThat(cache.blockingGets).as("the synchronous path keeps the synchronous lookup").hasValue(1);
  }
}
