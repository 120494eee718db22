package dev.verdict.lang.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SlidingWindowTest {
  private static final Rate THREE_A_DAY = Rate.window(3, Duration.ofDays(1));
  private static final long DAY = 86_400_000L;

  @Test
  void admitsCountInAnyWindowAndSaysExactlyWhenTheNextFits() {
    long[] s = SlidingWindow.EMPTY;
    long t0 = 1_000_000L;
    for (int i = 0; i < 3; i++) {
      SlidingWindow.Step step = SlidingWindow.consume(s, THREE_A_DAY, t0 + i * 1_000L);
      assertThat(step.outcome().allowed()).isTrue();
      assertThat(step.outcome().remaining()).isEqualTo(2 - i);
      assertThat(step.outcome().limit()).isEqualTo(3);
      s = step.state();
    }
    SlidingWindow.Step fourth = SlidingWindow.consume(s, THREE_A_DAY, t0 + 10_000L);
    assertThat(fourth.outcome().allowed()).isFalse();
    assertThat(fourth.state()).isSameAs(s);
    // the first leaves the window a day after it was admitted
    assertThat(fourth.outcome().retryAfter()).isEqualTo(Duration.ofMillis(DAY - 10_000L));
    assertThat(fourth.outcome().resetAfter()).isEqualTo(Duration.ofMillis(DAY + 2_000L - 10_000L));
    assertThat(SlidingWindow.consume(s, THREE_A_DAY, t0 + DAY - 1).outcome().allowed()).isFalse();
    SlidingWindow.Step later = SlidingWindow.consume(s, THREE_A_DAY, t0 + DAY);
    assertThat(later.outcome().allowed()).isTrue();
    assertThat(later.state()).containsExactly(t0 + 1_000L, t0 + 2_000L, t0 + DAY);
  }

  @Test
  void neverMoreThanCountInAnyPeriodAndNeverRefusesWhatTheRuleAllows() {
    Random random = new Random(13);
    Rate rate = Rate.window(5, Duration.ofSeconds(10));
    long[] s = SlidingWindow.EMPTY;
    List<Long> admitted = new ArrayList<>();
    long now = 0;
    for (int i = 0; i < 20_000; i++) {
      now += random.nextInt(4_000);
      long from = now - 10_000;
      long inWindow = admitted.stream().filter(t -> t > from).count();
      SlidingWindow.Step step = SlidingWindow.consume(s, rate, now);
      assertThat(step.outcome().allowed()).as("request %d at %d with %d in the window", i, now, inWindow)
          .isEqualTo(inWindow < 5);
      if (step.outcome().allowed()) {
        admitted.add(now);
      }
      s = step.state();
      assertThat(s.length).isLessThanOrEqualTo(5);
    }
  }

  @Test
  void aClockBehindCountsTimesAheadOfIt() {
    Rate rate = Rate.window(2, Duration.ofMinutes(1));
    long[] s = SlidingWindow.consume(SlidingWindow.EMPTY, rate, 100_000L).state();
    s = SlidingWindow.consume(s, rate, 90_000L).state(); // another node, 10 s behind
    assertThat(s).containsExactly(90_000L, 100_000L);
    assertThat(SlidingWindow.consume(s, rate, 95_000L).outcome().allowed()).isFalse();
  }

  @Test
  void refundGivesBackTheRequestAndIdleStatesAreEmpty() {
    long[] s = SlidingWindow.consume(SlidingWindow.EMPTY, THREE_A_DAY, 5_000L).state();
    s = SlidingWindow.consume(s, THREE_A_DAY, 6_000L).state();
    assertThat(SlidingWindow.refund(s, THREE_A_DAY, 6_000L)).containsExactly(5_000L);
    assertThat(SlidingWindow.refund(new long[] {5_000L}, THREE_A_DAY, 5_000L)).isSameAs(SlidingWindow.EMPTY);
    assertThat(SlidingWindow.isIdle(s, DAY, 6_000L + DAY)).isTrue();
    assertThat(SlidingWindow.isIdle(s, DAY, 6_000L + DAY - 1)).isFalse();
  }

  @Test
  void theStricterOfTwoStatesKeepsTheNewestCountTimes() {
    assertThat(SlidingWindow.stricter(new long[] {1, 5}, new long[] {3, 4}, 3)).containsExactly(3, 4, 5);
    assertThat(SlidingWindow.stricter(SlidingWindow.EMPTY, new long[] {3}, 3)).containsExactly(3);
  }

  @Test
  void aWindowIsNotABucket() {
    assertThatThrownBy(() -> SlidingWindow.consume(SlidingWindow.EMPTY, Rate.of(3, Duration.ofMinutes(1)), 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Rate.window(Rate.MAX_WINDOW_COUNT + 1, Duration.ofMinutes(1)))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(Rate.window(3, Duration.ofDays(1))).hasToString("3 per PT24H window");
  }

  @Test
  void theLocalStoreIsExactAndBoundedInBytes() {
    InMemoryBudgetStore store = new InMemoryBudgetStore(64 * 1024);
    Rate rate = Rate.window(10, Duration.ofMinutes(1));
    BudgetKey one = BudgetKey.of("logins").add("10.0.0.1").build();
    for (int i = 0; i < 10; i++) {
      assertThat(store.consume(one, rate, 1_000L + i).toCompletableFuture().join().allowed()).isTrue();
    }
    assertThat(store.consume(one, rate, 30_000L).toCompletableFuture().join().allowed()).isFalse();
    assertThat(store.consume(one, rate, 61_000L).toCompletableFuture().join().allowed()).isTrue();
    store.refund(one, rate, 61_000L);
    for (int i = 0; i < 50_000; i++) {
      store.consume(BudgetKey.of("logins").add("k" + i).build(), rate, 100_000L + i);
      assertThat(store.windowBytes()).isLessThanOrEqualTo(64 * 1024 + 1_024);
    }
    // the busy key was evicted or kept, but a key never admits more than the window in this run
    assertThat(store.size()).isLessThan(1_000);
  }
}
