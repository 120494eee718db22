package dev.verdict.server.http;

import dev.verdict.server.metrics.ServerMetrics;
import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * What every request begins with, as the router's first route: its id ({@link RequestIds}), the
 * active-request count, its deadline ({@link RequestDeadlines}), and one end handler for all that
 * its end settles. One route and one object instead of a route per step and a lambda per step:
 * each route costs a match and a dispatch on every request, whatever its path.
 *
 * <p>One instance per router, and so per event loop (its deadlines are that loop's).
 */
final class RequestStart implements Handler<RoutingContext> {
  private final ServerMetrics metrics;
  private final RequestDeadlines deadlines;

  RequestStart(ServerMetrics metrics, RequestDeadlines deadlines) {
    this.metrics = metrics;
    this.deadlines = deadlines;
  }

  @Override
  public void handle(RoutingContext ctx) {
    RequestIds.assign(ctx);
    metrics.requestStarted();
    // an entity import or export streams for as long as its records take, one bounded line at a time
    String path = ctx.request().path();
    RequestDeadlines.Entry deadline = path.startsWith("/v1/entities/import")
        || path.startsWith("/v1/entities/export") ? null : deadlines.start(ctx);
    ctx.addEndHandler(new Ended(ctx, deadline, metrics));
    ctx.next();
  }

  /** The request's end: its deadline dropped, the active count decremented, the answer counted. */
  private record Ended(RoutingContext ctx, RequestDeadlines.Entry deadline, ServerMetrics metrics)
      implements Handler<AsyncResult<Void>> {
    @Override
    public void handle(AsyncResult<Void> ar) {
      if (deadline != null) {
        deadline.ended();
      }
      metrics.requestEnded();
      metrics.httpRequest(ctx.request().method(), ctx.response().getStatusCode());
    }
  }
}
