package dev.verdict.server.entities;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.ErrorCode;
import dev.verdict.server.http.JsonCodec;
import dev.verdict.server.http.Responses;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.concurrent.CompletionStage;

/**
 * {@code X-Verdict-Min-Revision: R} on a decision endpoint (or {@code "minRevision": R} in its
 * JSON body, {@link #inBody}): the request is decided only once
 * this node's copy of the entity store holds revision R (the token a write returned), so a
 * service that just wrote an ownership change never gets an answer from older data. It waits
 * at most {@link #waitMillis}, then answers 503 {@code revision_not_reached}; it never decides
 * on older data. Runs before {@code next} (the endpoint's credential check), without blocking.
 * While the store's records are partial ({@link EntityStore#notReady}), every decision is a 503.
 */
public final class MinRevision implements PlatformHandler {
  public static final String HEADER = "X-Verdict-Min-Revision";
  private final EntityStore store;
  private final Handler<RoutingContext> next;
  private final long waitMillis;

  public MinRevision(EntityStore store, Handler<RoutingContext> next, long waitMillis) {
    this.store = store;
    this.next = next;
    this.waitMillis = waitMillis;
  }

  /** How long a request waits for a revision: {@code -Dverdict.entity.revision.wait.millis}, 2 s by default. */
  public static long defaultWaitMillis() {
    return Long.getLong("verdict.entity.revision.wait.millis", 2_000);
  }

  /**
   * The same wait asked in the request's JSON body, top-level {@code "minRevision"} (a number or
   * a string of digits, as writes return it): for callers that cannot set a header. Runs after
   * the body is read, before the endpoint; a body without the member goes straight on.
   */
  public static Handler<RoutingContext> inBody(EntityStore store, long waitMillis) {
    MinRevision wait = new MinRevision(store, RoutingContext::next, waitMillis);
    return ctx -> {
      io.vertx.core.buffer.Buffer b = ctx.body().buffer();
      // most bodies do not ask: only those that name the member are parsed a second time
      if (b == null || !names(b)) {
        ctx.next();
        return;
      }
      com.fasterxml.jackson.databind.JsonNode n = JsonCodec.parseObject(b).get(FIELD);
      if (n == null || n.isNull()) {
        ctx.next();
        return;
      }
      String text = n.isIntegralNumber() || n.isTextual() ? n.asText() : n.toString();
      wait.await(ctx, parse(text, "$." + FIELD, "`" + FIELD + "`"));
    };
  }

  /** The body member that asks for a revision, as {@link #HEADER} does. */
  public static final String FIELD = "minRevision";
  private static final byte[] QUOTED = ("\"" + FIELD + "\"").getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Whether the body holds {@code "minRevision"} anywhere (a member of any object, a string, inside
   * another string after an escaped quote): a scan of its bytes where they were received, without
   * decoding them. It runs on every decision's body, so it reads the array itself rather than
   * a byte at a time through the buffer's checked accessors, and looks further only at a quote.
   */
  static boolean names(io.vertx.core.buffer.Buffer b) {
    dev.verdict.server.http.v1.ReceivedBytes body = dev.verdict.server.http.v1.ReceivedBytes.of(b);
    byte[] a = body.array();
    int last = body.offset() + body.length() - QUOTED.length;
    for (int i = body.offset(); i <= last; i++) {
      if (a[i] == '"' && a[i + 1] == 'm'
          && java.util.Arrays.equals(a, i + 2, i + QUOTED.length, QUOTED, 2, QUOTED.length)) {
        return true;
      }
    }
    return false;
  }

  private static long parse(String text, String where, String what) {
    try {
      long n = Long.parseLong(text.strip());
      if (n >= 0) {
        return n;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalidAt(where, what + " is a revision a write returned (a whole number), not `"
        + (text.length() > 40 ? text.substring(0, 40) + "…" : text) + "`");
  }

  @Override
  public void handle(RoutingContext ctx) {
    java.util.Optional<String> partial = store.notReady();
    if (partial.isPresent()) { // never a decision from partial records
      ObjectNode d = JsonCodec.object();
      d.put("revision", Long.toString(store.revision()));
      Responses.error(ctx, new ApiException(ErrorCode.REVISION_NOT_REACHED, partial.get()
          + "; this node is not ready (/health/ready): ask another node", d));
      return;
    }
    String h = ctx.request().getHeader(HEADER);
    if (h == null) {
      next.handle(ctx);
      return;
    }
    await(ctx, parse(h, HEADER, "`" + HEADER + "`"));
  }

  /** Goes on to {@code next} once this node holds {@code wanted}, or answers 503 after the wait. */
  private void await(RoutingContext ctx, long wanted) {
    if (wanted <= store.revision()) {
      next.handle(ctx);
      return;
    }
    // The body is read after this wait (the header's wait runs before the body handler): held
    // meanwhile, or it would arrive with no one to read it and the body handler would find the
    // request already ended (a 500).
    ctx.request().pause();
    CompletionStage<Void> reached = store.reached(wanted);
    long timer = ctx.vertx().setTimer(waitMillis, t -> {
      store.forget(reached);
      ctx.request().resume();
      notReached(ctx, wanted);
    });
    reached.whenComplete((v, err) -> ctx.vertx().runOnContext(x -> {
      if (!ctx.vertx().cancelTimer(timer)) {
        return; // already answered
      }
      if (err != null) {
        ctx.request().resume();
        notReached(ctx, wanted);
        return;
      }
      try {
        next.handle(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
      } finally {
        // the body handler, when next, has taken the body by now (and resumed it itself);
        // a route without one must still see its request end
        ctx.request().resume();
      }
    }));
  }

  private void notReached(RoutingContext ctx, long wanted) {
    if (ctx.response().ended()) {
      return;
    }
    ObjectNode d = JsonCodec.object();
    d.put("wanted", Long.toString(wanted));
    d.put("revision", Long.toString(store.revision()));
    Responses.error(ctx, new ApiException(ErrorCode.REVISION_NOT_REACHED, "this node's entity store holds revision "
        + store.revision() + ", not yet " + wanted + " (waited " + waitMillis + " ms); retry, or ask another node",
        d));
  }
}
