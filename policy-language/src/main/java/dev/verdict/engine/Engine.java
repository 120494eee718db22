package dev.verdict.engine;

import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.rate.BudgetStore;
import dev.verdict.lang.rate.InMemoryBudgetStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Verdict's decision pipeline, with no transport: the server's endpoints, {@code verdict eval},
 * {@code verdict test} and an embedding service all decide through one engine. It holds the
 * active policy set (swapped atomically by {@link #reload}), stamps each request with its
 * clock's {@code now}, evaluates the rules, masks and derived roles, applies the rate limits
 * of the request's intent to the budget store, and tells its listeners.
 *
 * <pre>{@code
 * Engine engine = Engine.builder(PolicySource.directory(Path.of("policies/banking"))).build();
 * Decision d = engine.decide(request);
 * }</pre>
 *
 * <p>Thread-safe. Deciding is CPU-bound and does not block as long as the budget store answers
 * in memory; {@link #reload} reads files and must not run on an event loop.
 */
public interface Engine {

  /** A builder reading its policies from {@code source}. */
  static Builder builder(PolicySource source) {
    return new Builder(Objects.requireNonNull(source, "source is null"), null);
  }

  /**
   * A builder for an engine that serves {@code policy}, already compiled, and has no source to
   * reload from ({@code verdict test} decides each test line this way, on its own clock and
   * budgets).
   */
  static Builder builder(ActivePolicy policy) {
    return new Builder(null, Objects.requireNonNull(policy, "policy is null"));
  }

  /**
   * Reads and compiles {@code source} now, for the first load of the next engine built: a
   * process can compile its set while it is still starting up (the server does it while its
   * command line is parsed). That engine uses the result only if its own fresh read of the
   * source gives exactly the same files, so a file changed meanwhile is compiled again;
   * either way the result is dropped at that first load and no other engine sees it. Blocking.
   *
   * @return whether the set compiled without errors
   */
  static boolean prepare(PolicySource source) {
    return PreparedLoad.prepare(Objects.requireNonNull(source, "source is null")).ok();
  }

  /** The policy set being served; empty only while no set has ever loaded. */
  Optional<ActivePolicy> active();

  /**
   * Decides one request against the active set, as an enforcement point asks: rate limits
   * apply. With no set loaded the answer is a deny that says so (fail closed).
   *
   * @throws RequestRefused when the request names a {@code context.intent} that no route or
   *     limit declares
   */
  default Decision decide(Request request) {
    return decide(request, DecideOptions.ENFORCE);
  }

  Decision decide(Request request, DecideOptions options);

  /** Decides against a given set, for callers that answer several questions on one version. */
  Decision decide(ActivePolicy policy, Request request, DecideOptions options);

  /**
   * Every action for every resource, one principal, all against one set: the answers in
   * resource-major order ({@code resources[0]} with each action, then {@code resources[1]} …).
   * The batch is one question asked at one time: every decision sees the same {@code context.now}.
   */
  default List<Decision> decideBatch(EntityData principal, List<EntityData> resources, List<String> actions,
      Map<String, Value> context, List<EntityData> entities, DecideOptions options) {
    Optional<ActivePolicy> policy = active();
    List<Decision> out = new ArrayList<>(resources.size() * actions.size());
    for (EntityData resource : resources) {
      for (String action : actions) {
        Request r = new Request(principal, resource, action, context, entities);
        out.add(policy.isPresent() ? decide(policy.get(), r, options) : decide(r, options));
      }
    }
    return out;
  }

  /** {@link #decideBatch(EntityData, List, List, Map, List, DecideOptions)} with no context and budgets applied. */
  default List<Decision> decideBatch(EntityData principal, List<EntityData> resources, List<String> actions) {
    return decideBatch(principal, resources, actions, Map.of(), List.of(), DecideOptions.ENFORCE);
  }

  /**
   * The route-aware check a gateway asks: matches {@code method} and {@code pathAndQuery}
   * against the active set's routes, builds the request the route describes (its resource
   * type, the id it binds, its action, its intent, the path parameters as
   * {@code context.params}, plus {@code context.method} and {@code context.path}) and decides
   * it. {@code context} carries what the transport knows (the client's {@code ip}, claims).
   */
  GatewayCheck check(String method, String pathAndQuery, EntityData principal, Map<String, Value> context,
      DecideOptions options);

  default GatewayCheck check(String method, String pathAndQuery, EntityData principal, Map<String, Value> context) {
    return check(method, pathAndQuery, principal, context, DecideOptions.ENFORCE);
  }

  /**
   * The same as {@link #decide(Request, DecideOptions)}, completed when the budget store has
   * answered: a store in another process (a cluster's) completes it later, without blocking the
   * calling thread.
   */
  CompletionStage<Decision> decideAsync(Request request, DecideOptions options);

  /** {@link #decide(ActivePolicy, Request, DecideOptions)}, completed when the budget store has answered. */
  CompletionStage<Decision> decideAsync(ActivePolicy policy, Request request, DecideOptions options);

  /** {@link #decideBatch}, completed when every decision's budgets have been answered; in order. */
  default CompletionStage<List<Decision>> decideBatchAsync(EntityData principal, List<EntityData> resources,
      List<String> actions, Map<String, Value> context, List<EntityData> entities, DecideOptions options) {
    Optional<ActivePolicy> policy = active();
    List<CompletableFuture<Decision>> all = new ArrayList<>(resources.size() * actions.size());
    for (EntityData resource : resources) {
      for (String action : actions) {
        Request r = new Request(principal, resource, action, context, entities);
        all.add((policy.isPresent() ? decideAsync(policy.get(), r, options) : decideAsync(r, options))
            .toCompletableFuture());
      }
    }
    return CompletableFuture.allOf(all.toArray(new CompletableFuture<?>[0]))
        .thenApply(x -> all.stream().map(CompletableFuture::join).toList());
  }

  /**
   * The query plan for a list endpoint: under which condition on a resource of
   * {@code resourceType} the active set allows {@code principal} to do {@code action}, with the
   * request's {@code context} (stamped with the clock's {@code now}, as a decision is). The
   * resource's attributes, id and parents are the unknowns; a service turns the plan's filter
   * into a database query (see the SDK's {@code dev.verdict.sdk.plan}). With no set loaded the
   * plan is {@code ALWAYS_DENIED} (fail closed). Rate limits do not take part: a plan says what
   * the rules allow, a decision on the listed resource still consumes budgets.
   *
   * @throws dev.verdict.lang.plan.PlanUnsupported when a rule reads the resource in a way
   *     filters cannot express; the caller then decides per resource
   * @throws RequestRefused when the request does not fit the action's declared shape
   *     ({@code action NAME { … }}): a principal or resource type it does not apply to
   *     ({@code $.principal.type}, {@code $.resourceType}), a required context attribute missing
   *     or of the wrong type ({@code $.context.NAME})
   */
  dev.verdict.lang.plan.Plan plan(EntityData principal, String resourceType, String action,
      Map<String, Value> context);

  /** {@link #plan(EntityData, String, String, Map)} against a given set, for callers that hold one version. */
  dev.verdict.lang.plan.Plan plan(ActivePolicy policy, EntityData principal, String resourceType, String action,
      Map<String, Value> context);

  /** {@link #plan(EntityData, String, String, Map)} with an empty context. */
  default dev.verdict.lang.plan.Plan plan(EntityData principal, String resourceType, String action) {
    return plan(principal, resourceType, action, Map.of());
  }

  CompletionStage<GatewayCheck> checkAsync(String method, String pathAndQuery, EntityData principal,
      Map<String, Value> context, DecideOptions options);

  /**
   * Reads and compiles the source again and, if it compiles to another version, serves it from
   * the next decision on; a set that does not compile is refused and the previous one keeps
   * serving. Reloads are serialised. Blocking: never call it on an event loop.
   */
  ReloadResult reload();

  /** What the last reload did (the first load included). */
  ReloadResult lastReload();

  /**
   * Reads and compiles another source without serving it: the first phase of a switch that
   * several engines must make together (a cluster activating a pushed bundle). The result's
   * policy is present when the set compiled; {@link #activate} serves it.
   */
  Staged stage(PolicySource source);

  /** Serves a staged set from the next decision on (the second phase). */
  void activate(ActivePolicy policy);

  /**
   * Adds a link to the served set, checked against its templates (V15xx problems refuse it). The
   * link is kept by the engine apart from the policy files: every later reload or staged set gets
   * it again, and a set whose templates no longer fit it is refused. Serialised with reloads.
   */
  LinkChange addLink(dev.verdict.lang.link.LinkRecord link);

  /** Removes a link added with {@link #addLink}; links of {@code *.links.json} files are edited there. */
  LinkChange removeLink(String id);

  /** The links added with {@link #addLink}, oldest first. */
  java.util.List<dev.verdict.lang.link.Link> addedLinks();

  /**
   * A compiled set not yet served.
   *
   * @param result the diagnostics and version of the attempt ({@code changed} is false: nothing
   *     changed yet)
   * @param policy the compiled set, present when the attempt succeeded
   */
  record Staged(ReloadResult result, Optional<ActivePolicy> policy) {}

  /** Builds an engine; {@link #build} loads the set once (see {@link Engine#active()}). */
  final class Builder {
    private final PolicySource source;
    private final ActivePolicy compiled;
    private Clock clock = Clock.systemUTC();
    private BudgetStore budgets;
    private DecisionCache cache;
    private EntitySource entities = EntitySource.NONE;
    private final List<DecisionListener> listeners = new ArrayList<>();

    Builder(PolicySource source, ActivePolicy compiled) {
      this.source = source;
      this.compiled = compiled;
    }

    /** The clock that stamps {@code context.now} and drives rate budgets; UTC system time by default. */
    public Builder clock(Clock c) {
      this.clock = Objects.requireNonNull(c, "clock is null");
      return this;
    }

    /** Where rate budgets live; a bounded in-memory store of this process by default. */
    public Builder budgets(BudgetStore store) {
      this.budgets = Objects.requireNonNull(store, "store is null");
      return this;
    }

    /** Caches decisions that can be cached (see {@link DecisionCache}); none by default. */
    public Builder cache(DecisionCache c) {
      this.cache = Objects.requireNonNull(c, "cache is null");
      return this;
    }

    /** Entity data kept at runtime, read between the request's and the data files' (none by default). */
    public Builder entities(EntitySource source) {
      this.entities = Objects.requireNonNull(source, "source is null");
      return this;
    }

    /** Adds a listener, told of every decision in the order listeners were added. */
    public Builder listener(DecisionListener l) {
      listeners.add(Objects.requireNonNull(l, "listener is null"));
      return this;
    }

    /**
     * The engine, with the source loaded once. A source that does not compile still gives an
     * engine (it denies every request until a reload succeeds); {@link Engine#active()} and
     * {@link Engine#lastReload()} say so. Use {@link #buildOrThrow} where a broken set
     * should stop the program.
     */
    public Engine build() {
      DefaultEngine e = new DefaultEngine(source, clock, budgets == null ? new InMemoryBudgetStore() : budgets,
          cache, entities, listeners);
      if (compiled != null) {
        e.activate(compiled);
      } else {
        e.reload();
      }
      return e;
    }

    /**
     * The engine with nothing loaded yet: the owner's first {@link Engine#reload} loads the set
     * (a server reports that first load itself).
     */
    public Engine buildUnloaded() {
      if (compiled != null) {
        throw new IllegalStateException("an engine over a compiled set is loaded already; use build()");
      }
      return new DefaultEngine(source, clock, budgets == null ? new InMemoryBudgetStore() : budgets, cache, entities,
          listeners);
    }

    /** The engine, or an exception whose message renders the set's diagnostics. */
    public Engine buildOrThrow() {
      if (compiled != null) {
        return build();
      }
      DefaultEngine e = new DefaultEngine(source, clock, budgets == null ? new InMemoryBudgetStore() : budgets,
          cache, entities, listeners);
      ReloadResult r = e.reload();
      if (!r.ok()) {
        throw new IllegalStateException("the policy set in " + source.describe() + " does not load:\n"
            + r.render());
      }
      return e;
    }
  }
}
