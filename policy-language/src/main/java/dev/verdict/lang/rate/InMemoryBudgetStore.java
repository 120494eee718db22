package dev.verdict.lang.rate;

import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Budgets in this process's memory: a {@link ConcurrentHashMap} from a key's 128-bit digest to
 * its {@link Gcra} state. Each operation is one {@link ConcurrentHashMap#compute}, atomic per
 * key and lock-free across keys, and returns an already completed stage.
 *
 * <p><b>Memory.</b> Every key costs the same, about {@value #BYTES_PER_KEY} bytes (map node,
 * digest, state, table slot), whatever the size of the caller's values, so the store is bounded
 * in bytes by bounding its key count at {@code maxBytes / }{@value #BYTES_PER_KEY}.
 *
 * <p><b>Expiry.</b> A key whose state is idle (back at full budget) holds no information, so
 * idle keys are dropped: a refund that reaches a full budget removes the key, and a sweep of
 * idle keys runs whenever the number of new keys since the last sweep reaches a quarter of the
 * store (at least 4,096), which keeps the cost amortised to a constant per new key.
 *
 * <p><b>At the bound.</b> A store that cannot hold a new key must neither refuse it for ever
 * nor grow: when a new key takes the store over its bound, idle keys are dropped and, if that
 * is not enough, the keys <em>closest to idle</em> (smallest state) down to 90% of the bound.
 * That is the GCRA-safe choice: a key dropped early restarts with its full burst, so it can
 * gain at most what it had nearly regained anyway, fewer than {@code burst} requests, once per
 * eviction; and only keys that are nearly idle go, while the busiest (most indebted) keys keep
 * their state. A flood of distinct keys therefore costs at most the bound in memory and at most
 * one burst per evicted key in overshoot; it never allows without limit. Sweeps run on the
 * inserting thread, one at a time.
 *
 * <p><b>Windows.</b> {@linkplain Rate#window() Window} rates keep their {@link SlidingWindow}
 * states in a map of their own, bounded by the same number of bytes counted exactly (a key costs
 * {@value #BYTES_PER_KEY} bytes plus 8 per remembered request), so the store as a whole holds at
 * most twice {@code maxBytes}. Idle windows are dropped the same way; at the bound, the windows
 * whose newest request is oldest go first, each of which may then admit up to its count again,
 * once per eviction.
 */
public final class InMemoryBudgetStore implements BudgetStore {

  /**
   * What one key costs on a 64-bit JVM with compressed references: a map node (32 bytes), the
   * key object (32), the boxed state (16) and its share of the table (16 at worst).
   */
  public static final int BYTES_PER_KEY = 96;
  /** The default bound: 32 MiB, about 350,000 keys. */
  public static final long DEFAULT_MAX_BYTES = 32L << 20;

  private static final int MIN_SWEEP_INTERVAL = 4_096;
  private static final CompletableFuture<Void> DONE = CompletableFuture.completedFuture(null);

  private final ConcurrentHashMap<BudgetKey, Long> states = new ConcurrentHashMap<>();
  private final long maxBytes;
  private final int maxKeys;
  private final int lowWater;
  private final AtomicBoolean sweeping = new AtomicBoolean();
  private final AtomicLong newKeysSinceSweep = new AtomicLong();
  private final ConcurrentHashMap<BudgetKey, Window> windows = new ConcurrentHashMap<>();
  private final AtomicLong windowBytes = new AtomicLong();
  private final AtomicBoolean sweepingWindows = new AtomicBoolean();

  /** A store bounded at {@link #DEFAULT_MAX_BYTES}. */
  public InMemoryBudgetStore() {
    this(DEFAULT_MAX_BYTES);
  }

  /**
   * A store bounded at about {@code maxBytes} bytes.
   *
   * @throws IllegalArgumentException when {@code maxBytes} holds fewer than one key
   */
  public InMemoryBudgetStore(long maxBytes) {
    if (maxBytes < BYTES_PER_KEY) {
      throw new IllegalArgumentException("a budget store holds at least one key ("
          + BYTES_PER_KEY + " bytes), not " + maxBytes + " bytes");
    }
    this.maxBytes = maxBytes;
    this.maxKeys = (int) Math.min(Integer.MAX_VALUE - 8, maxBytes / BYTES_PER_KEY);
    this.lowWater = Math.max(1, maxKeys - Math.max(1, maxKeys / 10));
  }

  @Override
  public CompletionStage<RateOutcome> consume(BudgetKey key, Rate rate, long nowMillis) {
    try {
      return CompletableFuture.completedFuture(consumeNow(key, rate, nowMillis));
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  private RateOutcome consumeNow(BudgetKey key, Rate rate, long nowMillis) {
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(rate, "rate is null");
    Gcra.nowMicros(nowMillis); // out of range fails before the map is touched
    if (rate.window()) {
      return consumeWindow(key, rate, nowMillis);
    }
    Gcra.Step[] step = new Gcra.Step[1];
    boolean[] added = new boolean[1];
    states.compute(key, (k, old) -> {
      added[0] = old == null;
      step[0] = Gcra.consume(old == null ? Gcra.IDLE : old, rate, nowMillis);
      return step[0].state();
    });
    if (added[0]) {
      afterInsert(nowMillis);
    }
    return step[0].outcome();
  }

  private RateOutcome consumeWindow(BudgetKey key, Rate rate, long nowMillis) {
    SlidingWindow.Step[] step = new SlidingWindow.Step[1];
    long[] delta = new long[1];
    long period = rate.periodMillis();
    windows.compute(key, (k, old) -> {
      step[0] = SlidingWindow.consume(old == null ? SlidingWindow.EMPTY : old.times, rate, nowMillis);
      Window after = old != null && step[0].state() == old.times ? old : Window.of(step[0].state(), period);
      delta[0] = after.bytes() - (old == null ? 0 : old.bytes());
      return after;
    });
    if (delta[0] != 0 && windowBytes.addAndGet(delta[0]) > maxBytes) {
      sweepWindows(nowMillis);
    }
    return step[0].outcome();
  }

  /** A window's remembered times and when it is idle again. */
  private record Window(long[] times, long idleAt) {
    static Window of(long[] times, long periodMillis) {
      return new Window(times, times.length == 0 ? Long.MIN_VALUE : times[times.length - 1] + periodMillis);
    }

    /** The key's cost, its times and this record included. */
    long bytes() {
      return BYTES_PER_KEY + 32L + 8L * times.length;
    }
  }

  /**
   * Drops idle windows and, if that is not enough, those closest to idle, down to 90% of the
   * bound; then counts the bytes held again.
   */
  private void sweepWindows(long nowMillis) {
    if (!sweepingWindows.compareAndSet(false, true)) {
      return;
    }
    try {
      windows.values().removeIf(w -> w.idleAt <= nowMillis);
      long bytes = windows.values().stream().mapToLong(Window::bytes).sum();
      long target = maxBytes - maxBytes / 10;
      if (bytes > target) {
        long[] idleAt = windows.values().stream().mapToLong(Window::idleAt).sorted().toArray();
        long perKey = idleAt.length == 0 ? BYTES_PER_KEY : Math.max(BYTES_PER_KEY, bytes / idleAt.length);
        int drop = (int) Math.min(idleAt.length, (bytes - target + perKey - 1) / perKey);
        if (drop > 0) {
          long threshold = idleAt[drop - 1];
          windows.values().removeIf(w -> w.idleAt <= threshold);
        }
      }
      windowBytes.set(windows.values().stream().mapToLong(Window::bytes).sum());
    } finally {
      sweepingWindows.set(false);
    }
  }

  @Override
  public CompletionStage<Void> refund(BudgetKey key, Rate rate, long nowMillis) {
    Objects.requireNonNull(key, "key is null");
    Objects.requireNonNull(rate, "rate is null");
    if (rate.window()) {
      long[] delta = new long[1];
      windows.computeIfPresent(key, (k, old) -> {
        long[] times = SlidingWindow.refund(old.times, rate, nowMillis);
        Window after = times.length == 0 ? null : Window.of(times, rate.periodMillis());
        delta[0] = (after == null ? 0 : after.bytes()) - old.bytes();
        return after; // back at full budget: as good as absent
      });
      windowBytes.addAndGet(delta[0]);
      return DONE;
    }
    states.computeIfPresent(key, (k, old) -> {
      long state = Gcra.refund(old, rate, nowMillis);
      return state == Gcra.IDLE ? null : state; // back at full budget: as good as absent
    });
    return DONE;
  }

  private void afterInsert(long nowMillis) {
    long added = newKeysSinceSweep.incrementAndGet();
    long size = states.mappingCount();
    if (size > maxKeys || added >= Math.max(MIN_SWEEP_INTERVAL, size / 4)) {
      sweep(nowMillis);
    }
  }

  private void sweep(long nowMillis) {
    if (!sweeping.compareAndSet(false, true)) {
      return;
    }
    try {
      newKeysSinceSweep.set(0);
      long now = Gcra.nowMicros(nowMillis);
      // removeIf on the values view removes an entry only if it still holds the value tested,
      // so a key consumed concurrently is never dropped on a stale reading.
      states.values().removeIf(state -> state <= now);
      long size = states.mappingCount();
      if (size <= maxKeys) {
        return;
      }
      long excess = size - lowWater;
      long[] values = states.values().stream().mapToLong(Long::longValue).toArray();
      if (values.length == 0) {
        return;
      }
      Arrays.sort(values);
      long threshold = values[(int) Math.min(values.length, excess) - 1];
      states.values().removeIf(state -> state <= threshold);
    } finally {
      sweeping.set(false);
    }
  }

  /** How many keys are held now; concurrent updates make it an estimate. */
  public long size() {
    return states.mappingCount() + windows.mappingCount();
  }

  /** The bytes held by window states now, keys included; an estimate under concurrent updates. */
  public long windowBytes() {
    return windowBytes.get();
  }

  /** The most keys held: the byte bound divided by {@value #BYTES_PER_KEY}. */
  public int maxKeys() {
    return maxKeys;
  }

  @Override
  public String toString() {
    return "InMemoryBudgetStore[" + size() + " of " + maxKeys + " keys, " + maxBytes + " bytes]";
  }
}
