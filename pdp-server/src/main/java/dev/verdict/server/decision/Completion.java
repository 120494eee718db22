package dev.verdict.server.decision;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.ext.web.RoutingContext;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Consumer;

/**
 * Answers a request when a decision's stage completes, on the request's own context, without
 * blocking its event loop. A stage that is already complete (budgets in memory, a cache hit) is
 * answered at once, on the handler's own call stack; a failure goes to the router's failure
 * handler either way.
 */
public final class Completion {
  private Completion() {}

  public static <T> void then(RoutingContext ctx, CompletionStage<T> stage, Consumer<T> answer) {
    CompletableFuture<T> f = stage.toCompletableFuture();
    if (f.isDone() && !f.isCompletedExceptionally()) {
      answer.accept(f.join());
      return;
    }
    Context context = ctx.vertx().getOrCreateContext();
    Future.fromCompletionStage(stage, context).onComplete(ar -> {
      if (ctx.response().ended() || ctx.response().closed()) {
        return; // timed out or gone meanwhile: the answer has nowhere to go
      }
      try {
        if (ar.succeeded()) {
          answer.accept(ar.result());
        } else {
          ctx.fail(unwrapped(ar.cause()));
        }
      } catch (RuntimeException e) {
        // off the router's own call stack, so hand the failure to it explicitly
        ctx.fail(e);
      }
    });
  }

  private static Throwable unwrapped(Throwable t) {
    return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
  }
}
