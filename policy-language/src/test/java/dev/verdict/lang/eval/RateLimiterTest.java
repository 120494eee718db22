package dev.verdict.lang.eval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.rate.InMemoryBudgetStore;
import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RateLimiterTest {
  static final String SET = """
      intent "auth.login"
      policy logins on Session { permit login }
      limit per_user on intent "auth.login" by principal.id {
        5 per 1m
      }
      limit per_ip on intent "auth.login" by context.ip {
        2 per 1m
      }
      """;

  private static Decision login(PolicySet set, InMemoryBudgetStore store, String ip) throws Exception {
    Request r = RequestJson.parse(new ObjectMapper().readTree(
        "{\"principal\": {\"id\": \"alice\"}, \"resource\": {\"type\": \"Session\", \"id\": \"s\"},"
            + " \"action\": \"login\", \"context\": {\"intent\": \"auth.login\", \"ip\": \"" + ip + "\"}}"));
    return RateLimiter.apply(set, r, Authorizer.decide(set, r), store, 1_000_000L);
  }

  @Test
  void aRequestOneLimitRefusesConsumesNothingFromTheOthers(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), SET);
    PolicySet set = Verdict.load(dir).policySet().orElseThrow();
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    assertThat(login(set, store, "10.0.0.1").outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(login(set, store, "10.0.0.1").outcome()).isEqualTo(Decision.Outcome.ALLOW);
    // The address is spent; these refusals must not eat alice's own budget.
    for (int i = 0; i < 3; i++) {
      Decision refused = login(set, store, "10.0.0.1");
      assertThat(refused.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
      assertThat(refused.rate().orElseThrow().limit()).isEqualTo("per_ip");
    }
    // alice has used 2 of her 5: three more from other addresses pass, the fourth does not.
    assertThat(login(set, store, "10.0.0.2").outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(login(set, store, "10.0.0.3").outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(login(set, store, "10.0.0.4").outcome()).isEqualTo(Decision.Outcome.ALLOW);
    Decision fourth = login(set, store, "10.0.0.5");
    assertThat(fourth.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
    assertThat(fourth.rate().orElseThrow().limit()).isEqualTo("per_user");
  }

  static final String PAIRS = """
      policy p on Doc { permit share }
      intent "docs.share"
      limit shares on intent "docs.share" by principal.id, context.target {
        1 per 1h
      }
      """;

  private static Request request(String json) throws Exception {
    return RequestJson.parse(new ObjectMapper().readTree(json));
  }

  private static Request share(String principal, String target) throws Exception {
    return request("{\"principal\": {\"id\": \"" + principal + "\"}, \"resource\": {\"type\": \"Doc\", \"id\": \"d\"},"
        + " \"action\": \"share\", \"context\": {\"intent\": \"docs.share\", \"target\": \"" + target + "\"}}");
  }

  private static PolicySet load(Path dir, String text) throws Exception {
    Files.writeString(dir.resolve("a.verdict"), text);
    return Verdict.load(dir).policySet().orElseThrow();
  }

  @Test
  void keyPartsContainingTheSeparatorDoNotShareABudget(@TempDir Path dir) throws Exception {
    PolicySet set = load(dir, PAIRS);
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    Request first = share("alice|x", "y");
    Request second = share("alice", "x|y");
    assertThat(RateLimiter.apply(set, first, Authorizer.decide(set, first), store, 0).outcome())
        .isEqualTo(Decision.Outcome.ALLOW);
    assertThat(RateLimiter.apply(set, second, Authorizer.decide(set, second), store, 0).outcome())
        .isEqualTo(Decision.Outcome.ALLOW);
  }

  /** A store whose answers arrive later, as a remote one's do. */
  private static final class LaterStore implements BudgetStore {
    final InMemoryBudgetStore inner = new InMemoryBudgetStore();
    final CompletableFuture<Void> release = new CompletableFuture<>();

    @Override
    public CompletionStage<RateOutcome> consume(BudgetKey key, Rate rate, long nowMillis) {
      return release.thenCompose(x -> inner.consume(key, rate, nowMillis));
    }

    @Override
    public CompletionStage<Void> refund(BudgetKey key, Rate rate, long nowMillis) {
      return release.thenCompose(x -> inner.refund(key, rate, nowMillis));
    }
  }

  @Test
  void theAsyncFormWaitsForARemoteStoreAndTheSyncFormRefusesIt(@TempDir Path dir) throws Exception {
    PolicySet set = load(dir, PAIRS);
    Request r = share("alice", "bob");
    LaterStore store = new LaterStore();
    CompletableFuture<Decision> d = RateLimiter.applyAsync(set, r, Authorizer.decide(set, r), store, 0)
        .toCompletableFuture();
    assertThat(d).isNotDone();
    store.release.complete(null);
    assertThat(d.join().outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(d.join().rate().orElseThrow().remaining()).isZero();
    assertThatThrownBy(() -> RateLimiter.apply(set, r, Authorizer.decide(set, r), new LaterStore(), 0))
        .isInstanceOf(IllegalStateException.class).hasMessageContaining("applyAsync");
  }

  @Test
  void aFailingStoreRefusesTheRequest(@TempDir Path dir) throws Exception {
    PolicySet set = load(dir, PAIRS);
    Request r = share("alice", "bob");
    BudgetStore broken = new BudgetStore() {
      @Override
      public CompletionStage<RateOutcome> consume(BudgetKey key, Rate rate, long nowMillis) {
        return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("member lost"));
      }

      @Override
      public CompletionStage<Void> refund(BudgetKey key, Rate rate, long nowMillis) {
        return CompletableFuture.completedFuture(null);
      }
    };
    Decision d = RateLimiter.apply(set, r, Authorizer.decide(set, r), broken, 0);
    assertThat(d.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
    assertThat(d.errors()).anySatisfy(e -> assertThat(e.message()).contains("budget store failed"));
  }

  /** A store that never answers in time, as a cluster that lost the key's owner. */
  static final BudgetStore UNAVAILABLE = new BudgetStore() {
    @Override
    public CompletionStage<RateOutcome> consume(BudgetKey key, Rate rate, long nowMillis) {
      return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("no answer"));
    }

    @Override
    public CompletionStage<Void> refund(BudgetKey key, Rate rate, long nowMillis) {
      return CompletableFuture.failedFuture(new java.util.concurrent.TimeoutException("no answer"));
    }
  };

  private static PolicySet withMode(Path dir, String mode) throws Exception {
    return load(dir, PAIRS.replace("1 per 1h\n", "1 per 1h\n  " + mode + "\n"));
  }

  @Test
  void eachLimitChoosesWhatHappensWhenItsStoreCannotAnswer(@TempDir Path dir) throws Exception {
    Request r = share("alice", "bob");
    PolicySet deny = withMode(dir, "on unavailable deny");
    Decision denied = RateLimiter.applyAsync(deny, r, Authorizer.decide(deny, r), UNAVAILABLE,
        new InMemoryBudgetStore(), 0).toCompletableFuture().join();
    assertThat(denied.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
    assertThat(denied.rate().orElseThrow().unavailable()).contains(dev.verdict.lang.rate.FailMode.DENY);

    PolicySet allow = withMode(dir, "on unavailable allow");
    for (int i = 0; i < 3; i++) {
      Decision allowed = RateLimiter.applyAsync(allow, r, Authorizer.decide(allow, r), UNAVAILABLE,
          new InMemoryBudgetStore(), 0).toCompletableFuture().join();
      assertThat(allowed.outcome()).isEqualTo(Decision.Outcome.ALLOW);
      assertThat(allowed.rate().orElseThrow().unavailable()).contains(dev.verdict.lang.rate.FailMode.ALLOW);
    }

    // `local` counts in this process: the first is admitted, the second (1 per hour) refused.
    PolicySet local = withMode(dir, "on unavailable local");
    InMemoryBudgetStore here = new InMemoryBudgetStore();
    Decision first = RateLimiter.applyAsync(local, r, Authorizer.decide(local, r), UNAVAILABLE, here, 0)
        .toCompletableFuture().join();
    Decision second = RateLimiter.applyAsync(local, r, Authorizer.decide(local, r), UNAVAILABLE, here, 0)
        .toCompletableFuture().join();
    assertThat(first.outcome()).isEqualTo(Decision.Outcome.ALLOW);
    assertThat(second.outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
    assertThat(second.rate().orElseThrow().unavailable()).contains(dev.verdict.lang.rate.FailMode.LOCAL);

    // Without a mode, a limit fails closed, as before.
    PolicySet plain = load(dir, PAIRS);
    assertThat(RateLimiter.applyAsync(plain, r, Authorizer.decide(plain, r), UNAVAILABLE, here, 0)
        .toCompletableFuture().join().outcome()).isEqualTo(Decision.Outcome.RATE_LIMITED);
  }

  static final String ROUTED = """
      policy p on Account { permit transfer, read }
      route POST "/accounts/{id}/transfers" -> Account[id].transfer intent "funds.transfer"
      route GET "/accounts/{id}" -> Account[id].read intent "accounts.read"
      limit transfers on intent "funds.transfer" by principal.id {
        2 per 1h
      }
      limit reads on intent "accounts.read" by principal.id {
        100 per 1h
      }
      """;

  private static Request transfer(String intent) throws Exception {
    String context = intent == null ? "{}" : "{\"intent\": " + intent + "}";
    return request("{\"principal\": {\"id\": \"alice\"}, \"resource\": {\"type\": \"Account\", \"id\": \"a1\"},"
        + " \"action\": \"transfer\", \"context\": " + context + "}");
  }

  @Test
  void aCallerNamingAnotherIntentDoesNotSwitchTheRoutedLimitsOff(@TempDir Path dir) throws Exception {
    PolicySet set = load(dir, ROUTED);
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    int allowed = 0;
    for (int i = 0; i < 5; i++) {
      Request r = transfer("\"accounts.read\"");
      assertThat(RateLimiter.undeclaredIntent(set, r)).isEmpty();
      allowed += RateLimiter.apply(set, r, Authorizer.decide(set, r), store, 0).allowed() ? 1 : 0;
    }
    assertThat(allowed).isEqualTo(2);
  }

  @Test
  void anIntentNoRouteOrLimitDeclaresIsReported(@TempDir Path dir) throws Exception {
    PolicySet set = load(dir, ROUTED);
    assertThat(RateLimiter.undeclaredIntent(set, transfer("\"nothing.here\"")))
        .hasValueSatisfying(m -> assertThat(m).contains("context.intent").contains("funds.transfer")
            .doesNotContain("nothing.here"));
    assertThat(RateLimiter.undeclaredIntent(set, transfer("7"))).isPresent();
    assertThat(RateLimiter.undeclaredIntent(set, transfer(null))).isEmpty();
    assertThat(RateLimiter.undeclaredIntent(set, transfer("\"funds.transfer\""))).isEmpty();
  }

  /**
   * 259 batches of 16 logins from distinct 60 KB addresses: the store keeps a fixed-size digest
   * per key, so nothing of the addresses stays on the heap (it held about 250 MB before).
   */
  @Test
  void hugeKeyValuesDoNotStayOnTheHeap(@TempDir Path dir) throws Exception {
    PolicySet set = load(dir, """
        policy logins on Session { permit login }
        intent "auth.login"
        limit per_ip on intent "auth.login" by context.ip {
          2 per 1m
        }
        """);
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    long before = heapAfterGc();
    String filler = "1".repeat(60_000);
    for (int batch = 0; batch < 259; batch++) {
      for (int i = 0; i < 16; i++) {
        assertThat(login(set, store, batch + "." + i + "." + filler).outcome()).isEqualTo(Decision.Outcome.ALLOW);
      }
    }
    assertThat(store.size()).isEqualTo(259 * 16);
    long grown = heapAfterGc() - before;
    assertThat(grown).as("heap growth in bytes").isLessThan(32L << 20);
  }

  private static long heapAfterGc() {
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
  }
}
