package dev.verdict.server.http;

import dev.verdict.server.metrics.ServerMetrics;
import dev.verdict.server.policy.PolicyStore;
import io.vertx.core.Vertx;
import io.vertx.ext.web.Router;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.function.BooleanSupplier;

/**
 * The routes of the management listener: the probes and the metrics, without any credential,
 * and nothing else. It exists so that Kubernetes probes and a Prometheus scraper, which present
 * no client certificate or API key, can reach them while the decision port requires one; so the
 * decision and admin endpoints are deliberately absent here (404), not merely guarded.
 */
public final class ManagementRouter {
  public static final String LIVE = "/health/live";
  public static final String READY = "/health/ready";
  public static final String METRICS = "/metrics";

  private ManagementRouter() {}

  /** @param notReady why the node is not ready beyond its own set (in a cluster: joining, another version) */
  public static Router create(Vertx vertx, PolicyStore store, BooleanSupplier draining,
      java.util.function.Supplier<java.util.Optional<String>> notReady, ServerMetrics metrics, System.Logger err) {
    Router router = Router.router(vertx);
    router.route().handler(ctx -> {
      ctx.addEndHandler(ar -> metrics.httpRequest(ctx.request().method(), ctx.response().getStatusCode()));
      ctx.next();
    });
    HealthHandlers health = new HealthHandlers(store, draining, notReady);
    router.get(LIVE).handler(health::live);
    router.get(READY).handler(health::ready);
    router.get(METRICS).handler(PrometheusScrapingHandler.create(metrics.registry()));
    router.route().failureHandler(ctx -> ApiRouter.failure(ctx, err));
    router.errorHandler(404, ctx -> Responses.error(ctx, new ApiException(ErrorCode.NOT_FOUND,
        "the management port serves only " + LIVE + ", " + READY + " and " + METRICS
            + "; decisions are served on the decision port")));
    router.errorHandler(405, ctx -> Responses.error(ctx, new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
        "only GET is allowed on the management port")));
    router.errorHandler(500, ctx -> ApiRouter.failure(ctx, err));
    return router;
  }
}
