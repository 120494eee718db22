package dev.verdict.sdk;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.engine.ActivePolicy;
import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.lang.route.RouteMatch;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** Asks a decision point over HTTP; see {@link RemoteBuilder}. */
final class RemoteClient implements VerdictClient {
  private static final JsonNode EMPTY = Json.MAPPER.createObjectNode();
  private static final String EMPTY_TEXT = EMPTY.toString();
  private final Transport transport;
  private final Wire wire;
  private final Masks masks;
  private final LocalDecisions cache;
  private final Fallback fallback;
  private final Supplier<Optional<ActivePolicy>> routes;

  RemoteClient(Transport transport, Wire wire, Masks masks, LocalDecisions cache, Fallback fallback,
      Supplier<Optional<ActivePolicy>> routes) {
    this.transport = transport;
    this.wire = wire;
    this.masks = masks;
    this.cache = cache;
    this.fallback = fallback;
    this.routes = routes;
  }

  /** One check: a cached answer is returned on the calling thread, without the batch's machinery. */
  @Override
  public Decision check(Principal principal, Resource resource, String action, Map<String, ?> context) {
    if (cache != null && Objects.requireNonNull(context, "context is null").isEmpty()) {
      Optional<Decision> hit = cache.get(key(principal.key(), Objects.requireNonNull(resource, "resource is null"),
          Objects.requireNonNull(action, "action is null"), EMPTY_TEXT));
      if (hit.isPresent()) {
        return hit.get();
      }
    }
    return checkAsync(principal, resource, action, context).join();
  }

  /** A cache key: the principal, resource, action and context as the wire sends them. */
  private static LocalDecisions.Key key(String who, Resource r, String action, String context) {
    return new LocalDecisions.Key(who, r.key(), action, context);
  }

  @Override
  public CompletableFuture<Decision> checkAsync(Principal principal, Resource resource, String action,
      Map<String, ?> context) {
    return checkAllAsync(principal, List.of(resource), List.of(action), context).thenApply(l -> l.get(0));
  }

  @Override
  public CompletableFuture<List<Decision>> checkAllAsync(Principal principal, List<Resource> resources,
      List<String> actions, Map<String, ?> context) {
    Objects.requireNonNull(principal, "principal is null");
    resources.forEach(r -> Objects.requireNonNull(r, "a resource is null"));
    List<String> distinct = List.copyOf(new LinkedHashSet<>(actions));
    if (resources.isEmpty() || distinct.isEmpty()) {
      return CompletableFuture.completedFuture(List.of());
    }
    JsonNode ctx = Objects.requireNonNull(context, "context is null").isEmpty() ? EMPTY
        : Json.MAPPER.valueToTree(new TreeMap<>(context));
    List<LocalDecisions.Key> keys = new ArrayList<>();
    List<Decision> cached = new ArrayList<>();
    String who = principal.key();
    String contextText = ctx == EMPTY ? EMPTY_TEXT : ctx.toString();
    for (Resource r : resources) {
      for (String a : distinct) {
        LocalDecisions.Key key = key(who, r, a, contextText);
        keys.add(key);
        if (cache != null) {
          cache.get(key).ifPresent(cached::add);
        }
      }
    }
    if (cached.size() == keys.size()) {
      return CompletableFuture.completedFuture(List.copyOf(cached));
    }
    byte[] body = wire.request(principal, resources, distinct, ctx);
    return transport.post(wire.path(keys.size()), body).handle((answer, t) -> {
      try {
        if (t != null) {
          throw t instanceof Failure f ? f : unwrap(t);
        }
        Answers.Batch b = wire.answer(answer.body(), resources, distinct, masks);
        if (cache != null) {
          cache.observe(b.policyVersion());
          for (int i = 0; i < keys.size(); i++) {
            cache.put(keys.get(i), b.decisions().get(i), b.ttl());
          }
        }
        return b.decisions();
      } catch (Failure f) {
        return closed(principal, resources, distinct, f.getMessage());
      }
    });
  }

  private static Failure unwrap(Throwable t) {
    Throwable c = t.getCause() != null ? t.getCause() : t;
    return c instanceof Failure f ? f : new Failure("the call failed: " + c.getClass().getSimpleName());
  }

  private List<Decision> closed(Principal p, List<Resource> resources, List<String> actions, String why) {
    return Closed.answers(fallback, masks, p, resources, actions, why);
  }

  @Override
  public Decision check(String method, String pathAndQuery, Principal principal, Map<String, ?> context) {
    Objects.requireNonNull(principal, "principal is null");
    Optional<ActivePolicy> policy = routes.get();
    if (policy.isEmpty()) {
      return Closed.answer(fallback, masks, principal, Resource.of("Route", method + " " + pathAndQuery), method,
          "route-aware checks need the policy set's routes: give RemoteBuilder.routes(path), or use embedded mode");
    }
    RouteMatch match = policy.get().routes().match(method, pathAndQuery);
    if (match instanceof RouteMatch.Matched m) {
      Map<String, Object> ctx = new TreeMap<>(context);
      // what the engine's gateway check adds (dev.verdict.engine.Routes), as plain values for the wire
      m.intent().ifPresent(i -> ctx.put(ContextKeys.INTENT, i));
      ctx.put(ContextKeys.PARAMS, new TreeMap<>(m.params()));
      ctx.put(ContextKeys.METHOD, method);
      ctx.put(ContextKeys.PATH, dev.verdict.lang.route.RouteTable.pathOf(pathAndQuery));
      return check(principal, Resource.of(m.resourceType(), m.resourceId().orElse("")), m.action(), ctx);
    }
    return Closed.unrouted(((RouteMatch.Unmatched) match).reason(), policy.get().version(), masks);
  }

  @Override
  public dev.verdict.sdk.plan.PlanFilter plan(Principal principal, String resourceType, String action,
      Map<String, ?> context) {
    Objects.requireNonNull(principal, "principal is null");
    Objects.requireNonNull(resourceType, "resourceType is null");
    Objects.requireNonNull(action, "action is null");
    com.fasterxml.jackson.databind.node.ObjectNode body = Json.MAPPER.createObjectNode();
    body.set("principal", principal.toNative());
    body.put("resourceType", resourceType);
    body.put("action", action);
    body.set("context", Json.MAPPER.valueToTree(new TreeMap<>(Objects.requireNonNull(context, "context is null"))));
    byte[] bytes;
    try {
      bytes = Json.MAPPER.writeValueAsBytes(body);
    } catch (com.fasterxml.jackson.core.JsonProcessingException | IllegalArgumentException e) {
      return dev.verdict.sdk.plan.PlanFilter.failed(resourceType, "the request cannot be written as JSON: "
          + e.getClass().getSimpleName());
    }
    return transport.post("/v1/plan", bytes).handle((answer, t) -> {
      if (t != null) {
        return dev.verdict.sdk.plan.PlanFilter.failed(resourceType, unwrap(t).getMessage());
      }
      try {
        return dev.verdict.sdk.plan.PlanFilter.parse(Json.MAPPER.readTree(answer.body()));
      } catch (java.io.IOException | IllegalArgumentException e) {
        return dev.verdict.sdk.plan.PlanFilter.failed(resourceType, "the plan from " + answer.endpoint()
            + " cannot be read: " + Transport.safe(String.valueOf(e.getMessage())));
      }
    }).join();
  }

  @Override
  public void close() {
    // The JDK client's threads are daemons; nothing else is held.
  }
}
