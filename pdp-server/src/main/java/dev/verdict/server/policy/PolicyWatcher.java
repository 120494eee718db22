package dev.verdict.server.policy;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.WorkerExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Polls the policy directory's fingerprint and reloads the store when it changes. All loading
 * runs on one dedicated worker thread, so reloads never overlap and never touch an event loop.
 * The fingerprint is taken before loading: a file still being written when the set is read
 * changes the fingerprint again, and the next poll loads the finished file.
 */
public final class PolicyWatcher {
  private final Vertx vertx;
  private final PolicyStore store;
  private final long intervalMillis;
  private final WorkerExecutor worker;
  private final AtomicBoolean polling = new AtomicBoolean();
  private volatile String fingerprint = "";
  private volatile Runnable beforeForcedReload = () -> { };
  private long timer = -1;

  public PolicyWatcher(Vertx vertx, PolicyStore store, long intervalMillis) {
    this.vertx = vertx;
    this.store = store;
    this.intervalMillis = intervalMillis;
    this.worker = vertx.createSharedWorkerExecutor("verdict-policy", 1, 10, TimeUnit.MINUTES);
  }

  /** Loads the set now, on the calling thread (startup, before serving). */
  public ReloadOutcome loadNow() {
    fingerprint = Fingerprint.of(store.directory());
    return store.reload();
  }

  /** Starts polling; {@code intervalMillis} of zero or less disables it. */
  public void start() {
    if (intervalMillis > 0) {
      timer = vertx.setPeriodic(intervalMillis, id -> poll());
    }
  }

  private void poll() {
    if (!polling.compareAndSet(false, true)) {
      return;
    }
    worker.executeBlocking(() -> {
      String now = Fingerprint.of(store.directory());
      if (!now.equals(fingerprint)) {
        fingerprint = now;
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

  /** Reloads now, whether or not anything changed (the admin endpoint). */
  public Future<ReloadOutcome> reloadNow() {
    return worker.executeBlocking(() -> {
      beforeForcedReload.run();
      fingerprint = Fingerprint.of(store.directory());
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
