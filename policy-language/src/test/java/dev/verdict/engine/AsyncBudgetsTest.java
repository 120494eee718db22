package dev.verdict.engine;

import static dev.verdict.engine.EngineTest.CLOCK;
import static dev.verdict.engine.EngineTest.account;
import static dev.verdict.engine.EngineTest.files;
import static dev.verdict.engine.EngineTest.request;
import static dev.verdict.engine.EngineTest.user;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.lang.rate.InMemoryBudgetStore;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class AsyncBudgetsTest {
  /** Budgets in memory, answered on another thread a little later, as a remote store does. */
  static final class SlowStore implements BudgetStore {
    final InMemoryBudgetStore inner = new InMemoryBudgetStore();
    final ExecutorService pool = Executors.newSingleThreadExecutor();
    final java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();

    @Override
    public CompletionStage<RateOutcome> consume(BudgetKey key, Rate rate, long nowMillis) {
      calls.incrementAndGet();
      return CompletableFuture.supplyAsync(() -> {
        sleep();
        return inner.consume(key, rate, nowMillis).toCompletableFuture().join();
      }, pool);
    }

    @Override
    public CompletionStage<Void> refund(BudgetKey key, Rate rate, long nowMillis) {
      return CompletableFuture.supplyAsync(() -> inner.refund(key, rate, nowMillis).toCompletableFuture().join(), pool);
    }

    private static void sleep() {
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }

  @Test
  void aRemoteStoreAnswersLaterAndTheDecisionWaitsForIt() throws Exception {
    SlowStore store = new SlowStore();
    Engine engine = Engine.builder(PolicySource.files(files())).clock(CLOCK).budgets(store).buildOrThrow();
    Request transfer = request(user("alice", "bank1"), account("a1", "alice", "1"), "transfer");
    CompletableFuture<Decision> first = engine.decideAsync(transfer, DecideOptions.ENFORCE).toCompletableFuture();
    assertThat(first.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(engine.decide(transfer).outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(engine.decide(transfer).outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
    List<Decision> batch = engine.decideBatchAsync(user("alice", "bank1"), List.of(account("a1", "alice", "1")),
        List.of("read", "transfer"), Map.of(), List.of(), DecideOptions.ENFORCE).toCompletableFuture()
        .get(10, TimeUnit.SECONDS);
    assertThat(batch).extracting(Decision::outcome).containsExactly(Decision.Outcome.ALLOW,
        Decision.Outcome.RATE_LIMITED);
    assertThat(store.calls.get()).isEqualTo(4);
    store.pool.shutdownNow();
  }

  @Test
  void aStoreThatFailsRefusesTheRequest() {
    BudgetStore broken = new BudgetStore() {
      @Override
      public CompletionStage<RateOutcome> consume(BudgetKey key, Rate rate, long nowMillis) {
        return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("cluster did not answer"));
      }

      @Override
      public CompletionStage<Void> refund(BudgetKey key, Rate rate, long nowMillis) {
        return CompletableFuture.completedFuture(null);
      }
    };
    Engine engine = Engine.builder(PolicySource.files(files())).clock(CLOCK).budgets(broken).buildOrThrow();
    Decision d = engine.decide(request(user("alice", "bank1"), account("a1", "alice", "1"), "transfer"));
    assertThat(d.allowed()).isFalse();
    // a read carries no intent: the store is never asked
    assertThat(engine.decide(request(user("alice", "bank1"), account("a1", "alice", "1"), "read")).allowed()).isTrue();
  }

  @Test
  void anIntentNoRouteOrLimitDeclaresIsRefused() {
    Engine engine = Engine.builder(PolicySource.files(files())).clock(CLOCK).buildOrThrow();
    Request r = new Request(user("alice", "bank1"), account("a1", "alice", "1"), "transfer",
        Map.of("intent", new Value.Str("funds.transfr")), List.of());
    assertThatThrownBy(() -> engine.decide(r)).isInstanceOfSatisfying(RequestRefused.class,
        e -> assertThat(e.path()).isEqualTo("$.context.intent"));
  }
}
