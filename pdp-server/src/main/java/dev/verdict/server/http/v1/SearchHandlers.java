package dev.verdict.server.http.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.engine.Engine;
import dev.verdict.engine.RequestRefused;
import dev.verdict.lang.eval.Entities;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.RequestJson;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.eval.Values;
import dev.verdict.lang.plan.FilterMatcher;
import dev.verdict.lang.plan.Plan;
import dev.verdict.lang.plan.PlanUnsupported;
import dev.verdict.server.auth.AccessGuard;
import dev.verdict.server.decision.CallInfo;
import dev.verdict.server.decision.DecisionIds;
import dev.verdict.server.decision.DecisionService;
import dev.verdict.server.entities.EntityStore;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.JsonCodec;
import dev.verdict.server.http.RequestIds;
import dev.verdict.server.http.Responses;
import dev.verdict.server.policy.PolicySnapshot;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * AuthZEN 1.0 subject and resource search over the entity data the server holds (the entity
 * store's records over the policy set's {@code *.entities.json}, as decisions read them): which resources of a type may this subject act on, which
 * subjects of a type may act on this resource. Results come in id order, a page at a time (see
 * {@link Paging}); no rate budget is consumed. Resource search evaluates the query plan over the
 * entities, or decides each one when the set's rules cannot be planned. A search that does not
 * fit the action's declared shape (the searched type or the given entity's type, the context)
 * is refused as a decision would be, naming the AuthZEN member ({@code $.subject.type}, …).
 */
public final class SearchHandlers {
  static final String SEARCH_SUBJECT = "/access/v1/search/subject";
  static final String SEARCH_RESOURCE = "/access/v1/search/resource";

  private final DecisionService decisions;
  private final Engine engine;
  private final EntityStore store;

  /** @param store the entity store, whose records search finds over the data files' entities */
  public SearchHandlers(DecisionService decisions, Engine engine, EntityStore store) {
    this.decisions = decisions;
    this.engine = engine;
    this.store = store;
  }

  public void searchResource(RoutingContext ctx) {
    ObjectNode body = JsonCodec.parseObject(ctx.body().buffer());
    PolicySnapshot snap = decisions.snapshot();
    ValueTypes types = snap.set().types();
    Part subjectPart = Part.of(body, "subject", "$");
    Part resourcePart = Part.of(body, "resource", "$");
    EntityData subject = AuthZenCodec.entity(types, subjectPart, "subject");
    String type = typeOf(resourcePart, "resource");
    String action = AuthZenCodec.actionName(Part.of(body, "action", "$"));
    Map<String, Value> context = context(body, types);
    Paging page = Paging.of(body, snap.version(), question(body));
    Entities entities = store.over(snap.set().entities());
    Predicate<EntityData> allowed;
    List<EntityData> candidates;
    try {
      Plan plan = engine.plan(snap.active(), subject, type, action, context);
      FilterMatcher matcher = new FilterMatcher(entities, subject);
      allowed = r -> matcher.matches(plan.filter(), r);
      candidates = SearchCandidates.of(entities, type, plan.filter());
    } catch (RequestRefused e) {
      // the plan's request names the searched type `$.resourceType`; this one sent `resource.type`
      String path = e.path().equals("$.resourceType") ? "$.resource.type" : e.path();
      throw AuthZenHandlers.inAuthZenTerms(ApiException.invalidAt(path, e.getMessage()), subjectPart, resourcePart,
          Part.of(body, "context", "$"));
    } catch (PlanUnsupported e) {
      CallInfo call = call(ctx, "search/resource");
      allowed = r -> decisions.decide(snap, new Request(subject, r, action, context, List.of()), false, false, call)
          .allowed();
      candidates = entities.ofType(type);
    }
    Responses.json(ctx, 200, page(candidates, allowed, page));
  }

  public void searchSubject(RoutingContext ctx) {
    ObjectNode body = JsonCodec.parseObject(ctx.body().buffer());
    PolicySnapshot snap = decisions.snapshot();
    ValueTypes types = snap.set().types();
    Part subjectPart = Part.of(body, "subject", "$");
    Part resourcePart = Part.of(body, "resource", "$");
    String type = typeOf(subjectPart, "subject");
    EntityData resource = AuthZenCodec.entity(types, resourcePart, "resource");
    String action = AuthZenCodec.actionName(Part.of(body, "action", "$"));
    Map<String, Value> context = context(body, types);
    try {
      // refused as a whole, as a plan is: not per subject, nor only when some subject is stored
      types.forAction(action, type, resource.uid().type(), context);
    } catch (Values.JsonValueException e) {
      throw AuthZenHandlers.inAuthZenTerms(ApiException.invalidAt(e.path(), e.getMessage()), subjectPart,
          resourcePart, Part.of(body, "context", "$"));
    }
    Paging page = Paging.of(body, snap.version(), question(body));
    CallInfo call = call(ctx, "search/subject");
    Predicate<EntityData> allowed = s -> decisions.decide(snap, new Request(s, resource, action, context, List.of()),
        false, false, call).allowed();
    Responses.json(ctx, 200, page(store.over(snap.set().entities()).ofType(type), allowed, page));
  }

  /** One page of the entities (sorted by id) that {@code allowed} keeps, after the token's position. */
  private static ObjectNode page(List<EntityData> all, Predicate<EntityData> allowed, Paging page) {
    ObjectNode out = JsonCodec.object();
    ArrayNode results = out.putArray("results");
    int i = firstAfter(all, page.after());
    String last = null;
    String next = "";
    for (; i < all.size(); i++) {
      EntityData e = all.get(i);
      if (!allowed.test(e)) {
        continue;
      }
      if (results.size() == page.limit()) {
        next = page.next(last); // there is at least one more
        break;
      }
      results.addObject().put("type", e.uid().type()).put("id", e.uid().id());
      last = e.uid().id();
    }
    out.set("page", page.response(results.size(), next));
    return out;
  }

  /** The index of the first entity whose id sorts after {@code after} (all when it is empty). */
  private static int firstAfter(List<EntityData> all, String after) {
    if (after.isEmpty()) {
      return 0;
    }
    int lo = 0;
    int hi = all.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (all.get(mid).uid().id().compareTo(after) <= 0) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return lo;
  }

  /** The type of a searched-for subject or resource: {@code {"type": "Account"}}, an id is ignored. */
  private static String typeOf(Part part, String what) {
    JsonNode n = part.node();
    if (n == null || !n.isObject()) {
      throw ApiException.invalidAt(part.path(), "`" + what + "` is required: an object with the `type` searched for");
    }
    JsonNode t = n.get("type");
    if (t == null || !t.isTextual() || t.textValue().isEmpty()) {
      throw ApiException.invalidAt(part.path() + ".type", "`type` must be a non-empty string such as \"Account\"");
    }
    return t.textValue();
  }

  private static Map<String, Value> context(ObjectNode body, ValueTypes types) {
    try {
      return RequestJson.contextAt(body.get("context"), "$.context", types);
    } catch (RequestJson.InvalidRequest e) {
      throw ApiException.invalidAt(e.path(), e.getMessage());
    }
  }

  /** What a search asks, without its page: a token is valid only for the same question. */
  static String question(ObjectNode body) {
    ObjectNode q = body.deepCopy();
    q.remove("page");
    return q.toString();
  }

  private static CallInfo call(RoutingContext ctx, String endpoint) {
    return new CallInfo(AccessGuard.caller(ctx).name(), endpoint, DecisionIds.next(), RequestIds.of(ctx));
  }
}
