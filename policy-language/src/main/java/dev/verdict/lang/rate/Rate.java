package dev.verdict.lang.rate;

import java.time.Duration;
import java.util.Objects;

/**
 * A rate: {@code count} requests per {@code period}, of which up to {@code burst} may come at
 * once. In the language, {@code 5 per 1m burst 5}; without {@code burst}, it equals
 * {@code count} (use {@link #of}).
 *
 * <p>Under GCRA the rate becomes an emission interval {@code T = period / count} and a
 * tolerance {@code τ = T × (burst − 1)}. Both are kept in whole microseconds, {@code T}
 * rounded up, so a rate is never more generous than written: {@code 3 per 1s} admits one
 * request per 333,334 µs. Rates above one per microsecond are therefore slowed to that.
 *
 * <p>A <em>window</em> rate ({@code 5 per 1m window}, {@link #window}) is not a token bucket:
 * it admits at most {@code count} requests in any period, exactly ({@link SlidingWindow}); its
 * burst is its count.
 *
 * @param count requests per period, at least 1
 * @param period positive, at most about 292,000 years
 * @param burst requests admitted at once from an idle key, at least 1
 * @param window whether the rate is a sliding window rather than a token bucket
 */
public record Rate(long count, Duration period, long burst, boolean window) {
  /** The most requests a window counts: it remembers when each one was admitted. */
  public static final int MAX_WINDOW_COUNT = 1_000;


  /** Beyond this, emission interval plus tolerance could overflow the microsecond clock. */
  private static final long MAX_WINDOW_MICROS = 1L << 61;

  public Rate {
    Objects.requireNonNull(period, "period is null");
    if (count < 1) {
      throw new IllegalArgumentException("a rate admits at least 1 request per period, not " + count);
    }
    if (burst < 1) {
      throw new IllegalArgumentException("a burst is at least 1, not " + burst);
    }
    if (period.isNegative() || period.isZero()) {
      throw new IllegalArgumentException("a rate's period is positive, not " + period);
    }
    long periodMicros = periodMicros(period);
    long t = ceilDiv(periodMicros, count);
    if (t > MAX_WINDOW_MICROS / burst) {
      throw new IllegalArgumentException("rate " + count + " per " + period + " burst " + burst
          + " spans too long a window");
    }
    if (window && (burst != count || count > MAX_WINDOW_COUNT)) {
      throw new IllegalArgumentException("a window counts 1 to " + MAX_WINDOW_COUNT
          + " requests, with no burst of its own, not " + count + " burst " + burst);
    }
  }

  /** A token bucket: {@code count} per {@code period}, {@code burst} at once. */
  public Rate(long count, Duration period, long burst) {
    this(count, period, burst, false);
  }

  /** At most {@code count} requests in any {@code period}: {@code count per period window}. */
  public static Rate window(long count, Duration period) {
    return new Rate(count, period, count, true);
  }

  /** The window's length in milliseconds, rounded up. */
  public long periodMillis() {
    return Math.max(1, ceilDiv(periodMicros(period), 1_000));
  }

  /** {@code count} per {@code period} with a burst of {@code count}. */
  public static Rate of(long count, Duration period) {
    return new Rate(count, period, count);
  }

  /** The emission interval {@code T}, in microseconds, rounded up. */
  public long emissionIntervalMicros() {
    return ceilDiv(periodMicros(period), count);
  }

  /** The tolerance {@code τ = T × (burst − 1)}, in microseconds. */
  public long toleranceMicros() {
    return emissionIntervalMicros() * (burst - 1);
  }

  private static long periodMicros(Duration period) {
    try {
      return Math.addExact(Math.multiplyExact(period.getSeconds(), 1_000_000L),
          period.getNano() / 1_000 + (period.getNano() % 1_000 == 0 ? 0 : 1));
    } catch (ArithmeticException e) {
      throw new IllegalArgumentException("a rate's period is too long: " + period, e);
    }
  }

  private static long ceilDiv(long a, long b) {
    return -Math.floorDiv(-a, b);
  }

  @Override
  public String toString() {
    return count + " per " + period + (window ? " window" : " burst " + burst);
  }
}
