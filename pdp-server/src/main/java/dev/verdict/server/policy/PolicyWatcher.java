package dev.verdict.server.policy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Polls the policy directory's fingerprint and reloads the store once a change has settled.
 * All loading runs on one dedicated worker thread, so reloads never overlap and never touch an
 * event loop.
 *
 * <p>A change is loaded only after the directory has stayed the same for the settle time
 * (by default, three polls in a row must agree): a file truncated and then rewritten by a deploy tool, or a
 * set copied file by file, is never served in between as long as the writer does not pause for
 * longer than that. The fingerprint follows symbolic links, so the atomic deploy pattern (a
 * {@code ..data} link swapped to a new timestamped directory, as Kubernetes ConfigMap volumes
 * do, or the policy directory itself being a link that is swapped) is seen as one change. The
 * fingerprint is taken before loading: a file still being written while the set is read
 * changes it again, and a later poll loads the finished file.
 */
public final class PolicyWatcher {
  private final Vertx vertx;
  private final PolicyStore store;
  private final long intervalMillis;
  private final long settleNanos;
  private final WorkerExecutor worker;
  private final AtomicBoolean polling = new AtomicBoolean();
  /** What was loaded last. */
  private volatile String loaded = "";
  /** What the last poll saw, and since when (only the worker writes these). */
  private String seen = "";
  private long seenSince;
  private volatile Runnable beforeForcedReload = () -> { };
  private long timer = -1;

  /**
   * A watcher whose settle time is one and a half poll intervals: a change is loaded when three
   * polls in a row (about two intervals, 2 s at the default 1 s) saw the directory unchanged.
   */
  public PolicyWatcher(Vertx vertx, PolicyStore store, long intervalMillis, FirstLoad first) {
    this(vertx, store, intervalMillis, Math.max(0, intervalMillis) * 3 / 2);
    this.loaded = first.fingerprint();
  }

  /**
   * @param intervalMillis how often the directory is polled; zero or less turns polling off
   * @param settleMillis how long the directory must stay unchanged before a change is loaded
   */
  public PolicyWatcher(Vertx vertx, PolicyStore store, long intervalMillis, long settleMillis) {
    this.vertx = vertx;
    this.store = store;
    this.intervalMillis = intervalMillis;
    this.settleNanos = TimeUnit.MILLISECONDS.toNanos(Math.max(0, settleMillis));
    this.worker = vertx.createSharedWorkerExecutor("verdict-policy", 1, 10, TimeUnit.MINUTES);
  }

  /** The start-up load of a set, and the fingerprint of the directory it was read from. */
  public record FirstLoad(String fingerprint, ReloadOutcome outcome) {}

  /**
   * Loads the set now, on the calling thread (startup, before serving). Needs no Vert.x, so the
   * server compiles the set while Vert.x starts on another thread; the watcher made from the
   * result then polls for changes since.
   */
  public static FirstLoad loadFirst(PolicyStore store) {
    String now = Fingerprint.of(store.directory());
    return new FirstLoad(now, store.reload());
  }

  /** Starts polling; {@code intervalMillis} of zero or less disables it. */
  public void start() {
    if (intervalMillis > 0) {
      timer = vertx.setPeriodic(intervalMillis, id -> poll());
    }
  }

  private void poll() {
    if (store.pushed().isPresent() || !polling.compareAndSet(false, true)) {
      return; // a node serving a pushed bundle no longer follows its directory
    }
    worker.executeBlocking(() -> {
      String now = Fingerprint.of(store.directory());
      long at = System.nanoTime();
      if (!now.equals(seen)) {
        seen = now;
        seenSince = at;
      } else if (!now.equals(loaded) && at - seenSince >= settleNanos) {
        loaded = now;
        store.reload();
      }
      return null;
    }, true).onComplete(ar -> polling.set(false));
  }

  /**
   * Work that {@link #reloadNow} does first, on the same worker (may block): what else an
   * operator's forced reload should refresh, such as the JWKS file.
   */
  public void beforeForcedReload(Runnable task) {
    beforeForcedReload = task;
  }

  /** Only the work {@link #reloadNow} does first (push mode: the keys, not the directory). */
  public Future<Void> refreshOnly() {
    return worker.executeBlocking(() -> {
      beforeForcedReload.run();
      return null;
    }, true);
  }

  /** Reloads now, whether or not anything changed or settled (the admin endpoint). */
  public Future<ReloadOutcome> reloadNow() {
    return worker.executeBlocking(() -> {
      beforeForcedReload.run();
      loaded = Fingerprint.of(store.directory());
      return store.reload();
    }, true);
  }

  public Future<Void> stop() {
    if (timer >= 0) {
      vertx.cancelTimer(timer);
    }
    return worker.close();
  }
}
