package dev.verdict.server.auth;

import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.ErrorCode;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Optional;

/**
 * Route handlers that let a request through only with the scope the endpoint needs. Decision
 * endpoints are open when no credential is configured at all (the server then refuses any but
 * a loopback address); admin endpoints always need an admin credential.
 */
public final class AccessGuard {
  private static final String CALLER = "verdict.caller";

  private final Authenticator authenticator;

  public AccessGuard(Authenticator authenticator) {
    this.authenticator = authenticator;
  }

  /**
   * A handler admitting only callers with {@code scope}. It is a platform handler so that it
   * may run before the body handler: a caller without credentials is refused before its body
   * is read.
   */
  public Handler<RoutingContext> require(Scope scope) {
    return new Guard(scope);
  }

  private final class Guard implements PlatformHandler {
    private final Scope scope;

    Guard(Scope scope) {
      this.scope = scope;
    }

    @Override
    public void handle(RoutingContext ctx) {
      ctx.put(CALLER, check(ctx, scope));
      ctx.next();
    }
  }

  /** Whether the request may go where {@code scope} is needed; for endpoints that are open on loopback. */
  public Caller check(RoutingContext ctx, Scope scope) {
    if (scope == Scope.DECIDE && !authenticator.credentialsConfigured()) {
      return Caller.ANONYMOUS;
    }
    Optional<Caller> caller = authenticator.authenticate(ctx.request());
    if (caller.isEmpty()) {
      throw new ApiException(ErrorCode.UNAUTHENTICATED, scope == Scope.ADMIN
          ? "this endpoint needs an admin API key (`Authorization: ApiKey …` or `X-API-Key`)"
          : "this endpoint needs an API key (`Authorization: ApiKey …` or `X-API-Key`)");
    }
    if (!caller.get().may(scope)) {
      throw new ApiException(ErrorCode.FORBIDDEN,
          "caller `" + caller.get().name() + "` lacks the `" + scope.word() + "` scope");
    }
    return caller.get();
  }

  /** The caller a guard admitted, or anonymous on routes without a guard. */
  public static Caller caller(RoutingContext ctx) {
    Caller c = ctx.get(CALLER);
    return c == null ? Caller.ANONYMOUS : c;
  }
}
