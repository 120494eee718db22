package dev.verdict.server.http;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.server.policy.PolicyStore;
import io.vertx.ext.web.RoutingContext;
import java.util.function.BooleanSupplier;

/** Liveness (the process answers) and readiness (a policy set is loaded and the server is not draining). */
final class HealthHandlers {
  private final PolicyStore store;
  private final BooleanSupplier draining;

  HealthHandlers(PolicyStore store, BooleanSupplier draining) {
    this.store = store;
    this.draining = draining;
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
    o.put("status", "ready");
    o.put("policyVersion", snap.get().version());
    Responses.json(ctx, 200, o);
  }
}
