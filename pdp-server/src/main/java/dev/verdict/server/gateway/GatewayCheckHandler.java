package dev.verdict.server.gateway;

import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.engine.GatewayCheck;
import dev.verdict.engine.Routes;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Value;
import dev.verdict.server.auth.AccessGuard;
import dev.verdict.server.auth.JwtVerifier;
import dev.verdict.server.auth.TokenRejected;
import dev.verdict.server.auth.VerifiedToken;
import dev.verdict.server.decision.CallInfo;
import dev.verdict.server.decision.Completion;
import dev.verdict.server.decision.DecisionIds;
import dev.verdict.server.decision.DecisionService;
import dev.verdict.server.http.GatewayHandler;
import dev.verdict.server.http.RequestIds;
import dev.verdict.server.metrics.ServerMetrics;
import io.vertx.ext.web.RoutingContext;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET|POST /v1/gateway/check} and the Envoy mode {@code /v1/gateway/envoy/<original path>}.
 *
 * <p>Order: the original request's shape (400 when the gateway is misconfigured), the bearer
 * token (401), the route (403 when unrouted), then the decision and the rate budget (200, 403,
 * 429), and for an allow the body's denied fields ({@link GatewayBody}: 403 naming them). A
 * request without a token is decided as {@link Routes#ANONYMOUS} when its route is
 * {@code @public} (so its limits, keyed by {@code context.ip}, apply before any login) and
 * answered 401 otherwise, exactly as before routes could be public. A token already verified is taken from the cache on the event loop; any other is
 * verified on a worker, because verifying may fetch the JWKS.
 */
public final class GatewayCheckHandler implements GatewayHandler {
  private final DecisionService decisions;
  private final JwtVerifier verifier;
  private final ServerMetrics metrics;
  private final JwtFailures failures;
  private final boolean trustForwardedFor;
  private final System.Logger err;

  /** @param err where refused tokens are reported (the server's message stream) */
  public GatewayCheckHandler(DecisionService decisions, JwtVerifier verifier, ServerMetrics metrics,
      boolean trustForwardedFor, System.Logger err) {
    this.decisions = decisions;
    this.verifier = verifier;
    this.metrics = metrics;
    this.failures = new JwtFailures(metrics.registry());
    this.trustForwardedFor = trustForwardedFor;
    this.err = err;
  }

  @Override
  public void handle(RoutingContext ctx) {
    OriginalRequest original = Boolean.TRUE.equals(ctx.get(ENVOY_MODE))
        ? OriginalRequest.fromEnvoy(ctx.request(), ENVOY_PREFIX)
        : OriginalRequest.fromHeaders(ctx.request());
    String token = BearerToken.of(ctx.request());
    if (token == null) {
      // a public route is decided for the anonymous principal; any other answers 401
      decide(ctx, original, Routes.ANONYMOUS, Map.of());
      return;
    }
    Optional<VerifiedToken> cached = verifier.cached(token);
    if (cached.isPresent()) {
      decide(ctx, original, cached.get());
      return;
    }
    ctx.vertx().<VerifiedToken>executeBlocking(() -> verifier.verify(token), false).onComplete(ar -> {
      if (ar.succeeded()) {
        try {
          decide(ctx, original, ar.result());
        } catch (RuntimeException e) {
          // off the router's own call stack, so hand the failure to it explicitly
          ctx.fail(e);
        }
      } else if (ar.cause() instanceof TokenRejected rejected) {
        refuse(ctx, rejected.reason(), rejected.getMessage());
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  private void refuse(RoutingContext ctx, TokenRejected.Reason reason, String message) {
    failures.count(reason);
    if (reason != TokenRejected.Reason.MISSING) {
      // the reason, never the token; the request id ties it to the gateway's own log
      err.log(System.Logger.Level.INFO, "gateway request " + RequestIds.of(ctx) + ": bearer token refused ("
          + reason.code() + "): " + message);
    }
    GatewayAnswers.unauthenticated(ctx, reason);
  }

  private void decide(RoutingContext ctx, OriginalRequest original, VerifiedToken token) {
    decide(ctx, original, token.principal(), token.context());
  }

  private void decide(RoutingContext ctx, OriginalRequest original, EntityData principal, Map<String, Value> claims) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    String decisionId = DecisionIds.next();
    Map<String, Value> context = new HashMap<>(claims);
    context.put(ContextKeys.IP, new Value.Str(ClientAddress.of(ctx.request(), trustForwardedFor)));
    Completion.then(ctx, decisions.checkAsync(original.method(), original.target(), principal, context,
        new CallInfo(AccessGuard.caller(ctx).name(), "gateway", decisionId, RequestIds.of(ctx))), answer -> {
          if (answer instanceof GatewayCheck.Routed routed) {
            Decision d = routed.decision();
            List<String> denied = d.allowed() ? GatewayBody.deniedFields(ctx, d) : List.of();
            if (denied.isEmpty()) {
              GatewayAnswers.decision(ctx, d, decisionId);
            } else {
              GatewayAnswers.deniedFields(ctx, d, denied, decisionId);
            }
          } else if (principal == Routes.ANONYMOUS
              && Routes.TOKEN_REQUIRED.equals(((GatewayCheck.Unrouted) answer).reason())) {
            refuse(ctx, TokenRejected.Reason.MISSING, "no bearer token");
          } else {
            GatewayCheck.Unrouted u = (GatewayCheck.Unrouted) answer;
            GatewayAnswers.unrouted(ctx, u.reason(), u.message(), decisionId);
          }
        });
  }

}
