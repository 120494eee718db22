package dev.verdict.lang.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class InMemoryBudgetStoreTest {

  private static final long SECOND = 1_000;
  private static final long MINUTE = 60 * SECOND;
  private static final Rate FIVE_PER_MINUTE = new Rate(5, Duration.ofMinutes(1), 5);

  private final InMemoryBudgetStore store = new InMemoryBudgetStore();

  private static BudgetKey key(String text) {
    return BudgetKey.of("test").add(text).build();
  }

  private static RateOutcome consume(InMemoryBudgetStore s, String key, Rate rate, long now) {
    return s.consume(key(key), rate, now).toCompletableFuture().join();
  }

  private static void refund(InMemoryBudgetStore s, String key, Rate rate, long now) {
    s.refund(key(key), rate, now).toCompletableFuture().join();
  }

  private static InMemoryBudgetStore holding(int keys) {
    return new InMemoryBudgetStore((long) keys * InMemoryBudgetStore.BYTES_PER_KEY);
  }

  private int admitted(String key, Rate rate, long now, int attempts) {
    int n = 0;
    for (int i = 0; i < attempts; i++) {
      if (consume(store, key, rate, now).allowed()) {
        n++;
      }
    }
    return n;
  }

  @Test
  void admitsTheBurstThenRefusesWithTheExactRetry() {
    assertThat(admitted("k", FIVE_PER_MINUTE, 0, 5)).isEqualTo(5);
    RateOutcome sixth = consume(store, "k", FIVE_PER_MINUTE, 0);
    assertThat(sixth.allowed()).isFalse();
    assertThat(sixth.retryAfter()).isEqualTo(Duration.ofSeconds(12));
    assertThat(sixth.retryAfterSeconds()).isEqualTo(12);
  }

  @Test
  void admitsOneMoreAfterTheEmissionInterval() {
    admitted("k", FIVE_PER_MINUTE, 0, 6);
    RateOutcome early = consume(store, "k", FIVE_PER_MINUTE, 12 * SECOND - 1);
    assertThat(early.allowed()).isFalse();
    assertThat(early.retryAfter()).isEqualTo(Duration.ofMillis(1));
    assertThat(consume(store, "k", FIVE_PER_MINUTE, 12 * SECOND).allowed()).isTrue();
    RateOutcome next = consume(store, "k", FIVE_PER_MINUTE, 12 * SECOND);
    assertThat(next.allowed()).isFalse();
    assertThat(next.retryAfter()).isEqualTo(Duration.ofSeconds(12));
  }

  @Test
  void retryAfterIsExactAtEveryMoment() {
    admitted("k", FIVE_PER_MINUTE, 0, 5);
    for (long t = 0; t < 12 * SECOND; t += 997) {
      RateOutcome o = consume(store, "k", FIVE_PER_MINUTE, t);
      assertThat(o.allowed()).isFalse();
      assertThat(o.retryAfter()).isEqualTo(Duration.ofMillis(12 * SECOND - t));
      assertThat(o.remaining()).isZero();
    }
  }

  @Test
  void aRefusedRequestConsumesNothing() {
    admitted("k", FIVE_PER_MINUTE, 0, 5);
    assertThat(admitted("k", FIVE_PER_MINUTE, 0, 1_000)).isZero();
    // Had the refusals consumed, the key would still be refused after 12 s.
    assertThat(consume(store, "k", FIVE_PER_MINUTE, 12 * SECOND).allowed()).isTrue();
  }

  @Test
  void aFullPeriodRestoresTheWholeBurst() {
    admitted("k", FIVE_PER_MINUTE, 0, 5);
    assertThat(admitted("k", FIVE_PER_MINUTE, MINUTE, 10)).isEqualTo(5);
  }

  @Test
  void aBurstOfOneSpacesRequestsEvenly() {
    Rate rate = new Rate(5, Duration.ofMinutes(1), 1);
    assertThat(admitted("k", rate, 0, 3)).isEqualTo(1);
    for (long t = 12 * SECOND; t <= 10 * MINUTE; t += 12 * SECOND) {
      assertThat(consume(store, "k", rate, t - 1).allowed()).as("at %d", t - 1).isFalse();
      assertThat(consume(store, "k", rate, t).allowed()).as("at %d", t).isTrue();
    }
  }

  @Test
  void aBurstLargerThanTheCountAdmitsTheBurstThenTheRate() {
    Rate rate = new Rate(5, Duration.ofMinutes(1), 10);
    assertThat(admitted("k", rate, 0, 20)).isEqualTo(10);
    RateOutcome refused = consume(store, "k", rate, 0);
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofSeconds(12));
    assertThat(refused.limit()).isEqualTo(10);
    assertThat(admitted("k", rate, MINUTE, 20)).isEqualTo(5);
  }

  @Test
  void overALongRunAdmitsTheRatePlusTheBurst() {
    // One attempt every second for an hour: at most burst + hour / T.
    int n = 0;
    for (long t = 0; t < 60 * MINUTE; t += SECOND) {
      n += consume(store, "k", FIVE_PER_MINUTE, t).allowed() ? 1 : 0;
    }
    assertThat(n).isEqualTo(5 + 299);
  }

  @Test
  void remainingAndResetFollowTheBucket() {
    RateOutcome first = consume(store, "k", FIVE_PER_MINUTE, 0);
    assertThat(first.allowed()).isTrue();
    assertThat(first.limit()).isEqualTo(5);
    assertThat(first.remaining()).isEqualTo(4);
    assertThat(first.retryAfter()).isZero();
    assertThat(first.resetAfter()).isEqualTo(Duration.ofSeconds(12));

    admitted("k", FIVE_PER_MINUTE, 0, 3);
    RateOutcome fifth = consume(store, "k", FIVE_PER_MINUTE, 0);
    assertThat(fifth.remaining()).isZero();
    assertThat(fifth.resetAfter()).isEqualTo(Duration.ofMinutes(1));

    // 30 s later two requests have been earned back (one at 12 s, one at 24 s).
    RateOutcome later = consume(store, "k", FIVE_PER_MINUTE, 30 * SECOND);
    assertThat(later.allowed()).isTrue();
    assertThat(later.remaining()).isEqualTo(1);
    assertThat(later.resetAfter()).isEqualTo(Duration.ofSeconds(42));
    assertThat(later.resetAfterSeconds()).isEqualTo(42);
  }

  @Test
  void keysAreIndependent() {
    admitted("a", FIVE_PER_MINUTE, 0, 5);
    assertThat(consume(store, "a", FIVE_PER_MINUTE, 0).allowed()).isFalse();
    assertThat(consume(store, "b", FIVE_PER_MINUTE, 0).allowed()).isTrue();
  }

  @Test
  void periodsThatDoNotDivideAreRoundedAgainstTheCaller() {
    Rate rate = new Rate(3, Duration.ofSeconds(1), 3);
    assertThat(rate.emissionIntervalMicros()).isEqualTo(333_334);
    assertThat(admitted("k", rate, 0, 5)).isEqualTo(3);
    RateOutcome refused = consume(store, "k", rate, 0);
    assertThat(refused.retryAfter()).isEqualTo(Duration.ofNanos(333_334_000));
    assertThat(refused.retryAfterSeconds()).isEqualTo(1);
    // In 10 s at most 3 + 30 are admitted, never 34.
    int n = 0;
    for (long t = 1; t <= 10 * SECOND; t++) {
      n += consume(store, "k", rate, t).allowed() ? 1 : 0;
    }
    assertThat(n).isEqualTo(29);
  }

  @Test
  void aClockThatStepsBackNeverAdmitsMore() {
    admitted("k", FIVE_PER_MINUTE, MINUTE, 5);
    assertThat(admitted("k", FIVE_PER_MINUTE, 0, 5)).isZero();
    RateOutcome o = consume(store, "k", FIVE_PER_MINUTE, 0);
    assertThat(o.retryAfter()).isEqualTo(Duration.ofSeconds(72));
  }

  @Test
  void concurrentConsumersAdmitExactlyTheLimit() throws Exception {
    Rate rate = new Rate(100, Duration.ofHours(1), 100);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 20; round++) {
        String key = "hot-" + round;
        CountDownLatch start = new CountDownLatch(1);
        AtomicInteger allowed = new AtomicInteger();
        List<Future<?>> done = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
          done.add(pool.submit(() -> {
            start.await();
            for (int j = 0; j < 100; j++) {
              if (consume(store, key, rate, 0).allowed()) {
                allowed.incrementAndGet();
              }
            }
            return null;
          }));
        }
        start.countDown();
        for (Future<?> f : done) {
          f.get(30, TimeUnit.SECONDS);
        }
        assertThat(allowed.get()).as("round %d", round).isEqualTo(100);
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void idleKeysAreEvictedFirst() {
    InMemoryBudgetStore small = holding(100);
    Rate rate = Rate.of(1, Duration.ofMinutes(1));
    for (int i = 0; i < 50; i++) {
      consume(small, "old-" + i, rate, 0);
    }
    for (int i = 0; i < 50; i++) {
      consume(small, "busy-" + i, rate, 2 * MINUTE);
    }
    assertThat(small.size()).isEqualTo(100);
    consume(small, "new", rate, 2 * MINUTE);
    // The 50 old keys were idle (their TAT at 1 min is past); the busy ones are kept.
    assertThat(small.size()).isEqualTo(51);
    assertThat(consume(small, "busy-7", rate, 2 * MINUTE).allowed()).isFalse();
  }

  @Test
  void keysClosestToIdleGoWhenNoneIsIdle() {
    InMemoryBudgetStore small = holding(100);
    for (int i = 0; i < 101; i++) {
      // key i is busy for i + 1 minutes
      consume(small, "k" + i, new Rate(1, Duration.ofMinutes(i + 1), 1), 0);
    }
    assertThat(small.size()).isEqualTo(90);
    // The longest-busy keys are still remembered and still refused.
    assertThat(consume(small, "k100", new Rate(1, Duration.ofMinutes(101), 1), 0).allowed()).isFalse();
    assertThat(consume(small, "k11", new Rate(1, Duration.ofMinutes(12), 1), 0).allowed()).isFalse();
    // The shortest-busy ones were forgotten and start again with a full burst.
    assertThat(consume(small, "k0", new Rate(1, Duration.ofMinutes(1), 1), 0).allowed()).isTrue();
  }

  @Test
  void memoryStaysBoundedUnderAFloodOfKeys() {
    InMemoryBudgetStore small = holding(1_000);
    Rate rate = Rate.of(10, Duration.ofHours(1));
    for (int i = 0; i < 100_000; i++) {
      consume(small, "flood-" + i, rate, i / 10);
      assertThat(small.size()).isLessThanOrEqualTo(1_000);
    }
  }

  @Test
  void refusesOutOfRangeTimesAndNulls() {
    assertThat(store.consume(key("k"), FIVE_PER_MINUTE, -1).toCompletableFuture())
        .isCompletedExceptionally();
    assertThat(store.consume(null, FIVE_PER_MINUTE, 0).toCompletableFuture()).isCompletedExceptionally();
    assertThatThrownBy(() -> new InMemoryBudgetStore(InMemoryBudgetStore.BYTES_PER_KEY - 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stagesAreAlreadyComplete() throws Exception {
    admitted("k", FIVE_PER_MINUTE, 0, 5);
    var stage = store.consume(key("k"), FIVE_PER_MINUTE, 0).toCompletableFuture();
    assertThat(stage).isDone();
    assertThat(stage.get().allowed()).isFalse();
    assertThat(stage.get().retryAfter()).isEqualTo(Duration.ofSeconds(12));
    assertThat(store.refund(key("k"), FIVE_PER_MINUTE, 0).toCompletableFuture()).isDone();
  }

  @Test
  void aRefundGivesBackOneRequestButNeverMoreThanAFullBudget() {
    InMemoryBudgetStore store = new InMemoryBudgetStore();
    long t0 = 1_000 * MINUTE;
    for (int i = 0; i < 5; i++) {
      assertThat(consume(store, "k", FIVE_PER_MINUTE, t0).allowed()).isTrue();
    }
    assertThat(consume(store, "k", FIVE_PER_MINUTE, t0).allowed()).isFalse();
    refund(store, "k", FIVE_PER_MINUTE, t0);
    assertThat(consume(store, "k", FIVE_PER_MINUTE, t0).allowed()).isTrue();
    assertThat(consume(store, "k", FIVE_PER_MINUTE, t0).allowed()).isFalse();

    // Refunds beyond what was consumed leave a full budget, not a bigger one.
    for (int i = 0; i < 20; i++) {
      refund(store, "k", FIVE_PER_MINUTE, t0);
    }
    int admitted = 0;
    while (consume(store, "k", FIVE_PER_MINUTE, t0).allowed()) {
      admitted++;
    }
    assertThat(admitted).isEqualTo(5);
    refund(store, "absent", FIVE_PER_MINUTE, t0);
    assertThat(consume(store, "absent", FIVE_PER_MINUTE, t0).remaining()).isEqualTo(4);
  }
}
