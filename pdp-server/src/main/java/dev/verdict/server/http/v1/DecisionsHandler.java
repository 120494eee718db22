package dev.verdict.server.http.v1;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.DecisionJson;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.server.auth.AccessGuard;
import dev.verdict.server.decision.CallInfo;
import dev.verdict.server.decision.Completion;
import dev.verdict.server.decision.DecisionIds;
import dev.verdict.server.decision.DecisionService;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.ErrorCode;
import dev.verdict.server.http.JsonCodec;
import dev.verdict.server.http.RequestIds;
import dev.verdict.server.http.Responses;
import dev.verdict.server.policy.PolicySnapshot;
import io.vertx.ext.web.RoutingContext;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * {@code POST /v1/decisions}: one principal, several resources × actions, in one call.
 * <pre>
 * {"principal": {"type": "User", "id": "alice", "roles": ["customer"], …attributes},
 *  "resources": [{"type": "Account", "id": "a1", …attributes}],
 *  "actions": ["read", "update"],
 *  "context": {…}, "entities": [{"uid", "attrs", "parents"}], "explain": false}
 * </pre>
 * Principal, resources, context and entities have the shapes of {@code verdict eval} requests.
 */
public final class DecisionsHandler {
  /** Bounds on one call, so one request cannot take the event loop for long. */
  public record Limits(int maxResources, int maxActions, int maxPairs, int cacheTtlSeconds) {}

  private final DecisionService decisions;
  private final Limits limits;

  public DecisionsHandler(DecisionService decisions, Limits limits) {
    this.decisions = decisions;
    this.limits = limits;
  }

  public void handle(RoutingContext ctx) {
    // Values are read as the set that decides them declares them, so the snapshot comes first.
    PolicySnapshot snap = decisions.snapshot();
    ReceivedBytes received = ReceivedBytes.of(ctx.body().buffer());
    DecisionsReader.Read read = received == null ? null
        : DecisionsReader.read(received.array(), received.offset(), received.length(), snap.set().types(), limits);
    decide(ctx, snap, read != null ? read
        : fromTree(JsonCodec.parseObject(ctx.body().buffer()), snap.set().types(), limits));
  }

  /**
   * The body read as a tree: for the bodies {@link DecisionsReader} gives up on, whose first
   * error this reports (the checks in the order callers have always seen them).
   */
  static DecisionsReader.Read fromTree(ObjectNode body, ValueTypes types, Limits limits) {
    JsonNode resources = body.get("resources");
    JsonNode actions = body.get("actions");
    if (resources == null || !resources.isArray() || resources.isEmpty()) {
      throw ApiException.invalidAt("$.resources", "`resources` must be a non-empty array of {\"type\", \"id\", …}");
    }
    if (actions == null || !actions.isArray() || actions.isEmpty()) {
      throw ApiException.invalidAt("$.actions", "`actions` must be a non-empty array of action names");
    }
    tooMany("$.resources", resources.size(), limits.maxResources(), "resources");
    tooMany("$.actions", actions.size(), limits.maxActions(), "actions");
    tooMany("$", resources.size() * actions.size(), limits.maxPairs(), "resource × action pairs");
    boolean explain = false;
    JsonNode e = body.get("explain");
    if (e != null && !e.isNull()) {
      if (!e.isBoolean()) {
        throw ApiException.invalidAt("$.explain", "`explain` must be true or false");
      }
      explain = e.booleanValue();
    }
    List<String> names = actionNames(actions);
    try {
      EntityData principal = RequestJson.entityAt(body.get("principal"), "$.principal", "User", types);
      List<EntityData> targets = new ArrayList<>();
      for (int i = 0; i < resources.size(); i++) {
        targets.add(RequestJson.entityAt(resources.get(i), "$.resources[" + i + "]", null, types));
      }
      Map<String, Value> context = RequestJson.contextAt(body.get("context"), "$.context", types);
      List<EntityData> entities = RequestJson.entitiesAt(body.get("entities"), "$.entities", types);
      return new DecisionsReader.Read(principal, targets, names, context, entities, explain);
    } catch (RequestJson.InvalidRequest ex) {
      throw ApiException.invalidAt(ex.path(), ex.getMessage());
    }
  }

