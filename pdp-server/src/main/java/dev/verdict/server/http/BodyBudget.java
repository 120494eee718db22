package dev.verdict.server.http;

import io.vertx.core.AsyncResult;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpConnection;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Bounds the bytes of request bodies being received at once, across all connections: a body
 * reserves its declared length (or the body limit when it is chunked) before it is read, and
 * gives it back when its answer is sent or its connection closes; a request answered before its
 * body has arrived loses its connection, so that no body outlives its reservation. Past the
 * bound the request is refused at once with 503 and {@code Retry-After}, so that many slow
 * bodies cannot fill the heap between them. Bodies over the body limit are left to the body handler's 413. A platform
 * handler: it must run before the body is read, like the credential check.
 */
final class BodyBudget implements PlatformHandler {
  private final long bodyLimit;
  private final long maxInFlight;
  private final AtomicLong inFlight;

  BodyBudget(long bodyLimit, long maxInFlight, AtomicLong inFlight) {
    this.bodyLimit = bodyLimit;
    this.maxInFlight = maxInFlight;
    this.inFlight = inFlight;
  }

  @Override
  public void handle(RoutingContext ctx) {
    long declared = declared(ctx.request().getHeader(HttpHeaders.CONTENT_LENGTH),
        ctx.request().getHeader(HttpHeaders.TRANSFER_ENCODING) != null);
    if (declared == 0 || declared > bodyLimit) {
      ctx.next();
      return;
    }
    long after = inFlight.addAndGet(declared);
    if (after > maxInFlight) {
      inFlight.addAndGet(-declared);
      ctx.response().putHeader("Retry-After", "1");
      ctx.fail(new ApiException(ErrorCode.OVERLOADED, "the server is receiving too many request bodies at once;"
          + " retry after a second"));
      return;
    }
    ctx.addEndHandler(new Release(ctx, declared));
    ctx.next();
  }

  /**
   * Gives a body's reservation back when its answer is sent, fails, or its connection closes
   * first (the end handlers run once, on the request's event loop).
   */
  private final class Release implements Handler<AsyncResult<Void>> {
    private final RoutingContext ctx;
    private final long declared;

    Release(RoutingContext ctx, long declared) {
      this.ctx = ctx;
      this.declared = declared;
    }

    @Override
    public void handle(AsyncResult<Void> ar) {
      inFlight.addAndGet(-declared);
      if (!ctx.request().isEnded()) {
        // answered before the body arrived (a timeout, a refusal): the rest of the body would
        // still be buffered after the reservation is given back, so the connection closes, on
        // the next turn of the event loop, once this answer is written
        HttpConnection connection = ctx.request().connection();
        ctx.vertx().runOnContext(x -> connection.close());
      }
    }
  }

  /**
   * The declared length: none without a body (an Envoy GET), the body limit when chunked or
   * unreadable (the body handler refuses the unreadable).
   */
  private long declared(String contentLength, boolean chunked) {
    if (contentLength == null) {
      return chunked ? bodyLimit : 0;
    }
    try {
      return Long.parseLong(contentLength.trim());
    } catch (NumberFormatException e) {
      return bodyLimit;
    }
  }
}
