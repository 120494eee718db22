package dev.verdict.engine;

import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.RateLimiter;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.Values;
import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.lang.rate.InMemoryBudgetStore;
import dev.verdict.lang.route.RouteMatch;
import dev.verdict.lang.route.RouteTable;
import dev.verdict.lang.source.Code;
import dev.verdict.lang.source.Diagnostic;
import dev.verdict.lang.source.Source;
import dev.verdict.lang.source.SourceSet;
import dev.verdict.lang.source.Span;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicReference;

/** The one implementation of {@link Engine}. */
final class DefaultEngine implements Engine {
  private static final System.Logger LOG = System.getLogger("dev.verdict.engine");

  private final PolicySource source;
  private final Clock clock;
  private final BudgetStore budgets;
  /**
   * Where limits declared {@code on unavailable local} count while {@link #budgets} cannot
   * answer: this process's own store (the same store when budgets are already in memory).
   */
  private final BudgetStore localBudgets;
  private final DecisionCache cache;
  private final EntitySource entities;
  private final DecisionListener[] listeners;
  private final AtomicReference<ActivePolicy> active = new AtomicReference<>();
  private final AtomicReference<ReloadResult> lastReload = new AtomicReference<>();
  private final Object reloading = new Object();

  DefaultEngine(PolicySource source, Clock clock, BudgetStore budgets, DecisionCache cache,
      List<DecisionListener> listeners) {
    this(source, clock, budgets, cache, EntitySource.NONE, listeners);
  }

  DefaultEngine(PolicySource source, Clock clock, BudgetStore budgets, DecisionCache cache, EntitySource entities,
      List<DecisionListener> listeners) {
    this.entities = entities;
    this.source = source;
    this.clock = clock;
    this.budgets = budgets;
    this.localBudgets = budgets instanceof InMemoryBudgetStore ? budgets : new InMemoryBudgetStore();
    this.cache = cache;
    this.listeners = listeners.toArray(new DecisionListener[0]);
  }

  @Override
  public Optional<ActivePolicy> active() {
    return Optional.ofNullable(active.get());
  }

  @Override
  public Decision decide(Request request, DecideOptions options) {
    ActivePolicy policy = active.get();
    return policy == null ? notLoaded(request, options) : decide(policy, request, options);
  }

  @Override
  public Decision decide(ActivePolicy policy, Request request, DecideOptions options) {
    Object looked = lookUp(policy, request, options);
    if (looked instanceof Decision hit) {
      return hit;
    }
    Ruled r = rules(policy, request, options, looked);
    return r.final_() ? r.told(this) : join(limited(policy, r, options));
  }

  @Override
  public CompletionStage<Decision> decideAsync(Request request, DecideOptions options) {
    ActivePolicy policy = active.get();
    if (policy == null) {
      return CompletableFuture.completedFuture(notLoaded(request, options));
    }
    return decideAsync(policy, request, options);
  }

  @Override
  public CompletionStage<Decision> decideAsync(ActivePolicy policy, Request request, DecideOptions options) {
    Object looked = lookUp(policy, request, options);
    if (looked instanceof Decision hit) {
      return CompletableFuture.completedFuture(hit);
    }
    Ruled r = rules(policy, request, options, looked);
    return r.final_() ? CompletableFuture.completedFuture(r.told(this)) : limited(policy, r, options);
  }

  /**
   * What the rules decided, before budgets.
   *
   * @param request the request as given; {@code stamped} is it with the clock's {@code now},
   *     made only when something reads it (a cache hit never does: cacheable decisions do not
   *     depend on the time)
   * @param final_ no budget applies (a denial, a what-if question, or no limit to consult)
   */
  private record Ruled(Request request, Request stamped, Decision decision, long nowMillis, long start,
      Object attachment, PolicySet set, boolean final_) {
    Decision told(DefaultEngine engine) {
      if (engine.listeners.length > 0) {
        Request r = stamped != null ? stamped : Stamp.now(request, nowMillis);
        engine.tell(r, decision, Intents.of(set, r), nowMillis, System.nanoTime() - start, attachment);
      }
      return decision;
    }
  }

  /**
   * The cache's answer when it is the whole answer: a hit that no budget, listener or
   * explanation needs to see again (no clock read, nothing allocated but the key). Otherwise the
   * request's cache key (null when it has none) for {@link #rules} to use, looked up once. Also
   * refuses an undeclared intent, which every path must.
   */
  private Object lookUp(ActivePolicy policy, Request request, DecideOptions options) {
    PolicySet set = policy.set();
    if (request.context().containsKey(ContextKeys.INTENT)) {
      RateLimiter.undeclaredIntent(set, request).ifPresent(message -> {
        throw new RequestRefused("$.context.intent", message);
      });
    }
    if (cache == null || options.explain()) {
      return null;
    }
    EntitySource stored = entitiesFor(options);
    String tag = stored.isEmpty() ? "" : stored.cacheTag();
    if (tag == null) {
      return null;
    }
    DecisionKey key = DecisionKey.of(set, request, tag);
    if (key == null) {
      return null;
    }
    Decision d = cache.get(key);
    if (d == null) {
      return key;
    }
    boolean final_ = !options.consumeBudget() || !d.allowed() || !RateLimiter.hasLimits(set, request);
    if (final_ && listeners.length == 0) {
      return d;
    }
    return new Hit(key, d);
  }

