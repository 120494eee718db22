package dev.verdict.server.http;

import io.vertx.core.Vertx;
import io.vertx.ext.web.RoutingContext;

/**
 * Fails a request with a 503 when it is not answered within {@code timeoutMillis}, as
 * {@code TimeoutHandler} did, but with one periodic sweep per router instead of a timer per
 * request: a timer is set and cancelled on every request (a scheduled task, a promise and a
 * priority-queue entry each), while all requests share the same timeout, so the ones in flight
 * form a list ordered by deadline, and the sweep only looks at its head. A deadline is therefore
 * met within one sweep period (a tenth of the timeout, at most a second).
 *
 * <p>One instance per router, and so per event loop: the list is touched from that loop only.
 */
final class RequestDeadlines {
  private final Vertx vertx;
  private final long timeoutNanos;
  private final long periodMillis;
  private final int status;
  /** Oldest first; a sentinel, so that unlinking needs no special cases. */
  private final Entry head = new Entry(null, 0);
  private long timer = -1;

  /** A request in flight, linked into the list until it ends. */
  final class Entry {
    private final RoutingContext ctx;
    private final long deadline;
    private Entry prev = this;
    private Entry next = this;

    private Entry(RoutingContext ctx, long deadline) {
      this.ctx = ctx;
      this.deadline = deadline;
    }

    /** The request ended (answered, failed or its connection closed): it no longer has a deadline. */
    void ended() {
      if (next != null) {
        prev.next = next;
        next.prev = prev;
        next = null;
        prev = null;
      }
    }
  }

  RequestDeadlines(Vertx vertx, long timeoutMillis, int status) {
    this.vertx = vertx;
    this.timeoutNanos = timeoutMillis * 1_000_000;
    this.periodMillis = Math.max(10, Math.min(1_000, timeoutMillis / 10));
    this.status = status;
  }

  /** Starts the deadline of {@code ctx}; call {@link Entry#ended} when it ends. */
  Entry start(RoutingContext ctx) {
    Entry e = new Entry(ctx, System.nanoTime() + timeoutNanos);
    Entry last = head.prev;
    e.prev = last;
    e.next = head;
    last.next = e;
    head.prev = e;
    if (timer < 0) {
      timer = vertx.setPeriodic(periodMillis, id -> sweep());
    }
    return e;
  }

  private void sweep() {
    long now = System.nanoTime();
    while (head.next != head && now - head.next.deadline >= 0) {
      Entry e = head.next;
      e.ended();
      RoutingContext ctx = e.ctx;
      if (!ctx.response().ended()) {
        if (!ctx.request().isEnded()) {
          ctx.request().resume();
        }
        ctx.fail(status);
      }
    }
    if (head.next == head) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }
}
