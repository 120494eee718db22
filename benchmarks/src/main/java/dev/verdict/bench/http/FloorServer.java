package dev.verdict.bench.http;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.transport.Transport;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The stack's floor (docs/benchmarks.md, "The stack's floor"): a Vert.x server that reads each
 * request's body and answers a fixed decision of the size Verdict's are, with no Verdict code,
 * so that {@code benchmarks/wrk/floor.sh} can measure what Netty and Vert.x alone cost per
 * request on this machine. {@code core}: a request handler on Vert.x core; {@code web}: Vert.x
 * Web's router, a pass-through route and the body handler, as Verdict's routes are built. On
 * {@code nio} (the JDK's selector) or {@code io_uring}, as Verdict's {@code transport} setting.
 *
 * <p>{@code java -cp benchmarks/target/benchmarks.jar dev.verdict.bench.http.FloorServer core|web PORT [INSTANCES] [nio|io_uring]}
 */
public final class FloorServer {
  /** An AuthZEN 1×1 answer's shape and length (270 bytes, as Verdict's answer to the peer model's request), made once. */
  static final Buffer ANSWER = Buffer.buffer("{\"decision\":true,\"context\":{\"decision_id\":"
      + "\"0123456789abcdef0123456789abcdef\",\"outcome\":\"allow\",\"reasons\":[\"owner-reads-account\"],"
      + "\"obligations\":[],\"fields\":{\"read\":{},\"write\":[]},\"policy_version\":\"sha256:"
      + "0123456789abcdef".repeat(4) + "\"}}");
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

  enum Mode { CORE, WEB }

  private final Vertx vertx;
  private final List<HttpServer> servers;

  private FloorServer(Vertx vertx, List<HttpServer> servers) {
    this.vertx = vertx;
    this.servers = servers;
  }

  public static void main(String[] args) {
    if (args.length < 2) {
      System.err.println("usage: FloorServer core|web PORT [INSTANCES, default 2: one per event loop as Verdict's] "
          + "[nio|io_uring, default nio]");
      System.exit(2);
    }
    Mode mode = Mode.valueOf(args[0].toUpperCase(Locale.ROOT));
    int instances = args.length > 2 ? Integer.parseInt(args[2]) : 2;
    boolean ioUring = args.length > 3 && args[3].equals("io_uring");
    FloorServer s = start(mode, "127.0.0.1", Integer.parseInt(args[1]), instances, ioUring);
    System.out.println("floor: " + args[0] + " listening on http://127.0.0.1:" + s.port() + " (" + instances
        + " instances, " + (ioUring ? "io_uring" : "nio") + ")");
  }

  /**
   * Listening once this returns; {@code port} 0 picks a free one (then give one instance: a second
   * would pick another). {@code ioUring} that cannot run here is refused, never measured as NIO.
   */
  static FloorServer start(Mode mode, String host, int port, int instances, boolean ioUring) {
    Vertx vertx = Vertx.builder().with(new VertxOptions().setEventLoopPoolSize(instances))
        .withTransport(ioUring ? Transport.IO_URING : Transport.NIO).build();
    if (ioUring && !vertx.isNativeTransportEnabled()) {
      vertx.close();
      throw new IllegalStateException("io_uring is not available here", vertx.unavailableNativeTransportCause());
    }
    List<HttpServer> servers = new ArrayList<>();
    for (int i = 0; i < instances; i++) {
      servers.add(vertx.createHttpServer(new HttpServerOptions().setHost(host).setPort(port))
          .requestHandler(handler(vertx, mode)).listen().await());
    }
    return new FloorServer(vertx, servers);
  }

  private static Handler<HttpServerRequest> handler(Vertx vertx, Mode mode) {
    if (mode == Mode.CORE) {
      return req -> req.body().onSuccess(body -> answer(req));
    }
    Router router = Router.router(vertx);
    router.route().handler(ctx -> ctx.next());
    router.post().handler(BodyHandler.create(false)).handler(ctx -> answer(ctx.request()));
    return router;
  }

  private static void answer(HttpServerRequest req) {
    req.response().putHeader(HttpHeaders.CONTENT_TYPE, JSON).putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE).end(ANSWER);
  }

  boolean onIoUring() {
    return vertx.isNativeTransportEnabled();
  }

  int port() {
    return servers.get(0).actualPort();
  }

  Future<Void> close() {
    return vertx.close();
  }
}