  /** A cache hit that still has budgets to apply or listeners to tell. */
  private record Hit(DecisionKey key, Decision decision) {}

  private Ruled rules(ActivePolicy policy, Request request, DecideOptions options, Object looked) {
    long start = System.nanoTime();
    PolicySet set = policy.set();
    long nowMillis = clock.millis();
    Decision d = looked instanceof Hit h ? h.decision() : null;
    DecisionKey key = looked instanceof DecisionKey k ? k : null;
    Request stamped = null;
    if (d == null) {
      stamped = Stamp.now(request, nowMillis);
      d = evaluate(set, stamped, options);
      if (key != null && key.storable()) {
        cache.put(key, d);
      }
    }
    // without a limit to consult there is no budget store to wait for: answered at once, no stage
    boolean final_ = !options.consumeBudget() || !d.allowed() || !RateLimiter.hasLimits(set, request);
    return new Ruled(request, stamped, d, nowMillis, start, options.attachment(), set, final_);
  }

  private EntitySource entitiesFor(DecideOptions options) {
    return options.entities() != null ? options.entities() : entities;
  }

  /** The rules' decision, reading the entity store when it holds anything; a store that cannot answer denies. */
  private Decision evaluate(PolicySet set, Request stamped, DecideOptions options) {
    EntitySource stored = entitiesFor(options);
    if (stored.isEmpty()) {
      return Authorizer.decide(set, stamped, options.explain());
    }
    try {
      return Authorizer.decide(set, stamped, options.explain(), stored::find);
    } catch (EntitySource.Unavailable e) {
      return new Decision(Decision.Outcome.DENY, List.of(),
          List.of(new EvalError("engine", Span.ofFile("entity store"), e.getMessage(),
              EvalError.Kind.ENTITIES_UNAVAILABLE)),
          Map.of(), java.util.Set.of(), Optional.empty(), Optional.empty(), set.version());
    }
  }

  private CompletionStage<Decision> limited(ActivePolicy policy, Ruled r, DecideOptions options) {
    Request stamped = r.stamped() != null ? r.stamped() : Stamp.now(r.request(), r.nowMillis());
    return RateLimiter.applyAsync(policy.set(), stamped, r.decision(), budgets, localBudgets,
        r.nowMillis()).thenApply(d -> {
      tell(stamped, d, Intents.of(policy.set(), stamped), r.nowMillis(), System.nanoTime() - r.start(),
          options.attachment());
      return d;
    });
  }

  /**
   * The answer of a stage: at once for budgets in memory; for a remote store, after at most its
   * own timeout (callers on an event loop use the asynchronous forms instead).
   */
  private static <T> T join(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }

  @Override
  public GatewayCheck check(String method, String pathAndQuery, EntityData principal, Map<String, Value> context,
      DecideOptions options) {
    return join(checkAsync(method, pathAndQuery, principal, context, options));
  }

  @Override
  public CompletionStage<GatewayCheck> checkAsync(String method, String pathAndQuery, EntityData principal,
      Map<String, Value> context, DecideOptions options) {
    long start = System.nanoTime();
    ActivePolicy policy = active.get();
    if (policy == null) {
      return CompletableFuture.completedFuture(new GatewayCheck.Unrouted("not-loaded", "no policy set is loaded", ""));
    }
    RouteMatch match = policy.routes().match(method, pathAndQuery);
    if (match instanceof RouteMatch.Matched m) {
      Request request = typed(policy.set(), Routes.request(m, principal, context, method, pathAndQuery));
      return decideAsync(policy, request, options).thenApply(d -> new GatewayCheck.Routed(m, request, d));
    }
    RouteMatch.Unmatched u = (RouteMatch.Unmatched) match;
    String reason = u.reason().name().toLowerCase(Locale.ROOT).replace('_', '-');
    if (listeners.length > 0) {
      UnroutedEvent e = new UnroutedEvent(method, principal, reason, policy.version(), clock.millis(),
          System.nanoTime() - start, options.attachment());
      for (DecisionListener l : listeners) {
        try {
          l.onUnrouted(e);
        } catch (RuntimeException ex) {
          LOG.log(System.Logger.Level.WARNING, "a decision listener failed; the check stands", ex);
        }
      }
    }
    return CompletableFuture.completedFuture(new GatewayCheck.Unrouted(reason, u.message(), policy.version()));
  }

  /**
   * A routed request's principal and context read as the set declares them (a token's claims,
   * the client's address): a gateway check takes values of declared types as they will be
   * compared.
   */
  private static Request typed(PolicySet set, Request r) {
    try {
      return new Request(set.types().entity(r.principal(), "$.principal"), r.resource(), r.action(),
          set.types().context(r.context(), "$.context"), r.entities());
    } catch (Values.JsonValueException e) {
      throw new RequestRefused(e.path(), e.getMessage());
    }
  }

