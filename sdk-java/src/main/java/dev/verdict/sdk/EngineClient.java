package dev.verdict.sdk;

import dev.verdict.engine.Engine;
import dev.verdict.engine.GatewayCheck;
import dev.verdict.engine.ReloadResult;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.EvalError;
import dev.verdict.lang.eval.RateDecision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.eval.Values;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Decides in this process through the {@link Engine}. Principals and resources go through the
 * same JSON reading as the server's native API, so both modes read attributes identically.
 */
final class EngineClient implements EmbeddedVerdictClient {
  private final Engine engine;
  private final Masks masks;
  private final Fallback fallback;
  private final AutoCloseable watcher;
  private final ContextMemo contexts = new ContextMemo();

  EngineClient(Engine engine, Masks masks, Fallback fallback,
      java.util.function.Function<EmbeddedVerdictClient, AutoCloseable> watch) {
    this.engine = engine;
    this.masks = masks;
    this.fallback = fallback;
    this.watcher = watch.apply(this);
  }

  @Override
  public CompletableFuture<Decision> checkAsync(Principal principal, Resource resource, String action,
      Map<String, ?> context) {
    return CompletableFuture.completedFuture(check(principal, resource, action, context));
  }

  /** One question straight to the engine: the same answer as a batch of one, without the lists. */
  @Override
  public Decision check(Principal principal, Resource resource, String action, Map<String, ?> context) {
    Objects.requireNonNull(principal, "principal is null");
    Objects.requireNonNull(resource, "a resource is null");
    Objects.requireNonNull(action, "action is null");
    try {
      ValueTypes types = types();
      Request r = new Request(EngineValues.principal(principal, types),
          EngineValues.resource(resource, "$.resources[0]", types), action,
          contexts.read(Objects.requireNonNull(context, "context is null"), types), List.of());
      return convert(engine.decide(r, dev.verdict.engine.DecideOptions.ENFORCE));
    } catch (Values.JsonValueException | dev.verdict.engine.RequestRefused e) {
      String path = e instanceof Values.JsonValueException j ? j.path() : ((dev.verdict.engine.RequestRefused) e).path();
      return Closed.answer(fallback, masks, principal, resource, action,
          "the request is invalid at " + path + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return Closed.answer(fallback, masks, principal, resource, action,
          "the engine failed: " + e.getClass().getSimpleName());
    }
  }

  @Override
  public CompletableFuture<List<Decision>> checkAllAsync(Principal principal, List<Resource> resources,
      List<String> actions, Map<String, ?> context) {
    return CompletableFuture.completedFuture(checkAll(principal, resources, actions, context));
  }

  private List<Decision> checkAll(Principal principal, List<Resource> resources, List<String> actions,
      Map<String, ?> context) {
    Objects.requireNonNull(principal, "principal is null");
    resources.forEach(r -> Objects.requireNonNull(r, "a resource is null"));
    List<String> distinct = List.copyOf(new LinkedHashSet<>(actions));
    try {
      ValueTypes types = types();
      EntityData p = EngineValues.principal(principal, types);
      List<EntityData> rs = new ArrayList<>();
      for (int i = 0; i < resources.size(); i++) {
        rs.add(EngineValues.resource(resources.get(i), "$.resources[" + i + "]", types));
      }
      Map<String, Value> c = contexts.read(Objects.requireNonNull(context, "context is null"), types);
      List<Decision> out = new ArrayList<>();
      for (dev.verdict.lang.eval.Decision d : engine.decideBatch(p, rs, distinct, c, List.of(),
          dev.verdict.engine.DecideOptions.ENFORCE)) {
        out.add(convert(d));
      }
      return out;
    } catch (Values.JsonValueException e) {
      return closed(principal, resources, distinct, "the request is invalid at " + e.path() + ": " + e.getMessage());
    } catch (dev.verdict.engine.RequestRefused e) {
      return closed(principal, resources, distinct, "the request is invalid at " + e.path() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return closed(principal, resources, distinct, "the engine failed: " + e.getClass().getSimpleName());
    }
  }

  /** How the served set declares values, so the SDK's values arrive typed as over HTTP. */
  private ValueTypes types() {
    return engine.active().map(a -> a.set().types()).orElse(ValueTypes.NONE);
  }

  private List<Decision> closed(Principal p, List<Resource> resources, List<String> actions, String why) {
    return Closed.answers(fallback, masks, p, resources, actions, why);
  }

  @Override
  public Decision check(String method, String pathAndQuery, Principal principal, Map<String, ?> context) {
    Objects.requireNonNull(principal, "principal is null");
    try {
      ValueTypes types = types();
      EntityData p = EngineValues.principal(principal, types);
      GatewayCheck g = engine.check(method, pathAndQuery, p,
          EngineValues.context(Objects.requireNonNull(context, "context is null"), types));
      if (g instanceof GatewayCheck.Routed routed) {
        return convert(routed.decision());
      }
      GatewayCheck.Unrouted u = (GatewayCheck.Unrouted) g;
      return new Decision(Decision.Outcome.DENY, List.of(u.reason()), List.of(), Map.of(), java.util.Set.of(),
          Optional.empty(), u.version(), "", Optional.empty(), masks);
    } catch (Values.JsonValueException e) {
      return Closed.answer(fallback, masks, principal, Resource.of("Route", pathAndQuery), method,
          "the principal is invalid at " + e.path() + ": " + e.getMessage());
    } catch (dev.verdict.engine.RequestRefused e) {
      return Closed.answer(fallback, masks, principal, Resource.of("Route", pathAndQuery), method,
          "the request is invalid at " + e.path() + ": " + e.getMessage());
    } catch (RuntimeException e) {
      return Closed.answer(fallback, masks, principal, Resource.of("Route", pathAndQuery), method,
          "the engine failed: " + e.getClass().getSimpleName());
    }
  }

  /** The engine's decision as the server writes it, so both modes answer alike. */
  private Decision convert(dev.verdict.lang.eval.Decision d) {
    List<String> errors = List.of();
    if (!d.errors().isEmpty()) {
      errors = new ArrayList<>();
      for (EvalError e : d.errors()) {
        errors.add(e.ruleId() + ": " + e.message());
      }
    }
    Decision.Outcome o = switch (d.outcome()) {
      case ALLOW -> Decision.Outcome.ALLOW;
      case DENY -> Decision.Outcome.DENY;
      case RATE_LIMITED -> Decision.Outcome.RATE_LIMITED;
    };
    // The engine denies everything while no set has loaded; that is a failure to decide, not a policy's answer.
    Optional<String> failure = engine.active().isEmpty()
        ? Optional.of("no policy set is loaded (" + notLoaded() + ")") : Optional.empty();
    return new Decision(o, d.reasons(), errors, d, d.rate().map(EngineClient::rate), d.policyVersion(), failure,
        masks);
  }

  private static Rate rate(RateDecision r) {
    return new Rate(r.intent(), r.limit(), r.quota(), r.remaining(), ceil(r.resetAfter()), ceil(r.retryAfter()));
  }

  /** Whole seconds rounded up, as the server's {@code retry_after}. */
  private static Duration ceil(Duration d) {
    return Duration.ofSeconds(d.getSeconds() + (d.getNano() > 0 ? 1 : 0));
  }

  private String notLoaded() {
    var diags = engine.lastReload().diagnostics();
    return diags.isEmpty() ? "never loaded" : Transport.safe(diags.get(0).message());
  }

  @Override
  public dev.verdict.sdk.plan.PlanFilter plan(Principal principal, String resourceType, String action,
      Map<String, ?> context) {
    Objects.requireNonNull(principal, "principal is null");
    Objects.requireNonNull(resourceType, "resourceType is null");
    Objects.requireNonNull(action, "action is null");
    if (engine.active().isEmpty()) {
      return dev.verdict.sdk.plan.PlanFilter.failed(resourceType, "no policy set is loaded (" + notLoaded() + ")");
    }
    try {
      ValueTypes types = types();
      dev.verdict.lang.plan.Plan p = engine.plan(EngineValues.principal(principal, types), resourceType, action,
          EngineValues.context(Objects.requireNonNull(context, "context is null"), types));
      return dev.verdict.sdk.plan.PlanFilter.parse(dev.verdict.lang.plan.PlanJson.write(p));
    } catch (dev.verdict.lang.plan.PlanUnsupported e) {
      return dev.verdict.sdk.plan.PlanFilter.failed(resourceType, "the rules cannot be planned ("
          + Transport.safe(String.valueOf(e.getMessage())) + "); decide per resource instead");
    } catch (Values.JsonValueException e) {
      return dev.verdict.sdk.plan.PlanFilter.failed(resourceType, "the request is invalid at " + e.path() + ": "
          + e.getMessage());
    } catch (dev.verdict.engine.RequestRefused e) {
      return dev.verdict.sdk.plan.PlanFilter.failed(resourceType, "the request is invalid at " + e.path() + ": "
          + e.getMessage());
    } catch (RuntimeException e) {
      return dev.verdict.sdk.plan.PlanFilter.failed(resourceType, "the engine failed: "
          + e.getClass().getSimpleName());
    }
  }

  @Override
  public ReloadResult reload() {
    return engine.reload();
  }

  Engine engine() {
    return engine;
  }

  @Override
  public void close() {
    try {
      watcher.close();
    } catch (Exception e) {
      // Stopping a daemon thread cannot fail in a way the caller could act on.
    }
  }
}
