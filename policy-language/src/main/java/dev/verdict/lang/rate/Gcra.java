package dev.verdict.lang.rate;

import java.time.Duration;

/**
 * The generic cell rate algorithm as a pure step: (state, now, rate) → (new state, outcome),
 * with no storage, so every {@link BudgetStore} (a map in this process, an entry processor on
 * a cluster member) admits exactly the same requests.
 *
 * <p>A key's state is one {@code long}: its theoretical arrival time (TAT) in microseconds.
 * A request at {@code now} is admitted iff {@code now ≥ TAT − τ}; then
 * {@code TAT = max(TAT, now) + T} (see {@link Rate} for {@code T} and {@code τ}). A refused
 * request may retry after exactly {@code TAT − τ − now} and leaves the state as it was.
 *
 * <p>A state at or before {@code now} is <em>idle</em>: the key has its full burst again and
 * behaves exactly like a key never seen, whose state is {@link #IDLE}. A store may therefore
 * drop idle keys without changing any answer.
 */
public final class Gcra {

  /** The state of a key never seen, or one a store has dropped. */
  public static final long IDLE = 0L;

  /** Beyond this, {@code now} in microseconds plus a rate's window could overflow. */
  private static final long MAX_NOW_MILLIS = 6_000_000_000_000_000L;

  private Gcra() {}

  /**
   * What one consumption did.
   *
   * @param state the key's state afterwards: unchanged when refused
   * @param outcome what the caller is told
   */
  public record Step(long state, RateOutcome outcome) {}

  /**
   * Consumes one request from a key in {@code state} at {@code rate}, if its budget allows.
   *
   * @param nowMillis not negative and not absurdly far in the future
   * @throws IllegalArgumentException when {@code nowMillis} is out of range
   */
  public static Step consume(long state, Rate rate, long nowMillis) {
    long now = nowMicros(nowMillis);
    long t = rate.emissionIntervalMicros();
    long tau = rate.toleranceMicros();
    if (now < state - tau) {
      return new Step(state, outcome(false, state, now, t, tau, rate.burst()));
    }
    long tat = Math.max(state, now) + t;
    return new Step(tat, outcome(true, tat, now, t, tau, rate.burst()));
  }

  /**
   * Gives back one request admitted at {@code rate}: moves the state back by one emission
   * interval, never before {@code now} (a full budget). The result is {@link #IDLE} when the
   * key is back at full budget.
   */
  public static long refund(long state, Rate rate, long nowMillis) {
    long now = nowMicros(Math.max(0, Math.min(nowMillis, MAX_NOW_MILLIS)));
    long tat = state - rate.emissionIntervalMicros();
    return tat <= now ? IDLE : tat;
  }

  /** Whether a key in {@code state} is back at its full budget at {@code nowMillis}. */
  public static boolean isIdle(long state, long nowMillis) {
    return state <= nowMicros(Math.max(0, Math.min(nowMillis, MAX_NOW_MILLIS)));
  }

  /** {@code nowMillis} in microseconds, checked. */
  static long nowMicros(long nowMillis) {
    if (nowMillis < 0 || nowMillis > MAX_NOW_MILLIS) {
      throw new IllegalArgumentException("time " + nowMillis + " ms is out of range");
    }
    return nowMillis * 1_000L;
  }

  private static RateOutcome outcome(boolean allowed, long tat, long now, long t, long tau, long burst) {
    long headroom = now + tau - Math.max(tat, now);
    long remaining = headroom < 0 ? 0 : Math.min(burst, headroom / t + 1);
    Duration retryAfter = allowed ? Duration.ZERO : micros(tat - tau - now);
    Duration resetAfter = micros(Math.max(0, tat - now));
    return new RateOutcome(allowed, burst, remaining, retryAfter, resetAfter);
  }

  private static Duration micros(long micros) {
    return Duration.ofSeconds(micros / 1_000_000L, (micros % 1_000_000L) * 1_000L);
  }
}
