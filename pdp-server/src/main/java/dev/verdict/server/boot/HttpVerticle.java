package dev.verdict.server.boot;

import dev.verdict.server.http.ApiRouter;
import dev.verdict.server.http.ConnectionGuard;
import dev.verdict.server.http.InvalidRequests;
import io.vertx.core.Vertx;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/** One HTTP server on one event loop; several instances share the listening port. */
final class HttpVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final ApiRouter.Parts parts;
  private final Duration grace;
  private final AtomicInteger actualPort;
  private final Function<Vertx, ConnectionGuard> guard;
  private HttpServer server;

  /** @param guard makes this instance's connection guard (each instance guards its own connections) */
  HttpVerticle(HttpServerOptions options, ApiRouter.Parts parts, Duration grace, AtomicInteger actualPort,
      Function<Vertx, ConnectionGuard> guard) {
    this.options = options;
    this.parts = parts;
    this.grace = grace;
    this.actualPort = actualPort;
    this.guard = guard;
  }

  @Override
  public Future<?> start() {
    server = guard.apply(vertx).install(vertx.createHttpServer(options), ApiRouter.create(vertx, parts));
    server.invalidRequestHandler(InvalidRequests::answer);
    return server.listen().onSuccess(s -> actualPort.compareAndSet(0, s.actualPort()));
  }

  /** Stops accepting, lets requests in flight finish for up to the grace period, then closes. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(grace);
  }
}
