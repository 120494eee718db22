package dev.verdict.server.decision;

import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.RateDecision;
import dev.verdict.lang.eval.RateLimiter;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.ErrorCode;
import dev.verdict.server.log.DecisionLog;
import dev.verdict.server.log.DecisionRecord;
import dev.verdict.server.metrics.ServerMetrics;
import dev.verdict.server.policy.PolicySnapshot;
import dev.verdict.server.policy.PolicyStore;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * Takes decisions for every endpoint: stamps the server's time into the context, evaluates,
 * applies rate budgets, and records the decision in the log and the metrics. CPU-bound and
 * non-blocking, so it runs on the event loop.
 */
public final class DecisionService {
  private final PolicyStore store;
  private final BudgetStore budgets;
  private final DecisionLog log;
  private final ServerMetrics metrics;
  private final Clock clock;
  private final InstantText now = new InstantText();

  public DecisionService(PolicyStore store, BudgetStore budgets, DecisionLog log, ServerMetrics metrics, Clock clock) {
    this.store = store;
    this.budgets = budgets;
    this.log = log;
    this.metrics = metrics;
    this.clock = clock;
  }

  /** The snapshot one request uses throughout, or {@code policy_not_loaded}. */
  public PolicySnapshot snapshot() {
    return store.current().orElseThrow(() -> new ApiException(ErrorCode.POLICY_NOT_LOADED,
        "no policy set is loaded; decisions are refused until one is"));
  }

  /**
   * Decides one request. The context's {@code now} is always the server's clock: a caller's
   * own time would let it step outside time-based rules. A {@code context.intent} that no route
   * or limit declares is an invalid request: it could otherwise hide which limits apply.
   *
   * @param consumeBudget whether rate limits apply (false for what-if questions such as action search)
   */
  public Decision decide(PolicySnapshot snapshot, Request request, boolean explain, boolean consumeBudget,
      CallInfo call) {
    long start = System.nanoTime();
    RateLimiter.undeclaredIntent(snapshot.set(), request).ifPresent(message -> {
      throw ApiException.invalidAt("$.context.intent", message);
    });
    long nowMillis = clock.millis();
    Request r = request.withContext("now", new Value.Str(now.of(nowMillis)));
    PolicySet set = snapshot.set();
    Decision d = Authorizer.decide(set, r, explain);
    if (consumeBudget) {
      d = RateLimiter.apply(set, r, d, budgets, nowMillis);
    }
    long nanos = System.nanoTime() - start;
    String intent = intent(set, r);
    metrics.decision(d.outcome().word(), r.resource().uid().type(), r.action(), intent, nanos);
    metrics.refusal(d, r.action(), intent);
    metrics.evaluationErrors(d);
    if (log.enabled()) {
      log.offer(record(nowMillis, d, r, intent, call, nanos));
    }
    return d;
  }

  private static String intent(PolicySet set, Request r) {
    if (r.context().get("intent") instanceof Value.Str s) {
      return s.value();
    }
    return set.intentFor(r.resource().uid().type(), r.action()).orElse(null);
  }

  private static DecisionRecord record(long now, Decision d, Request r, String intent, CallInfo call, long nanos) {
    Map<String, String> mask = new HashMap<>();
    d.readMask().forEach((k, v) -> mask.put(k, v.text()));
    DecisionRecord.Rate rate = null;
    if (d.rate().isPresent()) {
      RateDecision rd = d.rate().get();
      rate = new DecisionRecord.Rate(rd.limit(), rd.allowed(), rd.remaining());
    }
    return new DecisionRecord(now, call.decisionId(), call.requestId(), d.policyVersion(), call.caller(),
        call.endpoint(), r.principal().uid().type(), r.principal().uid().id(), r.resource().uid().type(),
        r.resource().uid().id(), r.action(), intent, d.outcome().word(), d.reasons(), mask, d.writeDenied(), rate,
        nanos / 1_000, d.errors().stream().map(DecisionRecord.EvalFailure::of).toList());
  }
}
