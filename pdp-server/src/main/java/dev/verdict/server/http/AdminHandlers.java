package dev.verdict.server.http;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.server.cluster.ClusterPolicy;
import dev.verdict.server.cluster.ClusterPolicyService;
import dev.verdict.server.policy.PolicySnapshot;
import dev.verdict.server.policy.PolicyStore;
import dev.verdict.server.policy.PolicyWatcher;
import dev.verdict.server.policy.ReloadOutcome;
import dev.verdict.server.policy.Removals;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /v1/policies}, {@code POST /v1/policies} (push a bundle) and
 * {@code POST /v1/policies/reload}; all behind an admin guard.
 */
final class AdminHandlers {
  private final PolicyStore store;
  private final PolicyWatcher watcher;
  private final ClusterPolicyService policies;

  AdminHandlers(PolicyStore store, PolicyWatcher watcher, ClusterPolicyService policies) {
    this.store = store;
    this.watcher = watcher;
    this.policies = policies;
  }

  void policies(RoutingContext ctx) {
    ObjectNode out = JsonCodec.object();
    out.put("directory", store.directory().toString());
    out.put("source", store.pushed().isPresent() ? "bundle" : "directory");
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
    LinkHandlers.describe(out, s.set());
  }

  /** What the served version no longer has compared with the one it replaced. */
  private static ObjectNode removals(Removals r) {
    ObjectNode o = JsonCodec.object();
    r.rules().forEach(o.putArray("rules")::add);
    r.limits().forEach(o.putArray("limits")::add);
    r.routes().forEach(o.putArray("routes")::add);
    return o;
  }

  /**
   * Pushes the body, a signed bundle, to every member (or serves it here when alone). The
   * two-phase switch blocks, so it runs on a worker thread.
   */
  void push(RoutingContext ctx) {
    if (!policies.acceptsBundles()) {
      throw new ApiException(ErrorCode.PUSH_OFF, "pushing policy bundles is off on this node: it has no trusted "
          + "bundle keys; start it with --bundle-keys JWKS_FILE (the public keys bundles are signed with)");
    }
    byte[] bundle = ctx.body().buffer() == null ? new byte[0] : ctx.body().buffer().getBytes();
    if (bundle.length == 0) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, "the body must be a bundle (a zip archive made with "
          + "`verdict bundle DIR --key FILE -o bundle.zip`), sent as application/zip");
    }
    ctx.vertx().executeBlocking(() -> policies.push(bundle), false).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
        return;
      }
      ClusterPolicy.PushResult r = ar.result();
      if (!r.activated()) {
        ObjectNode details = JsonCodec.object();
        if (!r.version().isEmpty()) {
          details.put("version", r.version());
        }
        ObjectNode refusals = details.putObject("refusals");
        r.refusals().forEach(refusals::put);
        Responses.error(ctx, new ApiException(ErrorCode.BUNDLE_REFUSED, "the bundle was refused"
            + (policies.clustered() ? " and no member switched" : "") + ": " + firstLine(r.refusals()), details));
        return;
      }
      ObjectNode out = JsonCodec.object();
      out.put("activated", true);
      out.put("version", r.version());
      r.switched().forEach(out.putArray("members")::add);
      Responses.json(ctx, 200, out);
    });
  }

  private static String firstLine(java.util.Map<String, String> refusals) {
    return refusals.entrySet().stream().findFirst()
        .map(e -> e.getKey() + ": " + e.getValue().lines().findFirst().orElse(""))
        .orElse("no member answered");
  }

  void reload(RoutingContext ctx) {
    if (store.pushed().isPresent()) {
      // the keys (a JWKS file) still reload; the directory does not, or it would undo the push
      watcher.refreshOnly().onComplete(ar -> Responses.error(ctx, new ApiException(ErrorCode.POLICY_PUSHED,
          "this node serves the pushed bundle " + store.pushed().get() + " and no longer reads its policy directory; "
              + "push a new bundle with POST /v1/policies (a restart outside a cluster returns to the directory)")));
      return;
    }
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
