package dev.verdict.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.server.policy.PolicySnapshot;
import dev.verdict.server.policy.PolicyStore;
import dev.verdict.server.policy.PolicyWatcher;
import dev.verdict.server.policy.ReloadOutcome;
import dev.verdict.server.policy.Removals;
import io.vertx.ext.web.RoutingContext;

/** {@code GET /v1/policies} and {@code POST /v1/policies/reload}; both behind an admin guard. */
final class AdminHandlers {
  private final PolicyStore store;
  private final PolicyWatcher watcher;

  AdminHandlers(PolicyStore store, PolicyWatcher watcher) {
    this.store = store;
    this.watcher = watcher;
  }

  void policies(RoutingContext ctx) {
    ObjectNode out = JsonCodec.object();
    out.put("directory", store.directory().toString());
    store.current().ifPresentOrElse(s -> describe(out, s), () -> out.putNull("version"));
    store.lastReload().ifPresent(r -> out.set("lastReload", outcome(r)));
    Responses.json(ctx, 200, out);
  }

  private static void describe(ObjectNode out, PolicySnapshot s) {
    out.put("version", s.version());
    out.put("loadedAt", s.loadedAt().toString());
    out.put("ruleCount", s.set().ruleCount());
    ArrayNode files = out.putArray("files");
    s.files().forEach(files::add);
    out.set("removed", removals(s.removed()));
  }

  /** What the served version no longer has compared with the one it replaced. */
  private static ObjectNode removals(Removals r) {
    ObjectNode o = JsonCodec.object();
    r.rules().forEach(o.putArray("rules")::add);
    r.limits().forEach(o.putArray("limits")::add);
    r.routes().forEach(o.putArray("routes")::add);
    return o;
  }

  void reload(RoutingContext ctx) {
    watcher.reloadNow().onComplete(ar -> {
      if (ar.succeeded()) {
        Responses.json(ctx, 200, outcome(ar.result()));
      } else {
        ctx.fail(ar.cause());
      }
    });
  }

  static ObjectNode outcome(ReloadOutcome r) {
    ObjectNode o = JsonCodec.object();
    o.put("ok", r.ok());
    o.put("changed", r.changed());
    o.put("at", r.at().toString());
    o.put("version", r.version());
    o.set("diagnostics", r.diagnostics());
    o.set("removed", removals(r.removed()));
    return o;
  }
}
