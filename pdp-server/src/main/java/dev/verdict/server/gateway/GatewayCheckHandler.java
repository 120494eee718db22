package dev.verdict.server.gateway;

import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.eval.Values;
import dev.verdict.lang.route.RouteMatch;
import dev.verdict.server.auth.AccessGuard;
import dev.verdict.server.auth.JwtVerifier;
import dev.verdict.server.auth.TokenRejected;
import dev.verdict.server.auth.VerifiedToken;
import dev.verdict.server.decision.CallInfo;
import dev.verdict.server.decision.DecisionIds;
import dev.verdict.server.decision.DecisionService;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.GatewayHandler;
import dev.verdict.server.http.RequestIds;
import dev.verdict.server.log.DecisionLog;
import dev.verdict.server.log.DecisionRecord;
import dev.verdict.server.metrics.ServerMetrics;
import dev.verdict.server.policy.PolicySnapshot;
import io.vertx.ext.web.RoutingContext;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code GET|POST /v1/gateway/check} and the Envoy mode {@code /v1/gateway/envoy/<original path>}.
 *
 * <p>Order: the original request's shape (400 when the gateway is misconfigured), the bearer
 * token (401), the route (403 when unrouted), then the decision and the rate budget (200, 403,
 * 429). A token already verified is taken from the cache on the event loop; any other is
 * verified on a worker, because verifying may fetch the JWKS.
 */
public final class GatewayCheckHandler implements GatewayHandler {
  private final DecisionService decisions;
  private final JwtVerifier verifier;
  private final DecisionLog log;
  private final ServerMetrics metrics;
  private final JwtFailures failures;
  private final boolean trustForwardedFor;
  private final PrintStream err;

  /** @param err where refused tokens are reported (the server's message stream) */
  public GatewayCheckHandler(DecisionService decisions, JwtVerifier verifier, DecisionLog log, ServerMetrics metrics,
      boolean trustForwardedFor, PrintStream err) {
    this.decisions = decisions;
    this.verifier = verifier;
    this.log = log;
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
      refuse(ctx, TokenRejected.Reason.MISSING, "no bearer token");
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
      err.println("verdict: gateway request " + RequestIds.of(ctx) + ": bearer token refused ("
          + reason.code() + "): " + message);
    }
    GatewayAnswers.unauthenticated(ctx, reason);
  }

  private void decide(RoutingContext ctx, OriginalRequest original, VerifiedToken token) {
    if (ctx.response().ended() || ctx.response().closed()) {
      return;
    }
    long start = System.nanoTime();
    PolicySnapshot snapshot = decisions.snapshot();
    String decisionId = DecisionIds.next();
    String caller = AccessGuard.caller(ctx).name();
    RouteMatch match = snapshot.routes().match(original.method(), original.target());
    if (!(match instanceof RouteMatch.Matched m)) {
      RouteMatch.Unmatched u = (RouteMatch.Unmatched) match;
      String reason = u.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
      logUnrouted(ctx, snapshot, token, caller, decisionId, reason, System.nanoTime() - start);
      GatewayAnswers.unrouted(ctx, reason, u.message(), decisionId);
      return;
    }
    EntityData resource = new EntityData(new EntityUid(m.resourceType(), m.resourceId().orElse("")), Map.of(),
        List.of(), false);
    Map<String, Value> context = new HashMap<>(token.context());
    m.intent().ifPresent(i -> context.put("intent", new Value.Str(i)));
    Map<String, Value> params = new LinkedHashMap<>();
    m.params().forEach((k, v) -> params.put(k, new Value.Str(v)));
    context.put("params", new Value.Rec(params));
    context.put("ip", new Value.Str(ClientAddress.of(ctx.request(), trustForwardedFor)));
    context.put("method", new Value.Str(original.method()));
    context.put("path", new Value.Str(original.path()));
    Request request = typed(snapshot.set().types(),
        new Request(token.principal(), resource, m.action(), context, List.of()));
    Decision d = decisions.decide(snapshot, request, false, true,
        new CallInfo(caller, "gateway", decisionId, RequestIds.of(ctx)));
    GatewayAnswers.decision(ctx, d, decisionId);
  }

  /**
   * The request's values as the set declares them: the client address is an Ip where the
   * context declares {@code ip: Ip}, a claim mapped to a Number attribute must be a number.
   */
  private static Request typed(ValueTypes types, Request r) {
    try {
      return new Request(types.entity(r.principal(), "$.token.principal"), r.resource(), r.action(),
          types.context(r.context(), "$.context"), r.entities());
    } catch (Values.JsonValueException e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  private void logUnrouted(RoutingContext ctx, PolicySnapshot snapshot, VerifiedToken token, String caller,
      String decisionId, String reason, long nanos) {
    metrics.decision("deny", "", "", null, nanos);
    if (log.enabled()) {
      log.offer(new DecisionRecord(System.currentTimeMillis(), decisionId, RequestIds.of(ctx), snapshot.version(),
          caller, "gateway", token.principal().uid().type(), token.subject(), null, null, null, null, "deny",
          List.of(reason), Map.of(), Set.of(), null, nanos / 1_000));
    }
  }
}
