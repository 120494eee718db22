package dev.verdict.lang.rate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class RateTest {

  @Test
  void derivesTheEmissionIntervalAndTolerance() {
    Rate rate = new Rate(5, Duration.ofMinutes(1), 5);
    assertThat(rate.emissionIntervalMicros()).isEqualTo(12_000_000);
    assertThat(rate.toleranceMicros()).isEqualTo(48_000_000);
    assertThat(new Rate(5, Duration.ofMinutes(1), 1).toleranceMicros()).isZero();
  }

  @Test
  void theBurstDefaultsToTheCount() {
    assertThat(Rate.of(10, Duration.ofSeconds(1))).isEqualTo(new Rate(10, Duration.ofSeconds(1), 10));
  }

  @Test
  void refusesRatesThatMakeNoSense() {
    assertThatThrownBy(() -> new Rate(0, Duration.ofMinutes(1), 1))
        .hasMessage("a rate admits at least 1 request per period, not 0");
    assertThatThrownBy(() -> new Rate(1, Duration.ofMinutes(1), 0))
        .hasMessage("a burst is at least 1, not 0");
    assertThatThrownBy(() -> new Rate(1, Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rate(1, Duration.ofSeconds(-1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new Rate(1, Duration.ofDays(365L * 1000), Long.MAX_VALUE))
        .hasMessageContaining("spans too long a window");
    assertThatThrownBy(() -> new Rate(1, Duration.ofSeconds(Long.MAX_VALUE), 1))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void outcomesRoundSecondsUpForHeaders() {
    RateOutcome o = new RateOutcome(false, 5, 0, Duration.ofMillis(1), Duration.ofMillis(12_001));
    assertThat(o.retryAfterSeconds()).isEqualTo(1);
    assertThat(o.resetAfterSeconds()).isEqualTo(13);
    assertThatThrownBy(() -> new RateOutcome(true, 5, 6, Duration.ZERO, Duration.ZERO))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
