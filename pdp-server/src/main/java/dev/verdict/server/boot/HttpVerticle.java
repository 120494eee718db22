package dev.verdict.server.boot;

import dev.verdict.server.http.ApiRouter;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/** One HTTP server on one event loop; several instances share the listening port. */
final class HttpVerticle extends VerticleBase {
  private final HttpServerOptions options;
  private final ApiRouter.Parts parts;
  private final Duration grace;
  private final AtomicInteger actualPort;
  private HttpServer server;

  HttpVerticle(HttpServerOptions options, ApiRouter.Parts parts, Duration grace, AtomicInteger actualPort) {
    this.options = options;
    this.parts = parts;
    this.grace = grace;
    this.actualPort = actualPort;
  }

  @Override
  public Future<?> start() {
    server = vertx.createHttpServer(options).requestHandler(ApiRouter.create(vertx, parts));
    return server.listen().onSuccess(s -> actualPort.compareAndSet(0, s.actualPort()));
  }

  /** Stops accepting, lets requests in flight finish for up to the grace period, then closes. */
  @Override
  public Future<?> stop() {
    return server == null ? Future.succeededFuture() : server.shutdown(grace);
  }
}
