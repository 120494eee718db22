package dev.verdict.lang.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class GcraTest {

  private static final Rate THREE_PER_SECOND_BURST_2 = new Rate(3, Duration.ofSeconds(1), 2);

  @Test
  void anIdleKeyAdmitsItsBurstThenRefusesWithoutChangingState() {
    long state = Gcra.IDLE;
    for (int i = 0; i < 2; i++) {
      Gcra.Step s = Gcra.consume(state, THREE_PER_SECOND_BURST_2, 1_000);
      assertThat(s.outcome().allowed()).isTrue();
      state = s.state();
    }
    Gcra.Step refused = Gcra.consume(state, THREE_PER_SECOND_BURST_2, 1_000);
    assertThat(refused.outcome().allowed()).isFalse();
    assertThat(refused.state()).isEqualTo(state);
    // T = 333,334 µs: the next request fits exactly one emission interval after the first.
    assertThat(refused.outcome().retryAfter()).isEqualTo(Duration.ofNanos(333_334_000));
  }

  @Test
  void theSameInputsGiveTheSameStep() {
    Gcra.Step a = Gcra.consume(5_000_000, THREE_PER_SECOND_BURST_2, 4_900);
    Gcra.Step b = Gcra.consume(5_000_000, THREE_PER_SECOND_BURST_2, 4_900);
    assertThat(a).isEqualTo(b);
  }

  @Test
  void aRefundReachingAFullBudgetIsIdle() {
    Gcra.Step s = Gcra.consume(Gcra.IDLE, THREE_PER_SECOND_BURST_2, 1_000);
    assertThat(Gcra.isIdle(s.state(), 1_000)).isFalse();
    long refunded = Gcra.refund(s.state(), THREE_PER_SECOND_BURST_2, 1_000);
    assertThat(refunded).isEqualTo(Gcra.IDLE);
    assertThat(Gcra.isIdle(s.state(), 2_000)).isTrue();
  }

  @Test
  void anEarlierClockNeverAdmitsMoreThanTheRate() {
    long state = Gcra.IDLE;
    int admitted = 0;
    for (long now = 10_000; now > 9_000; now -= 10) {
      Gcra.Step s = Gcra.consume(state, THREE_PER_SECOND_BURST_2, now);
      admitted += s.outcome().allowed() ? 1 : 0;
      state = s.state();
    }
    assertThat(admitted).isLessThanOrEqualTo(2);
  }

  @Test
  void refusesTimesOutOfRange() {
    assertThatThrownBy(() -> Gcra.consume(Gcra.IDLE, THREE_PER_SECOND_BURST_2, -1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
