package dev.verdict.server.http.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.engine.Engine;
import dev.verdict.engine.RequestRefused;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.plan.Plan;
import dev.verdict.lang.plan.PlanJson;
import dev.verdict.lang.plan.PlanUnsupported;
import dev.verdict.server.decision.DecisionService;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.ErrorCode;
import dev.verdict.server.http.JsonCodec;
import dev.verdict.server.http.Responses;
import dev.verdict.server.policy.PolicySnapshot;
import io.vertx.ext.web.RoutingContext;
import java.util.Map;

/**
 * {@code POST /v1/plan}: the query plan for a list endpoint (see docs/api.md, "Query plans").
 * <pre>
 * {"principal": {"type": "User", "id": "alice", "roles": ["customer"], …attributes},
 *  "resourceType": "Account", "action": "read", "context": {…}}
 * </pre>
 * The answer is the plan's JSON; a plan the filter language cannot express is
 * {@code plan_unsupported} (422), naming the rule and expression, and the caller decides per
 * resource instead. A request that does not fit the action's declared shape is
 * {@code invalid_request} naming {@code $.principal.type}, {@code $.resourceType} or
 * {@code $.context.NAME}, as a decision's would be.
 */
public final class PlanHandler {
  private final DecisionService decisions;
  private final Engine engine;

  public PlanHandler(DecisionService decisions, Engine engine) {
    this.decisions = decisions;
    this.engine = engine;
  }

  public void handle(RoutingContext ctx) {
    ObjectNode body = JsonCodec.parseObject(ctx.body().buffer());
    PolicySnapshot snap = decisions.snapshot();
    ValueTypes types = snap.set().types();
    String type = name(body, "resourceType", "a resource type such as \"Account\"");
    String action = name(body, "action", "an action name such as \"read\"");
    EntityData principal;
    Map<String, Value> context;
    try {
      principal = RequestJson.entityAt(body.get("principal"), "$.principal", "User", types);
      context = RequestJson.contextAt(body.get("context"), "$.context", types);
    } catch (RequestJson.InvalidRequest e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
    Responses.json(ctx, 200, PlanJson.write(plan(snap, principal, type, action, context)));
  }

  /** The plan against {@code snap}, or {@code plan_unsupported}. */
  Plan plan(PolicySnapshot snap, EntityData principal, String type, String action, Map<String, Value> context) {
    try {
      return engine.plan(snap.active(), principal, type, action, context);
    } catch (RequestRefused e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    } catch (PlanUnsupported e) {
      ObjectNode details = JsonCodec.object();
      details.put("location", e.span().location());
      throw new ApiException(ErrorCode.PLAN_UNSUPPORTED, e.getMessage(), details);
    }
  }

  static String name(ObjectNode body, String member, String what) {
    JsonNode n = body.get(member);
    if (n == null || !n.isTextual() || n.textValue().isEmpty() || n.textValue().length() > 256) {
      throw ApiException.invalidAt("$." + member, "`" + member + "` must be " + what);
    }
    return n.textValue();
  }
}
