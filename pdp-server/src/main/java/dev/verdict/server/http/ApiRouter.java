package dev.verdict.server.http;

import dev.verdict.server.auth.AccessGuard;
import dev.verdict.server.auth.Scope;
import dev.verdict.server.cluster.ClusterPolicyService;
import dev.verdict.server.http.v1.AuthZenHandlers;
import dev.verdict.server.http.v1.DecisionsHandler;
import dev.verdict.server.http.v1.PlanHandler;
import dev.verdict.server.http.v1.SearchHandlers;
import dev.verdict.server.decision.DecisionService;
import dev.verdict.server.metrics.ServerMetrics;
import dev.verdict.server.policy.PolicyStore;
import dev.verdict.server.policy.PolicyWatcher;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClosedException;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.function.UnaryOperator;

/**
 * The HTTP API's routes. Handlers are thin (decode, decide, encode); every failure, ours or
 * the framework's, leaves as a JSON error with a code from {@link ErrorCode} and never with a
 * stack trace or an internal class name.
 */
public final class ApiRouter {
  /**
   * What the router is built from.
   *
   * @param metricsOpen whether {@code /metrics} is served without credentials (loopback binds)
   * @param bodyLimit the largest request body, in bytes
   * @param timeoutMillis the longest a request may take before a 503
   * @param maxBodiesInFlight the bytes of bodies received at once, over all connections, before a 503
   * @param bodiesInFlight the bytes reserved now (one counter shared by every server instance)
   * @param err the server's operational log, for requests that fail
   * @param policies pushed bundles and, in a cluster, the members' versions (readiness)
   */
  public record Parts(PolicyStore store, PolicyWatcher watcher, AccessGuard guard, ServerMetrics metrics,
      AuthZenHandlers authzen, DecisionsHandler decisions, Optional<GatewayHandler> gateway, boolean metricsOpen,
      long bodyLimit, long timeoutMillis, BooleanSupplier draining, long maxBodiesInFlight,
      AtomicLong bodiesInFlight, System.Logger err, ClusterPolicyService policies,
      dev.verdict.server.cluster.ClusterEndpoint cluster, dev.verdict.server.entities.EntityStore entities,
      dev.verdict.server.entities.EntityHandlers entityHandlers) {}

  private ApiRouter() {}