  @Override
  public ReloadResult reload() {
    if (source == null) {
      // a compiled set served as given: nothing to read again
      return lastReload.get();
    }
    synchronized (reloading) {
      ActivePolicy before = active.get();
      Staged staged = compile(source, before);
      ReloadResult result = staged.result();
      if (staged.policy().isPresent() && (before == null
          || !before.version().equals(staged.policy().get().version()))) {
        active.set(staged.policy().get());
        result = new ReloadResult(true, true, result.version(), result.previousVersion(), result.sources(),
            result.diagnostics());
      }
      lastReload.set(result);
      return result;
    }
  }

  @Override
  public Staged stage(PolicySource other) {
    return compile(other, active.get());
  }

  @Override
  public void activate(ActivePolicy policy) {
    synchronized (reloading) {
      ActivePolicy before = active.getAndSet(java.util.Objects.requireNonNull(policy, "policy is null"));
      lastReload.set(new ReloadResult(true, before == null || !before.version().equals(policy.version()),
          policy.version(), before == null ? "" : before.version(),
          new SourceSet(List.of(), List.of(), List.of()), List.of()));
    }
  }

  /** Reads and compiles {@code from}; the result says nothing changed (callers decide that). */
  private Staged compile(PolicySource from, ActivePolicy before) {
    String previous = before == null ? "" : before.version();
    SourceSet sources = from.read();
    LoadResult loaded = Verdict.load(sources, from::relativeName);
    if (!loaded.ok()) {
      return new Staged(new ReloadResult(false, false, previous, previous, sources, loaded.diagnostics()),
          Optional.empty());
    }
    PolicySet set = loaded.policySet().orElseThrow();
    RouteTable routes;
    try {
      routes = RouteTable.build(set.routes());
    } catch (IllegalArgumentException e) {
      // The checker refuses every set this could happen for (V0501–V0504); should one slip
      // through, the load fails rather than serving a set whose gateway checks all deny.
      List<Diagnostic> diags = new ArrayList<>(loaded.check().diagnostics());
      diags.add(Diagnostic.of(Code.BAD_ROUTE_TEMPLATE, Span.ofFile(from.describe()),
          "the routes cannot be built: " + e.getMessage()));
      return new Staged(new ReloadResult(false, false, previous, previous, sources, diags), Optional.empty());
    }
    ActivePolicy policy = new ActivePolicy(set, routes, clock.instant(), fileNames(from, sources));
    return new Staged(new ReloadResult(true, false, set.version(), previous, sources, loaded.diagnostics()),
        Optional.of(policy));
  }

  @Override
  public ReloadResult lastReload() {
    return lastReload.get();
  }

  private static List<String> fileNames(PolicySource from, SourceSet sources) {
    List<String> names = new ArrayList<>();
    for (Source s : sources.policies()) {
      names.add(from.relativeName(s.name()));
    }
    for (Source s : sources.entityData()) {
      names.add(from.relativeName(s.name()));
    }
    names.sort(String::compareTo);
    return names;
  }

  @Override
  public dev.verdict.lang.plan.Plan plan(EntityData principal, String resourceType, String action,
      Map<String, Value> context) {
    Optional<ActivePolicy> policy = active();
    if (policy.isEmpty()) {
      return dev.verdict.lang.plan.Plan.of(resourceType, action, dev.verdict.lang.plan.Filter.FALSE, List.of(), "");
    }
    return plan(policy.get(), principal, resourceType, action, context);
  }

  @Override
  public dev.verdict.lang.plan.Plan plan(ActivePolicy policy, EntityData principal, String resourceType,
      String action, Map<String, Value> context) {
    Request stamped = Stamp.now(new Request(principal, principal, action, context, List.of()), clock.millis());
    return dev.verdict.lang.eval.QueryPlanner.plan(policy.set(), principal, resourceType, action, stamped.context());
  }

  private Decision notLoaded(Request request, DecideOptions options) {
    Decision d = new Decision(Decision.Outcome.DENY, List.of(),
        List.of(new EvalError("engine", Span.ofFile(source.describe()),
            "no policy set is loaded from " + source.describe() + "; every request is denied until one loads",
            EvalError.Kind.NOT_LOADED)),
        Map.of(), java.util.Set.of(), Optional.empty(), Optional.empty(), "");
    tell(request, d, null, clock.millis(), 0, options.attachment());
    return d;
  }

  private void tell(Request request, Decision d, String intent, long nowMillis, long nanos, Object attachment) {
    if (listeners.length == 0) {
      return;
    }
    DecisionEvent e = new DecisionEvent(request, d, intent, nowMillis, nanos, attachment);
    for (DecisionListener l : listeners) {
      try {
        l.onDecision(e);
      } catch (RuntimeException ex) {
        LOG.log(System.Logger.Level.WARNING, "a decision listener failed; the decision stands", ex);
      }
    }
  }
}