  private void decide(RoutingContext ctx, PolicySnapshot snap, DecisionsReader.Read read) {
    List<EntityData> targets = read.resources();
    boolean explain = read.explain();
    // each action once, in the order first written
    List<String> names = new ArrayList<>(new LinkedHashSet<>(read.actions()));
    Request base = new Request(read.principal(), targets.get(0), names.get(0), read.context(), read.entities());
    String decisionId = DecisionIds.next();
    CallInfo call = new CallInfo(AccessGuard.caller(ctx).name(), "decisions", decisionId, RequestIds.of(ctx));
    List<Request> asked = new ArrayList<>();
    List<EntityData> askedTargets = new ArrayList<>();
    for (EntityData target : targets) {
      for (String action : names) {
        asked.add(new Request(base.principal(), target, action, base.context(), base.entities()));
        askedTargets.add(target);
      }
    }
    // One after another, as before: budgets are consumed in the order the pairs are listed.
    CompletionStage<List<Decision>> all = CompletableFuture.completedFuture(new ArrayList<>());
    for (Request req : asked) {
      boolean explained = explain;
      all = all.thenCompose(done -> decisions.decideAsync(snap, req, explained, true, call).thenApply(d -> {
        done.add(d);
        return done;
      }));
    }
    Completion.then(ctx, all, decided -> {
      // A decision that consumed a rate budget must be asked again, never served from a cache.
      boolean rated = decided.stream().anyMatch(d -> d.rate().isPresent());
      int ttl = rated ? 0 : limits.cacheTtlSeconds();
      Responses.json(ctx, 200, JsonCodec.write(g -> answer(g, decisionId, snap.version(), ttl, askedTargets, asked,
          decided)));
    });
  }

  /**
   * The answer, written straight to {@code g}: {@code decisionId}, {@code policyVersion},
   * {@code cacheTtlSeconds} and per pair asked its resource, action, decision and rate.
   */
  static void answer(JsonGenerator g, String decisionId, String policyVersion, int cacheTtlSeconds,
      List<EntityData> targets, List<Request> asked, List<Decision> decided) throws IOException {
    g.writeStartObject();
    g.writeStringField("decisionId", decisionId);
    g.writeStringField("policyVersion", policyVersion);
    g.writeNumberField("cacheTtlSeconds", cacheTtlSeconds);
    g.writeArrayFieldStart("results");
    for (int i = 0; i < decided.size(); i++) {
      Decision d = decided.get(i);
      EntityData target = targets.get(i);
      g.writeStartObject();
      g.writeObjectFieldStart("resource");
      g.writeStringField("type", target.uid().type());
      g.writeStringField("id", target.uid().id());
      g.writeEndObject();
      g.writeStringField("action", asked.get(i).action());
      DecisionJson.write(d, g);
      // The rate goes before the trace in earlier answers; its place in an object does not matter.
      g.writeFieldName("rate");
      if (d.rate().isPresent()) {
        AuthZenCodec.writeRate(g, d.rate().get());
      } else {
        g.writeNull();
      }
      g.writeEndObject();
    }
    g.writeEndArray();
    g.writeEndObject();
  }

  private static List<String> actionNames(JsonNode actions) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < actions.size(); i++) {
      JsonNode a = actions.get(i);
      if (!a.isTextual() || a.textValue().isEmpty()) {
        throw ApiException.invalidAt("$.actions[" + i + "]", "an action is a non-empty string such as \"read\"");
      }
      out.add(a.textValue());
    }
    return out;
  }

  private static void tooMany(String path, int n, int max, String what) {
    if (n > max) {
      ObjectNode details = JsonCodec.object();
      details.put("path", path);
      details.put("limit", max);
      throw new ApiException(ErrorCode.TOO_MANY_ITEMS, "a call carries at most " + max + " " + what + ", not " + n,
          details);
    }
  }
}
