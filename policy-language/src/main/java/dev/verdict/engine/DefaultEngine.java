package dev.verdict.engine;

import dev.verdict.lang.LoadResult;
import dev.verdict.lang.Verdict;
import dev.verdict.lang.eval.Authorizer;
import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.DerivedRoleMemo;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.link.Link;
import dev.verdict.lang.link.LinkRecord;
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
  /** Links added at run time; changed only under {@link #reloading}. */
  private final LinkStore links = new LinkStore();
  /** Whether {@link #reload} has run (it takes a {@link PreparedLoad} the first time); under {@link #reloading}. */
  private boolean reloaded;
  /** The clock's {@code now} set into requests, shared by those of one millisecond. */
  private final Stamp.Recent stamps = new Stamp.Recent();

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
  public Decision decide(ActivePolicy policy, Request given, DecideOptions options) {
    Request request = shaped(policy.set(), given);
    Object looked = lookUp(policy, request, options);
    if (looked instanceof Decision hit) {
      return hit;
    }
    Object ruled = rules(policy, request, options, looked);
    if (ruled instanceof Decision d) {
      return d;
    }
    Ruled r = (Ruled) ruled;
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
  public CompletionStage<Decision> decideAsync(ActivePolicy policy, Request given, DecideOptions options) {
    Request request = shaped(policy.set(), given);
    Object looked = lookUpAsync(policy, request, options);
    if (looked instanceof CompletionStage<?> pending) {
      return pending.thenCompose(l -> decidedAsync(policy, request, options, l));
    }
    return decidedAsync(policy, request, options, looked);
  }

  /** The rest of {@link #decideAsync(ActivePolicy, Request, DecideOptions)} once the cache answered. */
  private CompletionStage<Decision> decidedAsync(ActivePolicy policy, Request request, DecideOptions options,
      Object looked) {
    if (looked instanceof Decision hit) {
      return CompletableFuture.completedFuture(hit);
    }
    Object ruled = rules(policy, request, options, looked);
    if (ruled instanceof Decision d) {
      return CompletableFuture.completedFuture(d);
    }
    Ruled r = (Ruled) ruled;
    return r.final_() ? CompletableFuture.completedFuture(r.told(this)) : limited(policy, r, options);
  }

  /**
   * A batch shares what its items share: one reading of the clock and one stamped context for
   * all of them (the batch is one question asked at one time), instead of a clock reading, a
   * {@code now} value and a context copy per item. Items are decided in order, as one by one.
   */
  @Override
  public List<Decision> decideBatch(EntityData principal, List<EntityData> resources, List<String> actions,
      Map<String, Value> context, List<EntityData> entities, DecideOptions options) {
    ActivePolicy policy = active.get();
    if (policy == null) {
      return Engine.super.decideBatch(principal, resources, actions, context, entities, options);
    }
    Batch batch = new Batch(policy, context, entities, options, clock.millis());
    List<Decision> out = new ArrayList<>(resources.size() * actions.size());
    for (EntityData resource : resources) {
      for (String action : actions) {
        Object answer = batch.decide(principal, resource, action);
        out.add(answer instanceof Decision d ? d : join(stage(answer)));
      }
    }
    return out;
  }

  @Override
  public CompletionStage<List<Decision>> decideBatchAsync(EntityData principal, List<EntityData> resources,
      List<String> actions, Map<String, Value> context, List<EntityData> entities, DecideOptions options) {
    ActivePolicy policy = active.get();
    if (policy == null) {
      return Engine.super.decideBatchAsync(principal, resources, actions, context, entities, options);
    }
    Batch batch = new Batch(policy, context, entities, options, clock.millis());
    List<CompletableFuture<Decision>> all = new ArrayList<>(resources.size() * actions.size());
    for (EntityData resource : resources) {
      for (String action : actions) {
        all.add(batch.decideAsync(principal, resource, action).toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenApply(x -> all.stream().map(CompletableFuture::join).toList());
  }

  @SuppressWarnings("unchecked")
  private static CompletionStage<Decision> stage(Object answer) {
    return (CompletionStage<Decision>) answer;
  }

  private static CompletionStage<Decision> asStage(Object answer) {
    return answer instanceof Decision d ? CompletableFuture.completedFuture(d) : stage(answer);
  }

  /** One batch's shared state: its policy, its time and its context stamped with it (made once, when first needed). */
  private final class Batch {
    private final ActivePolicy policy;
    private final Map<String, Value> context;
    private final List<EntityData> entities;
    private final DecideOptions options;
    private final long nowMillis;
    private Map<String, Value> stamped;
    /** The derived roles settled for the current principal and resource, shared by their actions. */
    private final DerivedRoleMemo roles = new DerivedRoleMemo();

    Batch(ActivePolicy policy, Map<String, Value> context, List<EntityData> entities, DecideOptions options,
        long nowMillis) {
      this.policy = policy;
      this.context = Map.copyOf(context);
      this.entities = List.copyOf(entities);
      this.options = options;
      this.nowMillis = nowMillis;
    }

    /** The decision, or its stage when a budget store has yet to answer. */
    Object decide(EntityData principal, EntityData resource, String action) {
      Request request = shaped(policy.set(), new Request(principal, resource, action, context, entities));
      return decided(request, lookUp(policy, request, options), roles);
    }

    /** The same, without waiting for a decision cache in another process either: always a stage. */
    CompletionStage<Decision> decideAsync(EntityData principal, EntityData resource, String action) {
      Request request = shaped(policy.set(), new Request(principal, resource, action, context, entities));
      Object looked = lookUpAsync(policy, request, options);
      if (looked instanceof CompletionStage<?> pending) {
        // completed later, perhaps on another thread than the items after it: no shared roles
        return pending.thenCompose(l -> asStage(decided(request, l, null)));
      }
      return asStage(decided(request, looked, roles));
    }

    private Object decided(Request request, Object looked, DerivedRoleMemo memo) {
      if (looked instanceof Decision hit) {
        return hit;
      }
      Map<String, Value> itemContext;
      if (request.context() != context) {
        // the item's action read its own context attributes: its context is its own (the memo
        // sees another context object and settles its roles afresh)
        itemContext = Stamp.now(request, nowMillis).context();
      } else {
        if (stamped == null) {
          stamped = Stamp.now(request, nowMillis).context();
        }
        itemContext = stamped;
      }
      Object ruled = rules(policy, request, itemContext, memo, nowMillis, options, looked);
      if (ruled instanceof Decision d) {
        return d;
      }
      Ruled r = (Ruled) ruled;
      return r.final_() ? r.told(DefaultEngine.this) : limited(policy, r, options);
    }
  }

  /**
   * {@link #lookUp} without waiting for a cache that asks another process: its answer when the
   * cache had it at hand, else a stage of that answer (a cache that fails counts as a miss).
   */
  private Object lookUpAsync(ActivePolicy policy, Request request, DecideOptions options) {
    if (cache == null || options.explain()) {
      return lookUp(policy, request, options);
    }
    refuseUndeclaredIntent(policy.set(), request);
    DecisionKey key = keyFor(policy.set(), request, options);
    if (key == null) {
      return null;
    }
    CompletableFuture<Decision> found = cache.getAsync(key).toCompletableFuture();
    if (found.isDone()) {
      return found(policy.set(), request, options, key, found.isCompletedExceptionally() ? null : found.join());
    }
    return found.handle((d, failure) -> found(policy.set(), request, options, key, failure == null ? d : null));
  }

  /** {@link #lookUp}'s answer given what the cache found under {@code key} (null: nothing). */
  private Object found(PolicySet set, Request request, DecideOptions options, DecisionKey key, Decision d) {
    if (d == null) {
      return key;
    }
    boolean final_ = !options.consumeBudget() || !d.allowed() || !RateLimiter.hasLimits(set, request);
    if (final_ && listeners.length == 0) {
      return d;
    }
    return new Hit(key, d);
  }

  /**
   * What the rules decided, before budgets.
   *
   * @param request the request as given; {@code stamped} is its context with the clock's
   *     {@code now}, made only when something reads it (a cache hit never does: cacheable
   *     decisions do not depend on the time)
   * @param final_ no budget applies (a denial, a what-if question, or no limit to consult)
   */
  private record Ruled(Request request, Map<String, Value> stamped, Decision decision, long nowMillis, long start,
      Object attachment, PolicySet set, boolean final_) {
    Decision told(DefaultEngine engine) {
      if (engine.listeners.length > 0) {
        Request r = stampedRequest(engine);
        engine.tell(r, decision, Intents.of(set, r), nowMillis, System.nanoTime() - start, attachment);
      }
      return decision;
    }

    /** The request as decided, with its stamped context: made for listeners and budgets only. */
    Request stampedRequest(DefaultEngine engine) {
      return stamped != null
          ? new Request(request.principal(), request.resource(), request.action(), stamped, request.entities())
          : engine.stamps.now(request, nowMillis);
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
    DecisionKey key = keyFor(set, request, options);
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

  private static void refuseUndeclaredIntent(PolicySet set, Request request) {
    if (request.context().containsKey(ContextKeys.INTENT)) {
      RateLimiter.undeclaredIntent(set, request).ifPresent(message -> {
        throw new RequestRefused("$.context.intent", message);
      });
    }
  }

  /**
   * The cache key of {@code request}: the set's version, what the rules read and, when an entity
   * store holds records, its revision (a write makes every older answer unreachable); null when
   * the decision must not be cached.
   */
  private DecisionKey keyFor(PolicySet set, Request request, DecideOptions options) {
    EntitySource stored = entitiesFor(options);
    String tag = stored.isEmpty() ? "" : stored.cacheTag();
    return tag == null ? null : DecisionKey.of(set, request, tag);
  }

  /** A cache hit that still has budgets to apply or listeners to tell. */
  private record Hit(DecisionKey key, Decision decision) {}

  private Object rules(ActivePolicy policy, Request request, DecideOptions options, Object looked) {
    return rules(policy, request, null, null, clock.millis(), options, looked);
  }

  /**
   * @param given {@code request}'s context stamped with {@code nowMillis} already (a batch's items share one
   *     stamp), or null; the decision reads it beside the request, so no stamped copy of the request is made
   * @param memo the batch's derived roles, or null for a decision on its own
   * @return the decision itself when it is the whole answer (no budget to apply, no listener to
   *     tell: most decisions, which then allocate no intermediate record), else a {@link Ruled}
   */
  private Object rules(ActivePolicy policy, Request request, Map<String, Value> given, DerivedRoleMemo memo,
      long nowMillis, DecideOptions options, Object looked) {
    // the decision's duration is for listeners only: no clock read when none listens
    long start = listeners.length > 0 ? System.nanoTime() : 0;
    PolicySet set = policy.set();
    Decision d = looked instanceof Hit h ? h.decision() : null;
    DecisionKey key = looked instanceof DecisionKey k ? k : null;
    Map<String, Value> stamped = null;
    if (d == null) {
      stamped = given != null ? given : stamps.context(request, nowMillis);
      d = evaluate(set, request, stamped, options, memo);
      if (key != null && key.storable()) {
        cache.put(key, d);
      }
    }
    // without a limit to consult there is no budget store to wait for: answered at once, no stage
    boolean final_ = !options.consumeBudget() || !d.allowed() || !RateLimiter.hasLimits(set, request);
    if (final_ && listeners.length == 0) {
      return d;
    }
    return new Ruled(request, stamped, d, nowMillis, start, options.attachment(), set, final_);
  }

  private EntitySource entitiesFor(DecideOptions options) {
    return options.entities() != null ? options.entities() : entities;
  }

  /** The rules' decision, reading the entity store when it holds anything; a store that cannot answer denies. */
  private Decision evaluate(PolicySet set, Request request, Map<String, Value> stamped, DecideOptions options,
      DerivedRoleMemo memo) {
    EntitySource stored = entitiesFor(options);
    if (stored.isEmpty()) {
      return Authorizer.decide(set, request, stamped, options.explain(), null, memo);
    }
    try {
      return Authorizer.decide(set, request, stamped, options.explain(), stored::find, memo);
    } catch (EntitySource.Unavailable e) {
      return new Decision(Decision.Outcome.DENY, List.of(),
          List.of(new EvalError("engine", Span.ofFile("entity store"), e.getMessage(),
              EvalError.Kind.ENTITIES_UNAVAILABLE)),
          Map.of(), java.util.Set.of(), Optional.empty(), Optional.empty(), set.version());
    }
  }

  private CompletionStage<Decision> limited(ActivePolicy policy, Ruled r, DecideOptions options) {
    Request stamped = r.stampedRequest(this);
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
    if (principal == Routes.ANONYMOUS && !(match instanceof RouteMatch.Matched m0 && m0.route().isPublic())) {
      // not a decision (nor an unrouted request to log): the caller asks for a token
      return CompletableFuture.completedFuture(new GatewayCheck.Unrouted(Routes.TOKEN_REQUIRED,
          "a bearer token is required: the route is not public", policy.version()));
    }
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
   * {@code r} checked against what its action declares ({@code action NAME { … }}): a principal
   * or resource of another type, a missing required context attribute or one of the wrong type
   * refuses the request, naming the JSON path, on every path that decides.
   */
  private static Request shaped(PolicySet set, Request r) {
    try {
      return set.types().forAction(r);
    } catch (Values.JsonValueException e) {
      throw new RequestRefused(e.path(), e.getMessage());
    }
  }

  /**
   * A plan's request checked against what its action declares, as {@link #shaped} checks a
   * decision's: its resources are known by their type alone, which the plan's request names
   * {@code $.resourceType}. Returns the context with the action's attributes read by their types.
   */
  private static Map<String, Value> planShaped(PolicySet set, EntityData principal, String resourceType,
      String action, Map<String, Value> context) {
    try {
      return set.types().forAction(action, principal.uid().type(), resourceType, context);
    } catch (Values.JsonValueException e) {
      throw new RequestRefused(e.path().equals("$.resource.type") ? "$.resourceType" : e.path(), e.getMessage());
    }
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
      Optional<PreparedLoad> prepared = reloaded ? Optional.empty() : PreparedLoad.take();
      reloaded = true;
      Staged staged = compile(source, before, prepared);
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
    return compile(other, active.get(), Optional.empty());
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

  @Override
  public LinkChange addLink(LinkRecord link) {
    synchronized (reloading) {
      ActivePolicy now = active.get();
      if (now == null) {
        return new LinkChange(LinkChange.Status.NOT_LOADED, "", List.of(), "no policy set is loaded yet");
      }
      List<String> taken = now.set().links().stream().map(Link::id).toList();
      List<Diagnostic> problems = now.set().checkLinks(List.of(link), taken);
      if (!problems.isEmpty()) {
        return new LinkChange(LinkChange.Status.REFUSED, now.version(), problems, problems.get(0).message());
      }
      String full = links.full(link.link());
      if (full != null) {
        return new LinkChange(LinkChange.Status.FULL, now.version(), List.of(), full + "; delete links that are no "
            + "longer needed, or write them into a `*.links.json` file of the policy set");
      }
      ActivePolicy next = withSet(now, now.set().withLinks(links.with(link.link())));
      links.add(link.link());
      active.set(next);
      return new LinkChange(LinkChange.Status.DONE, next.version(), List.of(), "link " + link.link().id() + " added",
          Optional.of(link.link()));
    }
  }

  @Override
  public LinkChange removeLink(String id) {
    synchronized (reloading) {
      ActivePolicy now = active.get();
      if (now == null) {
        return new LinkChange(LinkChange.Status.NOT_LOADED, "", List.of(), "no policy set is loaded yet");
      }
      if (!links.contains(id)) {
        boolean inFile = now.set().links().stream().anyMatch(l -> l.id().equals(id));
        return new LinkChange(LinkChange.Status.NOT_FOUND, now.version(), List.of(), inFile
            ? "link " + id + " is written in a `*.links.json` file of the policy set: remove it there and reload"
            : "no link added over the API has the id " + id);
      }
      ActivePolicy next = withSet(now, now.set().withLinks(links.without(id)));
      links.remove(id);
      active.set(next);
      return new LinkChange(LinkChange.Status.DONE, next.version(), List.of(), "link " + id + " removed");
    }
  }

  @Override
  public List<Link> addedLinks() {
    synchronized (reloading) {
      return links.all();
    }
  }

  private static ActivePolicy withSet(ActivePolicy p, PolicySet set) {
    return new ActivePolicy(set, p.routes(), p.loadedAt(), p.files());
  }

  /**
   * The links added at run time, applied to a newly compiled set; diagnostics (V1504: the
   * template is gone, V1505: its slots changed, V1506: a file now has the id) when they no
   * longer fit, which refuse the set.
   */
  private static List<Diagnostic> relink(PolicySet set, List<Link> added, String describe) {
    if (added.isEmpty()) {
      return List.of();
    }
    List<LinkRecord> records = new ArrayList<>();
    for (Link l : added) {
      records.add(new LinkRecord(l, Span.ofFile("link " + l.id() + " (added over the API)"), "$"));
    }
    List<Diagnostic> problems = new ArrayList<>();
    for (Diagnostic d : set.checkLinks(records, set.links().stream().map(Link::id).toList())) {
      problems.add(d.withHelp(d.help().orElse("") + "; the link was added over the API: delete it "
          + "(DELETE /v1/policies/links/{id}) or keep its template in " + describe));
    }
    return problems;
  }

  /**
   * Reads and compiles {@code from}, or takes {@code prepared}'s compile when it is of exactly
   * the files read; the result says nothing changed (callers decide that).
   */
  private Staged compile(PolicySource from, ActivePolicy before, Optional<PreparedLoad> prepared) {
    String previous = before == null ? "" : before.version();
    SourceSet sources = from.read();
    LoadResult loaded = prepared.flatMap(p -> p.resultFor(from, sources))
        .orElseGet(() -> Verdict.load(sources, from::relativeName));
    if (!loaded.ok()) {
      return new Staged(new ReloadResult(false, false, previous, previous, sources, loaded.diagnostics()),
          Optional.empty());
    }
    PolicySet set = loaded.policySet().orElseThrow();
    List<Link> added = addedLinks();
    List<Diagnostic> linkProblems = relink(set, added, from.describe());
    if (!linkProblems.isEmpty()) {
      List<Diagnostic> diags = new ArrayList<>(loaded.diagnostics());
      diags.addAll(linkProblems);
      return new Staged(new ReloadResult(false, false, previous, previous, sources, diags), Optional.empty());
    }
    if (!added.isEmpty()) {
      set = set.withLinks(added);
    }
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
    Request stamped = Stamp.now(new Request(principal, principal, action,
        planShaped(policy.set(), principal, resourceType, action, context), List.of()), clock.millis());
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
