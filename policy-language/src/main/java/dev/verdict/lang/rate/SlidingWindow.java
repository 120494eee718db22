package dev.verdict.lang.rate;

import java.time.Duration;
import java.util.Arrays;

/**
 * The sliding window as a pure step, (state, now, rate) → (new state, outcome), with no
 * storage, so every {@link BudgetStore} admits exactly the same requests: a request at
 * {@code now} is admitted iff fewer than {@code count} requests were admitted in
 * {@code (now − period, now]}. This is exact, not an approximation: at most {@code count}
 * requests in <em>any</em> period, however they are spread.
 *
 * <p>A key's state is the times (epoch milliseconds, ascending) of the requests it admitted
 * that may still be in a window: never more than {@code count} of them, so a key costs at most
 * {@code 8 × count} bytes ({@link Rate#MAX_WINDOW_COUNT} bounds it). A refused request may
 * retry exactly when the oldest of the last {@code count} leaves the window, and leaves the
 * state as it was.
 *
 * <p>Times later than {@code now} (another node's clock runs ahead) are counted as inside the
 * window, never dropped, so clocks that disagree can only make a window stricter. A state whose
 * newest time is a whole period old is <em>idle</em>: it behaves exactly like a key never seen
 * ({@link #EMPTY}), so a store may drop it.
 *
 * <p>Why not GCRA: a token bucket of {@code count} per period with a burst of {@code count}
 * admits {@code count} at once and then one every {@code period / count}, so up to
 * {@code 2 × count − 1} in one period; with a burst of 1 it refuses the second of two
 * requests a second apart under "3 a day". No (rate, burst) pair gives "at most N in any
 * period" without refusing requests that the rule allows.
 */
public final class SlidingWindow {

  /** The state of a key never seen, or one a store has dropped. */
  public static final long[] EMPTY = new long[0];

  /** Beyond this, {@code now} plus a window could overflow. */
  private static final long MAX_NOW_MILLIS = 6_000_000_000_000_000L;

  private SlidingWindow() {}

  /**
   * What one consumption did.
   *
   * @param state the key's state afterwards: the same array when refused
   * @param outcome what the caller is told
   */
  public record Step(long[] state, RateOutcome outcome) {}

  /**
   * Consumes one request from a key in {@code state} (not modified) at the window {@code rate}.
   *
   * @throws IllegalArgumentException when {@code rate} is not a window or {@code nowMillis} is
   *     out of range
   */
  public static Step consume(long[] state, Rate rate, long nowMillis) {
    check(rate, nowMillis);
    long w = rate.periodMillis();
    int n = (int) rate.count();
    int start = firstInWindow(state, nowMillis - w);
    int inWindow = state.length - start;
    if (inWindow >= n) {
      long retry = state[state.length - n] + w - nowMillis;
      long reset = state[state.length - 1] + w - nowMillis;
      return new Step(state, new RateOutcome(false, n, 0, millis(Math.max(1, retry)), millis(Math.max(1, reset))));
    }
    long[] next = new long[inWindow + 1];
    int at = Arrays.binarySearch(state, start, state.length, nowMillis);
    int insert = at >= 0 ? at + 1 : -at - 1; // after equal times: order among equals does not matter
    System.arraycopy(state, start, next, 0, insert - start);
    next[insert - start] = nowMillis;
    System.arraycopy(state, insert, next, insert - start + 1, state.length - insert);
    long reset = next[next.length - 1] + w - nowMillis;
    return new Step(next, new RateOutcome(true, n, n - next.length, Duration.ZERO, millis(Math.max(0, reset))));
  }

  /**
   * Gives back one request admitted at {@code nowMillis}: removes that time (or, if a store has
   * lost it, the newest), and every time that has left the window. {@link #EMPTY} when nothing
   * is left.
   */
  public static long[] refund(long[] state, Rate rate, long nowMillis) {
    long w = rate.periodMillis();
    int start = firstInWindow(state, nowMillis - w);
    if (start == state.length) {
      return EMPTY;
    }
    int at = Arrays.binarySearch(state, start, state.length, nowMillis);
    int drop = at >= 0 ? at : state.length - 1;
    long[] next = new long[state.length - start - 1];
    System.arraycopy(state, start, next, 0, drop - start);
    System.arraycopy(state, drop + 1, next, drop - start, state.length - drop - 1);
    return next.length == 0 ? EMPTY : next;
  }

  /** Whether a key in {@code state} is back at its full budget at {@code nowMillis} for a window of {@code windowMillis}. */
  public static boolean isIdle(long[] state, long windowMillis, long nowMillis) {
    return state.length == 0 || state[state.length - 1] <= nowMillis - windowMillis;
  }

  /**
   * The stricter of two states of one key (a cluster merging what two members held): every
   * time either holds, the newest {@code count} kept. Admits no request that either state alone
   * would refuse.
   */
  public static long[] stricter(long[] a, long[] b, int count) {
    long[] all = new long[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    Arrays.sort(all);
    // the same request may be in both (a backup and its owner): equal times are kept, which only counts more
    return all.length <= count ? all : Arrays.copyOfRange(all, all.length - count, all.length);
  }

  /** The index of the first time after {@code from}, i.e. inside the window. */
  private static int firstInWindow(long[] state, long from) {
    int lo = 0;
    int hi = state.length;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (state[mid] <= from) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  private static void check(Rate rate, long nowMillis) {
    if (!rate.window()) {
      throw new IllegalArgumentException("rate " + rate + " is not a window");
    }
    if (nowMillis < 0 || nowMillis > MAX_NOW_MILLIS) {
      throw new IllegalArgumentException("time " + nowMillis + " ms is out of range");
    }
  }

  private static Duration millis(long ms) {
    return Duration.ofMillis(ms);
  }
}
