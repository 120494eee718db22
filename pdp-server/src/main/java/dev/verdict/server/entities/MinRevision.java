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
 * {@code X-Verdict-Min-Revision: R} on a decision endpoint: the request is decided only once
 * this node's copy of the entity store holds revision R (the token a write returned), so a
 * service that just wrote an ownership change never gets an answer from older data. It waits
 * at most {@link #waitMillis}, then answers 503 {@code revision_not_reached}; it never decides
 * on older data. Runs before {@code next} (the endpoint's credential check), without blocking.
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

  @Override
  public void handle(RoutingContext ctx) {
    String h = ctx.request().getHeader(HEADER);
    if (h == null) {
      next.handle(ctx);
      return;
    }
    long wanted;
    try {
      wanted = Long.parseLong(h.strip());
    } catch (NumberFormatException e) {
      throw ApiException.invalidAt(HEADER, "`" + HEADER + "` is a revision a write returned (a whole number), not `"
          + (h.length() > 40 ? h.substring(0, 40) + "…" : h) + "`");
    }
    if (wanted <= store.revision()) {
      next.handle(ctx);
      return;
    }
    CompletionStage<Void> reached = store.reached(wanted);
    long timer = ctx.vertx().setTimer(waitMillis, t -> {
      store.forget(reached);
      notReached(ctx, wanted);
    });
    reached.whenComplete((v, err) -> ctx.vertx().runOnContext(x -> {
      if (!ctx.vertx().cancelTimer(timer)) {
        return; // already answered
      }
      if (err != null) {
        notReached(ctx, wanted);
        return;
      }
      try {
        next.handle(ctx);
      } catch (RuntimeException e) {
        ctx.fail(e);
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
