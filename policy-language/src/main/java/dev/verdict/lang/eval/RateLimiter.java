package dev.verdict.lang.eval;

import dev.verdict.lang.rate.BudgetKey;
import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.lang.rate.FailMode;
import dev.verdict.lang.rate.Rate;
import dev.verdict.lang.rate.RateOutcome;
import java.math.BigDecimal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Applies the intent's limits to an allowed decision.
 *
 * <p>The limits that apply are those of the intent routed for the request's resource type and
 * action ({@link PolicySet#intentFor}) <em>and</em> those of {@code context.intent} when the
 * caller names one (a gateway sets it from the matched route): a caller can add limits by naming
 * an intent, never switch the routed ones off. An intent that no route or limit declares is
 * refused before deciding ({@link #undeclaredIntent}); here it adds nothing.
 *
 * <p>Every limit applies, each with its own budget ({@link BudgetKey}: the limit's name and its
 * typed key parts); the first line whose {@code when} holds sets the rate. A denied decision
 * consumes no budget, and neither does a request one limit refuses: what the other limits
 * admitted is given back. A key that cannot be evaluated, and a store that fails, refuse the
 * request (fail closed).
 *
 * <p>{@link #applyAsync} works with any {@link BudgetStore}; {@link #apply} is for stores whose
 * stages are already complete (the in-memory store), so that callers on an event loop need not
 * change yet. The engine API (issue 10) moves every caller to {@link #applyAsync}; until then a
 * remote store must not be passed to {@link #apply}.
 */
public final class RateLimiter {
  private static final CompiledLimit[] NO_LIMITS = new CompiledLimit[0];

  private RateLimiter() {}

  /**
   * {@link #applyAsync} for a store whose stages complete before it returns.
   *
   * @throws IllegalStateException when the store answered asynchronously: use {@link #applyAsync}
   */
  public static Decision apply(PolicySet set, Request request, Decision decision, BudgetStore store, long nowMillis) {
    CompletableFuture<Decision> d = applyAsync(set, request, decision, store, nowMillis).toCompletableFuture();
    if (!d.isDone()) {
      throw new IllegalStateException("the budget store " + store + " answers asynchronously; call applyAsync");
    }
    return d.join();
  }

  /** Applies the limits; the stage never fails (a failing store refuses the request). */
  public static CompletionStage<Decision> applyAsync(PolicySet set, Request request, Decision decision,
      BudgetStore store, long nowMillis) {
    return applyAsync(set, request, decision, store, store, nowMillis);
  }

  /**
   * Applies the limits, with {@code local} the store that limits declared {@code on unavailable
   * local} count in while {@code store} fails (an in-process store: its stages are complete).
   */
  public static CompletionStage<Decision> applyAsync(PolicySet set, Request request, Decision decision,
      BudgetStore store, BudgetStore local, long nowMillis) {
    if (!decision.allowed()) {
      return CompletableFuture.completedFuture(decision);
    }
    List<CompiledLimit> limits = limits(set, request);
    if (limits.isEmpty()) {
      return CompletableFuture.completedFuture(decision);
    }
    Env env = new Env(set, request, decision.trace().isPresent());
    List<EvalError> errors = new ArrayList<>();
    List<Planned> plan = new ArrayList<>();
    for (CompiledLimit limit : limits) {
      plan.add(plan(limit, env, errors));
    }
    CompletionStage<Void> consumed = CompletableFuture.completedFuture(null);
    for (Planned p : plan) {
      if (p.key != null) {
        consumed = consumed.thenCompose(x -> consume(store, local, p, nowMillis));
      }
    }
    return consumed.thenCompose(x -> finish(decision, env, errors, plan, store, nowMillis));
  }

  /**
   * Why the request's {@code context.intent} cannot be used, or empty when it is absent or an
   * intent some route or limit of {@code set} declares. Callers refuse the request with this
   * message (an invalid request at {@code $.context.intent}); it never echoes the caller's value.
   */
  public static Optional<String> undeclaredIntent(PolicySet set, Request request) {
    Value given = request.context().get(ContextKeys.INTENT);
    if (given == null || given instanceof Value.Str s && set.declaresIntent(s.value())) {
      return Optional.empty();
    }
    String declared = set.intents().isEmpty() ? "this policy set declares none"
        : "declared: " + String.join(", ", set.intents());
    return Optional.of("`context.intent` must be an intent that a route or limit declares (" + declared
        + "); leave it out to use the intent routed for the resource type and action");
  }

  /**
   * Whether any limit applies to {@code request}: a decision without one needs no budget store,
   * so engines answer it at once, without a stage. Allocates nothing.
   */
  public static boolean hasLimits(PolicySet set, Request request) {
    if (request.context().get(ContextKeys.INTENT) instanceof Value.Str s && set.limitsFor(s.value()).length > 0) {
      return true;
    }
    String routed = set.routedIntent(request.resource().uid().type(), request.action());
    return routed != null && set.limitsFor(routed).length > 0;
  }

  /** The limits of the routed intent, then those of the caller's intent, each once. */
  private static List<CompiledLimit> limits(PolicySet set, Request request) {
    String routed = set.intentFor(request.resource().uid().type(), request.action()).orElse(null);
    String named = request.context().get(ContextKeys.INTENT) instanceof Value.Str s ? s.value() : null;
    CompiledLimit[] first = routed == null ? NO_LIMITS : set.limitsFor(routed);
    CompiledLimit[] second = named == null || named.equals(routed) ? NO_LIMITS : set.limitsFor(named);
    if (second.length == 0) {
      return List.of(first);
    }
    Set<CompiledLimit> out = new LinkedHashSet<>(List.of(first));
    out.addAll(List.of(second));
    return new ArrayList<>(out);
  }

  /** One limit's budget key and rate, or why it has none. */
  private static final class Planned {
    final CompiledLimit limit;
    /** Null when the key failed to evaluate (refused) or no line applies (skipped). */
    BudgetKey key;
    String keyText;
    CompiledLimit.Line line;
    Rate rate;
    String keyError;
    RateOutcome outcome;
    Throwable failure;
    /** The store that counted {@link #outcome}: the given one, or the local one for {@code on unavailable local}. */
    BudgetStore counter;

    Planned(CompiledLimit limit) {
      this.limit = limit;
    }
  }

  private static Planned plan(CompiledLimit limit, Env env, List<EvalError> errors) {
    Planned p = new Planned(limit);
    BudgetKey.Builder key = BudgetKey.of(limit.name);
    StringBuilder text = new StringBuilder();
    try {
      for (int i = 0; i < limit.keys.length; i++) {
        Value v = limit.keys[i].eval(env);
        String part = text(v);
        key.add(v.getClass().getSimpleName(), part);
        text.append(i > 0 ? "|" : "").append(part);
      }
    } catch (EvalException e) {
      errors.add(new EvalError("limit " + limit.name, e.span(), e.getMessage() + "; the request is refused",
          EvalError.Kind.LIMIT_KEY));
      p.keyError = e.getMessage();
      return p;
    }
    p.line = line(limit, env, errors);
    if (p.line != null) {
      p.key = key.build();
      p.keyText = limit.keys.length == 0 ? "*" : text.toString();
      p.rate = p.line.window() ? Rate.window(p.line.count(), Duration.ofMillis(p.line.periodMillis()))
          : new Rate(p.line.count(), Duration.ofMillis(p.line.periodMillis()), p.line.burst());
    }
    return p;
  }

  /**
   * A key part as text: strings as they are, numbers in a canonical form that is never
   * expanded (equal numbers such as {@code 1.0} and {@code 1} give one text, and {@code 1e999}
   * stays short), anything else as displayed.
   */
  private static String text(Value v) {
    if (v instanceof Value.Str s) {
      return s.value();
    }
    if (v instanceof Value.Num n) {
      BigDecimal d = n.value().stripTrailingZeros();
      return d.scale() < -20 || d.scale() > 20 ? d.toString() : d.toPlainString();
    }
    return Values.display(v);
  }

  private static CompletionStage<Void> consume(BudgetStore store, BudgetStore local, Planned p, long nowMillis) {
    CompletionStage<RateOutcome> stage;
    try {
      stage = store.consume(p.key, p.rate, nowMillis);
    } catch (RuntimeException e) {
      stage = CompletableFuture.failedFuture(e);
    }
    return stage.handle((o, failure) -> {
      p.outcome = o;
      p.failure = o == null && failure == null ? new IllegalStateException("no outcome") : failure;
      return null;
    }).thenCompose(x -> {
      if (p.failure == null || p.limit.unavailable != FailMode.LOCAL || local == store) {
        return CompletableFuture.completedFuture(null);
      }
      // The store cannot answer: this process counts the key on its own until it can.
      p.counter = local;
      return local.consume(p.key, p.rate, nowMillis).handle((o, failure) -> {
        if (o != null) {
          p.outcome = o;
        }
        return null;
      });
    });
  }

  private static CompletionStage<Decision> finish(Decision decision, Env env, List<EvalError> errors,
      List<Planned> plan, BudgetStore store, long nowMillis) {
    RateDecision refused = null;
    RateDecision tightest = null;
    for (Planned p : plan) {
      CompiledLimit limit = p.limit;
      if (p.keyError != null) {
        trace(env, limit, Trace.Status.ERROR, p.keyError + "; refused (fail closed)");
        if (refused == null) {
          refused = new RateDecision(limit.intent, limit.name, "", false, 0, Duration.ZERO, 0, Duration.ZERO,
              Duration.ZERO);
        }
        continue;
      }
      if (p.line == null) {
        trace(env, limit, Trace.Status.CONDITION_FAILED, "no rate line applies");
        continue;
      }
      Duration window = Duration.ofMillis(p.line.periodMillis());
      if (p.failure != null && limit.unavailable == FailMode.ALLOW) {
        trace(env, limit, Trace.Status.APPLIED, "the budget store failed; admitted uncounted (on unavailable allow)");
        RateDecision r = new RateDecision(limit.intent, limit.name, p.keyText, true, p.line.burst(), window,
            p.line.burst(), Duration.ZERO, Duration.ZERO, Optional.of(FailMode.ALLOW));
        if (tightest == null || r.remaining() < tightest.remaining()) {
          tightest = r;
        }
        continue;
      }
      if (p.failure != null && p.outcome == null) {
        // Only the kind of failure: a store's message could carry more than we want in a trace.
        errors.add(new EvalError("limit " + limit.name, limit.span, "the budget store failed ("
            + p.failure.getClass().getSimpleName() + "); the request is refused", EvalError.Kind.BUDGET_UNAVAILABLE));
        trace(env, limit, Trace.Status.ERROR, "the budget store failed; refused (fail closed)");
        if (refused == null) {
          refused = new RateDecision(limit.intent, limit.name, p.keyText, false, p.line.burst(), window, 0,
              Duration.ZERO, Duration.ZERO, Optional.of(FailMode.DENY));
        }
        continue;
      }
      RateOutcome o = p.outcome;
      Optional<FailMode> fallback = p.failure != null ? Optional.of(FailMode.LOCAL) : Optional.empty();
      RateDecision r = new RateDecision(limit.intent, limit.name, p.keyText, o.allowed(), o.limit(), window,
          o.remaining(), o.retryAfter(), o.resetAfter(), fallback);
      trace(env, limit, o.allowed() ? Trace.Status.APPLIED : Trace.Status.CONDITION_FAILED,
          p.line.count() + " per " + Values.formatDuration(p.line.periodMillis()) + " for key " + p.keyText
              + (fallback.isPresent() ? " (counted in this process: the budget store failed)" : "")
              + (o.allowed() ? ": admitted, " + o.remaining() + " left"
                  : ": refused, retry after " + Values.formatDuration(o.retryAfter().toMillis())));
      if (!o.allowed()) {
        if (refused == null) {
          refused = r;
        }
      } else if (tightest == null || r.remaining() < tightest.remaining()) {
        tightest = r;
      }
    }
    CompletionStage<Void> refunds = CompletableFuture.completedFuture(null);
    if (refused != null) {
      // A refused request consumes nothing: give back what the other limits admitted.
      for (Planned p : plan) {
        if (p.outcome != null && p.outcome.allowed()) {
          BudgetStore counted = p.counter != null ? p.counter : store;
          refunds = refunds.thenCompose(x -> refund(counted, p, nowMillis));
        }
      }
    }
    RateDecision chosen = refused != null ? refused : tightest;
    return refunds.thenApply(x -> result(decision, env, errors, chosen));
  }

  /** A refund that fails leaves the budget a little fuller than it should be: never an allow. */
  private static CompletionStage<Void> refund(BudgetStore store, Planned p, long nowMillis) {
    try {
      return store.refund(p.key, p.rate, nowMillis).exceptionally(e -> null);
    } catch (RuntimeException e) {
      return CompletableFuture.completedFuture(null);
    }
  }

  private static Decision result(Decision decision, Env env, List<EvalError> errors, RateDecision chosen) {
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
    Decision withErrors = decision.withErrors(allErrors, trace);
    return chosen == null ? withErrors : withErrors.withRate(chosen);
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
