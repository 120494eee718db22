package dev.verdict.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.server.policy.PolicyStore;
import io.vertx.ext.web.RoutingContext;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Liveness (the process answers) and readiness (a policy set is loaded, the server is not
 * draining, and in a cluster it has adopted the cluster's pushed bundle and serves the version
 * most members serve).
 */
final class HealthHandlers {
  private final PolicyStore store;
  private final BooleanSupplier draining;
  private final Supplier<Optional<String>> clusterReason;

  HealthHandlers(PolicyStore store, BooleanSupplier draining, Supplier<Optional<String>> clusterReason) {
    this.store = store;
    this.draining = draining;
    this.clusterReason = clusterReason;
  }

  void live(RoutingContext ctx) {
    ObjectNode o = JsonCodec.object();
    o.put("status", "live");
    Responses.json(ctx, 200, o);
  }

  void ready(RoutingContext ctx) {
    ObjectNode o = JsonCodec.object();
    var snap = store.current();
    if (snap.isEmpty() || draining.getAsBoolean()) {
      o.put("status", "not_ready");
      o.put("reason", snap.isEmpty() ? "no policy set is loaded" : "the server is shutting down");
      Responses.json(ctx, 503, o);
      return;
    }
    Optional<String> cluster = clusterReason.get();
    if (cluster.isPresent()) {
      o.put("status", "not_ready");
      o.put("reason", cluster.get());
      o.put("policyVersion", snap.get().version());
      Responses.json(ctx, 503, o);
      return;
    }
    o.put("status", "ready");
    o.put("policyVersion", snap.get().version());
    Responses.json(ctx, 200, o);
  }
}
