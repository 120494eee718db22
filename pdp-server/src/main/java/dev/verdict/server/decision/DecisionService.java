package dev.verdict.server.decision;

import dev.verdict.engine.DecideOptions;
import dev.verdict.engine.Engine;
import dev.verdict.engine.GatewayCheck;
import dev.verdict.engine.RequestRefused;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.ErrorCode;
import dev.verdict.server.policy.PolicySnapshot;
import dev.verdict.server.policy.PolicyStore;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * The endpoints' way to the {@link Engine}: the snapshot a request uses throughout, and the
 * engine's answers with its refusals turned into the server's errors. The engine stamps the
 * time, resolves the intent, applies budgets and tells the decision log and metrics (see
 * {@link DecisionRecorder}); nothing here decides. Handlers use the asynchronous forms: with
 * budgets in memory their stages are already complete, with the cluster's they complete when the
 * budget's owner has answered, and the event loop is never blocked waiting for it.
 */
public final class DecisionService {
  private final PolicyStore store;
  private final Engine engine;

  public DecisionService(PolicyStore store) {
    this.store = store;
    this.engine = store.engine();
  }

  /** The snapshot one request uses throughout, or {@code policy_not_loaded}. */
  public PolicySnapshot snapshot() {
    return store.current().orElseThrow(DecisionService::notLoaded);
  }

  /**
   * Decides one request against {@code snapshot}. The context's {@code now} is always the
   * engine's clock; a {@code context.intent} that no route or limit declares is an invalid
   * request.
   *
   * @param consumeBudget whether rate limits apply (false for what-if questions such as action search)
   */
  public Decision decide(PolicySnapshot snapshot, Request request, boolean explain, boolean consumeBudget,
      CallInfo call) {
    try {
      return engine.decide(snapshot.active(), request, new DecideOptions(explain, consumeBudget, call));
    } catch (RequestRefused e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  /**
   * {@link #decide}, completed when the rate budgets have been answered. An invalid request
   * fails at once with an {@link ApiException}.
   */
  public CompletionStage<Decision> decideAsync(PolicySnapshot snapshot, Request request, boolean explain,
      boolean consumeBudget, CallInfo call) {
    try {
      return engine.decideAsync(snapshot.active(), request, new DecideOptions(explain, consumeBudget, call));
    } catch (RequestRefused e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  /** {@link #check}, completed when the rate budgets have been answered. */
  public CompletionStage<GatewayCheck> checkAsync(String method, String target, EntityData principal,
      Map<String, Value> context, CallInfo call) {
    if (engine.active().isEmpty()) {
      throw notLoaded();
    }
    try {
      return engine.checkAsync(method, target, principal, context, DecideOptions.ENFORCE.withAttachment(call));
    } catch (RequestRefused e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  /** The route-aware check of a gateway's original request. */
  public GatewayCheck check(String method, String target, EntityData principal, Map<String, Value> context,
      CallInfo call) {
    if (engine.active().isEmpty()) {
      throw notLoaded();
    }
    try {
      return engine.check(method, target, principal, context, DecideOptions.ENFORCE.withAttachment(call));
    } catch (RequestRefused e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  private static ApiException notLoaded() {
    return new ApiException(ErrorCode.POLICY_NOT_LOADED, "no policy set is loaded; decisions are refused until one is");
  }
}
