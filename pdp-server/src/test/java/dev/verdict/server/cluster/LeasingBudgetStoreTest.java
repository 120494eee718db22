package dev.verdict.server.cluster;

import static org.assertj.core.api.Assertions.assertThat;

import com.hazelcast.core.HazelcastInstance;
import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Leases for hot keys, two members in this JVM: the admissions stay within the budget, most
 * consumptions of a hot key take no round trip, and unused tokens go back to the owner.
 */
class LeasingBudgetStoreTest {
  static HazelcastInstance a;
  static HazelcastInstance b;

  @BeforeAll
  static void start() throws Exception {
    ClusterStoresTest.HAZELCAST_LOG.setLevel(java.util.logging.Level.WARNING);
    int pa = ClusterStoresTest.freePort();
    int pb = ClusterStoresTest.freePort();
    String name = "lease-test-" + UUID.randomUUID();
    List<String> members = List.of("127.0.0.1:" + pa, "127.0.0.1:" + pb);
    a = ClusterNode.start(ClusterSettings.tcp(name, members, pa, "127.0.0.1").withTimings(0, 1, 5));
    b = ClusterNode.start(ClusterSettings.tcp(name, members, pb, "127.0.0.1").withTimings(0, 1, 5));
    assertThat(a.getCluster().getMembers()).hasSize(2);
  }

  @AfterAll
  static void stop() {
    b.getLifecycleService().terminate();
    a.getLifecycleService().terminate();
  }

  @Test
  void twoLeasingMembersHitConcurrentlyAdmitNoMoreThanTheLimitAndAtMostTheBoundLess() throws Exception {
    AtomicLong roundTrips = new AtomicLong();
    ClusterBudgetStore ownerA = new ClusterBudgetStore(a, Duration.ofSeconds(10), n -> roundTrips.incrementAndGet(), () -> { });
    ClusterBudgetStore ownerB = new ClusterBudgetStore(b, Duration.ofSeconds(10), n -> roundTrips.incrementAndGet(), () -> { });
    int k = 5;
    LeasingBudgetStore onA = new LeasingBudgetStore(ownerA, k);
    LeasingBudgetStore onB = new LeasingBudgetStore(ownerB, k);
    // 100 an hour: no measurable refill while the requests run
    Rate rate = Rate.of(100, Duration.ofHours(1));
    BudgetKey key = ClusterStoresTest.key("leased", "alice");
    AtomicInteger admitted = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < 8; t++) {
        LeasingBudgetStore store = t % 2 == 0 ? onA : onB;
        fs.add(pool.submit(() -> {
          for (int i = 0; i < 25; i++) {
            RateOutcome o = store.consume(key, rate, System.currentTimeMillis()).toCompletableFuture().join();
            if (o.allowed()) {
              admitted.incrementAndGet();
            }
          }
          return null;
        }));
      }
      for (Future<?> f : fs) {
        f.get();
      }
    } finally {
      pool.shutdownNow();
    }
    // 200 requests for a budget of 100: the bound is what the other node may hold unused
    assertThat(admitted.get()).isLessThanOrEqualTo(100).isGreaterThanOrEqualTo(100 - (2 - 1) * (k - 1));
    assertThat(onA.admittedLocally() + onB.admittedLocally()).as("answered from leases or kept refusals")
        .isGreaterThan(100);
    assertThat(roundTrips.get()).as("round trips to the owner for 200 requests").isLessThan(100);
    // nothing the owner counted is lost for good: a plain store sees the budget used up
    assertThat(ownerA.consume(key, rate, System.currentTimeMillis()).toCompletableFuture().join().allowed()).isFalse();
  }

  @Test
  void unusedLeasedTokensGoBackToTheOwner() throws Exception {
    ClusterBudgetStore owner = new ClusterBudgetStore(a, Duration.ofSeconds(10));
    LeasingBudgetStore leasing = new LeasingBudgetStore(owner, 5);
    Rate rate = Rate.of(100, Duration.ofHours(1));
    BudgetKey key = ClusterStoresTest.key("returned", "bob");
    long now = System.currentTimeMillis();
    assertThat(leasing.consume(key, rate, now).toCompletableFuture().join().allowed()).isTrue(); // cold: on the owner
    assertThat(leasing.consume(key, rate, now).toCompletableFuture().join().allowed()).isTrue(); // hot: leases 5
    ClusterBudgetStore plain = new ClusterBudgetStore(b, Duration.ofSeconds(10));
    // 1 + 5 counted on the owner; this request is the 7th
    assertThat(plain.consume(key, rate, now).toCompletableFuture().join().remaining()).isEqualTo(100 - 7);
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    long remaining;
    do {
      Thread.sleep(100);
      RateOutcome o = plain.consume(key, rate, now).toCompletableFuture().join();
      plain.refund(key, rate, now).toCompletableFuture().join();
      remaining = o.remaining();
    } while (remaining != 100 - 4 && System.nanoTime() < deadline);
    // the 4 leased tokens never used are back: 3 used (and this one, refunded again)
    assertThat(remaining).isEqualTo(100 - 4);
  }

  @Test
  void aRefusalAndTheRefundOfALeasedTokenStayOnTheNode() {
    AtomicLong roundTrips = new AtomicLong();
    ClusterBudgetStore owner = new ClusterBudgetStore(a, Duration.ofSeconds(10), n -> roundTrips.incrementAndGet(), () -> { });
    LeasingBudgetStore leasing = new LeasingBudgetStore(owner, 5);
    Rate rate = Rate.of(20, Duration.ofHours(1)); // leases of 2: a tenth of the burst
    BudgetKey key = ClusterStoresTest.key("refused", "carol");
    long now = System.currentTimeMillis();
    int admitted = 0;
    for (int i = 0; i < 40; i++) {
      if (leasing.consume(key, rate, now).toCompletableFuture().join().allowed()) {
        admitted++;
      }
    }
    assertThat(admitted).isEqualTo(20);
    long trips = roundTrips.get();
    RateOutcome refused = leasing.consume(key, rate, now).toCompletableFuture().join();
    assertThat(refused.allowed()).isFalse();
    assertThat(refused.retryAfter()).isPositive();
    assertThat(roundTrips.get()).as("a kept refusal needs no round trip").isEqualTo(trips);
  }

  @Test
  void smallBucketsAndWindowsAreNotLeased() {
    LeasingBudgetStore leasing = new LeasingBudgetStore(new ClusterBudgetStore(a, Duration.ofSeconds(10)), 5);
    assertThat(leasing.leaseSize(Rate.of(5, Duration.ofMinutes(1)))).isZero();
    assertThat(leasing.leaseSize(Rate.of(30, Duration.ofMinutes(1)))).isEqualTo(3);
    assertThat(leasing.leaseSize(Rate.of(100, Duration.ofMinutes(1)))).isEqualTo(5);
    assertThat(leasing.leaseSize(Rate.window(1_000, Duration.ofMinutes(1)))).isZero();
  }
}
