package dev.verdict.lang.eval;

import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Applies the intent's limits to an allowed decision. The intent is {@code context.intent}
 * (a gateway sets it from the matched route), else the intent of the routes for the request's
 * resource type and action ({@link PolicySet#intentFor}). Every limit on the intent applies, each with its
 * own key; the first line whose {@code when} holds sets the rate. A denied decision consumes
 * no budget, and neither does a request one limit refuses: what the other limits admitted is
 * given back. A key that cannot be evaluated refuses the request (fail closed).
 */
public final class RateLimiter {
  private RateLimiter() {}

  public static Decision apply(PolicySet set, Request request, Decision decision, BudgetStore store, long nowMillis) {
    if (!decision.allowed()) {
      return decision;
    }
    String intent;
    if (request.context().get("intent") instanceof Value.Str intentValue) {
      intent = intentValue.value();
    } else {
      intent = set.intentFor(request.resource().uid().type(), request.action()).orElse(null);
      if (intent == null) {
        return decision;
      }
    }
    CompiledLimit[] limits = set.limitsFor(intent);
    if (limits.length == 0) {
      return decision;
    }
    Env env = new Env(set, request, decision.trace().isPresent());
    List<EvalError> errors = new ArrayList<>();
    RateDecision refused = null;
    RateDecision tightest = null;
    // What was consumed, to give back if another limit refuses: a refused request consumes nothing.
    List<String> consumedKeys = new ArrayList<>();
    List<Rate> consumedRates = new ArrayList<>();
    for (CompiledLimit limit : limits) {
      String key;
      try {
        key = key(limit, env);
      } catch (EvalException e) {
        errors.add(new EvalError("limit " + limit.name, e.span(), e.getMessage() + "; the request is refused",
            EvalError.Kind.LIMIT_KEY));
        trace(env, limit, Trace.Status.ERROR, e.getMessage() + "; refused (fail closed)");
        if (refused == null) {
          refused = new RateDecision(intent, limit.name, "", false, 0, Duration.ZERO, 0, Duration.ZERO, Duration.ZERO);
        }
        continue;
      }
      CompiledLimit.Line line = line(limit, env, errors);
      if (line == null) {
        trace(env, limit, Trace.Status.CONDITION_FAILED, "no rate line applies");
        continue;
      }
      Rate rate = new Rate(line.count(), Duration.ofMillis(line.periodMillis()), line.burst());
      RateOutcome o = store.tryConsume(limit.name + "|" + key, rate, nowMillis);
      RateDecision r = new RateDecision(intent, limit.name, key, o.allowed(), o.limit(),
          Duration.ofMillis(line.periodMillis()), o.remaining(), o.retryAfter(), o.resetAfter());
      trace(env, limit, o.allowed() ? Trace.Status.APPLIED : Trace.Status.CONDITION_FAILED,
          line.count() + " per " + Values.formatDuration(line.periodMillis()) + " for key " + key
              + (o.allowed() ? ": admitted, " + o.remaining() + " left" : ": refused, retry after " + o.retryAfter()));
      if (!o.allowed()) {
        if (refused == null) {
          refused = r;
        }
      } else {
        consumedKeys.add(limit.name + "|" + key);
        consumedRates.add(rate);
        if (tightest == null || r.remaining() < tightest.remaining()) {
          tightest = r;
        }
      }
    }
    if (refused != null) {
      for (int i = 0; i < consumedKeys.size(); i++) {
        store.refund(consumedKeys.get(i), consumedRates.get(i), nowMillis);
      }
    }
    RateDecision chosen = refused != null ? refused : tightest;
    if (chosen == null && errors.isEmpty()) {
      return decision;
    }
    List<EvalError> allErrors = new ArrayList<>(decision.errors());
    allErrors.addAll(errors);
    if (env.errors != null) {
      allErrors.addAll(env.errors);
    }
    Optional<Trace> trace = decision.trace().map(t -> {
      List<Trace.Step> steps = new ArrayList<>(t.steps());
      steps.addAll(env.trace.build().steps());
      return new Trace(steps);
    });
    Decision withErrors = new Decision(decision.outcome(), decision.reasons(), allErrors, decision.readMask(),
        decision.writeDenied(), decision.rate(), trace, decision.policyVersion());
    return chosen == null ? withErrors : withErrors.withRate(chosen);
  }

  private static String key(CompiledLimit limit, Env env) {
    if (limit.keys.length == 0) {
      return "*";
    }
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < limit.keys.length; i++) {
      if (i > 0) {
        b.append('|');
      }
      Value v = limit.keys[i].eval(env);
      b.append(v instanceof Value.Str s ? s.value() : Values.display(v));
    }
    return b.toString();
  }

  /**
   * The first line whose condition holds. A condition that errors fails closed: the limit's
   * strictest line (fewest requests per unit of time) is used.
   */
  private static CompiledLimit.Line line(CompiledLimit limit, Env env, List<EvalError> errors) {
    for (CompiledLimit.Line line : limit.lines) {
      if (line.when() == null) {
        return line;
      }
      try {
        if (line.when().test(env)) {
          return line;
        }
      } catch (EvalException e) {
        errors.add(new EvalError("limit " + limit.name, e.span(), e.getMessage() + "; the strictest line applies",
            e.kind()));
        return strictest(limit);
      }
    }
    return null;
  }

  private static CompiledLimit.Line strictest(CompiledLimit limit) {
    CompiledLimit.Line best = limit.lines[0];
    for (CompiledLimit.Line l : limit.lines) {
      // compare count/period as count × other period to stay in integers
      if (l.count() * best.periodMillis() < best.count() * l.periodMillis()) {
        best = l;
      }
    }
    return best;
  }

  private static void trace(Env env, CompiledLimit limit, Trace.Status status, String detail) {
    if (env.trace != null) {
      env.trace.add("limit", limit.name, limit.span, status, detail);
    }
  }
}
