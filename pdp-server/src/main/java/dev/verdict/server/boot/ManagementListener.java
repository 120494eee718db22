package dev.verdict.server.boot;

import dev.verdict.server.http.InvalidRequests;
import dev.verdict.server.http.ManagementRouter;
import dev.verdict.server.metrics.ServerMetrics;
import dev.verdict.server.policy.PolicyStore;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * The management port: probes and metrics over plain HTTP without client authentication, on its
 * own listener so that the decision port can require mTLS or API keys while kubelet and
 * Prometheus, which present neither, still reach them. It binds to the same host as the decision
 * port. One server instance is enough for probes and scrapes; its connections are few by design,
 * so they are capped rather than guarded like the decision port's.
 */
final class ManagementListener {
  /** Kubelet keeps one connection per probe, Prometheus one per scraper: far fewer than this. */
  static final int MAX_CONNECTIONS = 64;
  private static final int IDLE_TIMEOUT_SECONDS = 30;

  private final HttpServer server;

  private ManagementListener(HttpServer server) {
    this.server = server;
  }

  /** Listens on {@code host:port} (0: a free port); blocking, so never on an event loop. */
  static ManagementListener start(Vertx vertx, String host, int port, PolicyStore store, BooleanSupplier draining,
      java.util.function.Supplier<java.util.Optional<String>> notReady, ServerMetrics metrics, System.Logger err)
      throws StartupException {
    HttpServerOptions options = new HttpServerOptions()
        .setHost(host)
        .setPort(port)
        .setMaxHeaderSize(InvalidRequests.MAX_HEADERS)
        .setMaxInitialLineLength(InvalidRequests.MAX_INITIAL_LINE)
        .setHttp2ClearTextEnabled(false)
        .setCompressionSupported(false)
        .setIdleTimeout(IDLE_TIMEOUT_SECONDS)
        .setIdleTimeoutUnit(TimeUnit.SECONDS);
    HttpServer server = vertx.createHttpServer(options);
    int[] open = {0}; // touched only on this server's event loop
    server.connectionHandler(c -> {
      open[0]++;
      c.closeHandler(v -> open[0]--);
      if (open[0] > MAX_CONNECTIONS) {
        c.close();
      }
    });
    server.invalidRequestHandler(InvalidRequests::answer);
    server.requestHandler(ManagementRouter.create(vertx, store, draining, notReady, metrics, err));
    try {
      server.listen().await(30, TimeUnit.SECONDS);
    } catch (Exception e) {
      throw new StartupException("cannot listen on " + host + ":" + port + " for the management port "
          + "(`management-port`): " + VerdictServer.reason(e), 2);
    }
    return new ManagementListener(server);
  }

  int port() {
    return server.actualPort();
  }
}