  public static Router create(Vertx vertx, Parts p) {
    Router router = Router.router(vertx);
    router.route().handler(new RequestStart(p.metrics(), new RequestDeadlines(vertx, p.timeoutMillis(), 503)));
    BodyBudget budget = new BodyBudget(p.bodyLimit(), p.maxBodiesInFlight(), p.bodiesInFlight());
    JsonBodies json = new JsonBodies();
    // sized from Content-Length (the body budget has reserved that much already): without it every
    // body started in a 1 KiB buffer, most of it unused for a decision, and grew by copies past it
    BodyHandler body = BodyHandler.create(false).setBodyLimit(p.bodyLimit()).setHandleFileUploads(false)
        .setPreallocateBodyBuffer(true);
    // after the credential check, before the handler: reserve, relabel, then read the body
    UnaryOperator<Route> reading = r -> r.handler(budget).handler(json).handler(body);
    // a decision that asks for an entity-store revision waits for it, then the caller is checked
    Handler<RoutingContext> decide = new dev.verdict.server.entities.MinRevision(p.entities(),
        p.guard().require(Scope.DECIDE), dev.verdict.server.entities.MinRevision.defaultWaitMillis());
    // the same wait asked in the body (callers that cannot set a header), once the body is read
    Handler<RoutingContext> asked = dev.verdict.server.entities.MinRevision.inBody(p.entities(),
        dev.verdict.server.entities.MinRevision.defaultWaitMillis());
    Handler<RoutingContext> admin = p.guard().require(Scope.ADMIN);

    reading.apply(router.post("/access/v1/evaluation").handler(decide)).handler(asked)
        .handler(p.authzen()::evaluation);
    reading.apply(router.post("/access/v1/evaluations").handler(decide)).handler(asked)
        .handler(p.authzen()::evaluations);
    reading.apply(router.post("/access/v1/search/action").handler(decide)).handler(asked)
        .handler(p.authzen()::searchAction);
    SearchHandlers search = new SearchHandlers(new DecisionService(p.store()), p.store().engine(), p.entities());
    reading.apply(router.post("/access/v1/search/subject").handler(decide)).handler(asked)
        .handler(search::searchSubject);
    reading.apply(router.post("/access/v1/search/resource").handler(decide)).handler(asked)
        .handler(search::searchResource);
    router.get("/.well-known/authzen-configuration").handler(p.authzen()::configuration);
    reading.apply(router.post("/v1/decisions").handler(decide)).handler(asked).handler(p.decisions()::handle);
    PlanHandler plans = new PlanHandler(new DecisionService(p.store()), p.store().engine());
    reading.apply(router.post("/v1/plan").handler(decide)).handler(asked).handler(plans::handle);
    p.gateway().ifPresent(g -> {
      // the gateway is the caller: its API key (X-API-Key) is checked like any other's
      router.route(HttpMethod.GET, GatewayHandler.PATH).handler(decide).handler(g);
      reading.apply(router.route(HttpMethod.POST, GatewayHandler.PATH).handler(decide)).handler(g);
      reading.apply(router.route(GatewayHandler.ENVOY_PREFIX + "/*").handler(decide)).handler(ctx -> {
        ctx.put(GatewayHandler.ENVOY_MODE, Boolean.TRUE);
        g.handle(ctx);
      });
    });

    AdminHandlers adminHandlers = new AdminHandlers(p.store(), p.watcher(), p.policies());
    router.get("/v1/policies").handler(admin).handler(adminHandlers::policies);
    // a bundle is a zip, read as bytes; like a JSON body it must not be decoded as a form (curl's default label)
    reading.apply(router.post("/v1/policies").handler(admin)).handler(adminHandlers::push);
    router.post("/v1/policies/reload").handler(admin).handler(adminHandlers::reload);
    LinkHandlers links = new LinkHandlers(p.store().engine(), p.policies());
    reading.apply(router.post("/v1/policies/links").handler(admin)).handler(links::create);
    router.delete("/v1/policies/links/:id").handler(admin).handler(links::delete);
    // like the metrics: open on loopback (a local operator's view), an admin credential otherwise
    (p.metricsOpen() ? router.get("/v1/cluster") : router.get("/v1/cluster").handler(admin)).handler(p.cluster()::handle);

    entities(router, reading, p.guard().require(Scope.DATA), p.entityHandlers());

    HealthHandlers health = new HealthHandlers(p.store(), p.draining(),
        () -> p.policies().notReady().or(p.entities()::notReady));
    router.get("/health/live").handler(health::live);
    router.get("/health/ready").handler(health::ready);
    var metrics = router.get("/metrics");
    if (!p.metricsOpen()) {
      metrics.handler(admin);
    }
    metrics.handler(PrometheusScrapingHandler.create(p.metrics().registry()));

    router.route().failureHandler(ctx -> failure(ctx, p.err()));
    router.errorHandler(404, ctx -> Responses.error(ctx,
        new ApiException(ErrorCode.NOT_FOUND, "no endpoint at `" + safePath(ctx) + "`")));
    router.errorHandler(405, ctx -> Responses.error(ctx, new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
        "`" + ctx.request().method().name() + "` is not allowed on `" + safePath(ctx) + "`")));
    router.errorHandler(500, ctx -> failure(ctx, p.err()));
    return router;
  }

  /** {@code /v1/entities}: records need the data scope (admin implies it); import is read as it streams in. */
  private static void entities(Router router, UnaryOperator<Route> reading, Handler<RoutingContext> data,
      dev.verdict.server.entities.EntityHandlers h) {
    router.get("/v1/entities/export").handler(data).handler(h::export);
    router.post("/v1/entities/import").handler(data).handler(h::importNdjson);
    reading.apply(router.put("/v1/entities/:type/:id").handler(data)).handler(h::put);
    reading.apply(router.patch("/v1/entities/:type/:id").handler(data)).handler(h::patch);
    router.get("/v1/entities/:type/:id").handler(data).handler(h::get);
    router.delete("/v1/entities/:type/:id").handler(data).handler(h::delete);
    router.get("/v1/entities/:type").handler(data).handler(h::list);
  }

  static void failure(RoutingContext ctx, System.Logger err) {
    Throwable f = ctx.failure();
    if (f instanceof ApiException e) {
      Responses.error(ctx, e);
      return;
    }
    switch (ctx.statusCode()) {
      case 413:
        Responses.error(ctx, new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "the body is larger than the limit"));
        return;
      case 404:
        Responses.error(ctx, new ApiException(ErrorCode.NOT_FOUND, "no endpoint at `" + safePath(ctx) + "`"));
        return;
      case 405:
        Responses.error(ctx, new ApiException(ErrorCode.METHOD_NOT_ALLOWED,
            "`" + ctx.request().method().name() + "` is not allowed on `" + safePath(ctx) + "`"));
        return;
      case 503:
        Responses.error(ctx, new ApiException(ErrorCode.INTERNAL_ERROR, "the request took too long to answer"), 503);
        return;
      case 400:
        Responses.error(ctx, new ApiException(ErrorCode.INVALID_REQUEST, "the request could not be read"));
        return;
      default:
        break;
    }
    String requestId = RequestIds.of(ctx);
    if (f instanceof HttpClosedException) {
      return; // the caller went away (or was cut off for being too slow): there is no one to answer
    }
    if (undecodable(f)) {
      // bad input, not a failure of ours: one line, no stack trace
      err.log(System.Logger.Level.INFO, "request " + requestId + ": the HTTP request could not be read: "
          + f.getMessage());
      ctx.response().putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE);
      Responses.error(ctx, new ApiException(ErrorCode.INVALID_REQUEST, "the HTTP request could not be read: "
          + f.getMessage()));
      return;
    }
    if (f != null) {
      // The caller gets the request id only; the details stay in the server's log.
      err.log(System.Logger.Level.ERROR, "request " + requestId + " failed: " + f, f);
    }
    Responses.error(ctx, new ApiException(ErrorCode.INTERNAL_ERROR,
        "the server could not answer; quote request id `" + requestId + "` to its operators"));
  }

  /**
   * Whether the HTTP decoder refused what the caller sent after the headers (a malformed chunk
   * size, say): its exceptions come from the codec's own frames, never from our handlers.
   */
  private static boolean undecodable(Throwable f) {
    if (f == null || f.getStackTrace().length == 0) {
      return false;
    }
    return f.getStackTrace()[0].getClassName().startsWith("io.netty.handler.codec.");
  }

  /** The path for a message: bounded, and without characters that could forge log or JSON structure. */
  private static String safePath(RoutingContext ctx) {
    String p = ctx.request().path();
    if (p == null) {
      return "";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < p.length() && b.length() < 200; i++) {
      char c = p.charAt(i);
      b.append(c >= 0x20 && c < 0x7f && c != '`' ? c : '?');
    }
    return b.toString();
  }
}
