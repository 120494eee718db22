package dev.verdict.server.http;

import dev.verdict.server.boot.ServerConfig;
import dev.verdict.server.metrics.ServerMetrics;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerRequest;
import java.util.HashMap;
import java.util.Map;

/**
 * Bounds what a connection can hold without doing anything: at most {@code maxConnections}
 * open at once (the rest are closed when accepted, before they cost more than a descriptor for
 * a moment), a deadline for the first request's headers (from the accept) and one for each
 * request's body (from the end of its headers). A caller sending a byte every few seconds keeps
 * the idle timeout away but not these deadlines. Between two requests of a kept-alive
 * connection the deadline is the idle timeout instead: gateways keep connections open on
 * purpose, and closing an idle one early would only race with their next request.
 *
 * <p>One guard per HTTP server instance: its connections all run on that instance's event loop,
 * so the per-connection state needs no locking; the open-connection count is shared through
 * {@link ServerMetrics}. A single periodic check per instance walks its connections, so the cost
 * does not grow with a timer per connection; deadlines are therefore met within one check period.
 */
public final class ConnectionGuard {
  private final Vertx vertx;
  private final ServerConfig.Connections limits;
  private final ServerMetrics metrics;
  private final Map<HttpConnection, Watch> watched = new HashMap<>();
  private final long period;
  private long timer = -1;

  /** What one connection is doing, as far as the deadlines care. */
  private static final class Watch {
    /** When the connection started waiting for a request's headers; 0 while a request is being served. */
    long awaitingHeadersSince;
    boolean served;
    HttpServerRequest current;
    long bodySince;
  }

  private final long keepAliveNanos;

  /** @param keepAliveMillis the deadline for the next request on a kept-alive connection */
  public ConnectionGuard(Vertx vertx, ServerConfig.Connections limits, long keepAliveMillis, ServerMetrics metrics) {
    this.vertx = vertx;
    this.limits = limits;
    this.metrics = metrics;
    this.keepAliveNanos = keepAliveMillis * 1_000_000;
    this.period = Math.max(50, Math.min(limits.headerTimeoutMillis(), limits.bodyTimeoutMillis()) / 4);
  }

  /** Installs the guard on {@code server}, passing requests on to {@code next}. */
  public HttpServer install(HttpServer server, Handler<HttpServerRequest> next) {
    server.connectionHandler(this::accepted);
    server.requestHandler(request -> {
      Watch w = watched.get(request.connection());
      if (w != null) {
        w.awaitingHeadersSince = 0;
        w.current = request;
        w.served = true;
        w.bodySince = System.nanoTime();
      }
      next.handle(request);
    });
    return server;
  }

  private void accepted(HttpConnection connection) {
    int open = metrics.connectionOpened();
    connection.closeHandler(v -> {
      metrics.connectionClosed();
      watched.remove(connection);
    });
    if (open > limits.maxConnections()) {
      metrics.connectionCut("limit");
      connection.close();
      return;
    }
    Watch w = new Watch();
    w.awaitingHeadersSince = System.nanoTime();
    watched.put(connection, w);
    if (timer < 0) {
      timer = vertx.setPeriodic(period, id -> check());
    }
  }

  private void check() {
    long now = System.nanoTime();
    long headerNanos = limits.headerTimeoutMillis() * 1_000_000;
    long bodyNanos = limits.bodyTimeoutMillis() * 1_000_000;
    for (var e : Map.copyOf(watched).entrySet()) {
      Watch w = e.getValue();
      HttpServerRequest r = w.current;
      if (r != null && !r.isEnded()) {
        // an entity import streams as fast as the store takes it (the server pauses it); its
        // caller was authenticated with the data scope before the body was read
        if (now - w.bodySince > bodyNanos && !r.path().startsWith("/v1/entities/import")) {
          Responses.errorAndClose(r.response(), new ApiException(ErrorCode.REQUEST_TIMEOUT, "the request body did not"
              + " arrive within " + limits.bodyTimeoutMillis() + " ms"));
          close(e.getKey(), "body_timeout");
        }
      } else if (r == null || r.response().ended() || r.response().closed()) {
        // between requests: the previous answer is out, the next request's headers are due
        if (w.awaitingHeadersSince == 0) {
          w.awaitingHeadersSince = now;
        } else if (now - w.awaitingHeadersSince > (w.served ? keepAliveNanos : headerNanos)) {
          close(e.getKey(), "header_timeout");
        }
      }
    }
    if (watched.isEmpty()) {
      vertx.cancelTimer(timer);
      timer = -1;
    }
  }

  private void close(HttpConnection connection, String reason) {
    watched.remove(connection);
    metrics.connectionCut(reason);
    connection.close();
  }
}
