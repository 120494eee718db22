package dev.verdict.server.http.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
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
import java.util.List;
import java.util.Optional;

/**
 * The OpenID AuthZEN Authorization API 1.0 endpoints: evaluation, evaluations (boxcarred,
 * with the three evaluation semantics), action search (paged) and the PDP metadata document;
 * subject and resource search are {@link SearchHandlers}. A deny
 * is HTTP 200 with {@code "decision": false}; HTTP errors are for requests that cannot be read.
 */
public final class AuthZenHandlers {
  static final String EVALUATION = "/access/v1/evaluation";
  static final String EVALUATIONS = "/access/v1/evaluations";
  static final String SEARCH_ACTION = "/access/v1/search/action";

  enum Semantic { EXECUTE_ALL, DENY_ON_FIRST_DENY, PERMIT_ON_FIRST_PERMIT }

  private final DecisionService decisions;
  private final int maxItems;
  private final Optional<String> publicUrl;

  /**
   * @param maxItems the most evaluations one batch may carry
   * @param publicUrl the PDP identifier for the metadata; empty: derived from the request's Host
   */
  public AuthZenHandlers(DecisionService decisions, int maxItems, Optional<String> publicUrl) {
    this.decisions = decisions;
    this.maxItems = maxItems;
    this.publicUrl = publicUrl;
  }

  public void evaluation(RoutingContext ctx) {
    PolicySnapshot snap = decisions.snapshot();
    ReceivedBytes body = ReceivedBytes.of(ctx.body().buffer());
    Request streamed = body == null ? null
        : AuthZenReader.evaluation(body.array(), body.offset(), body.length(), snap.set().types());
    decide(ctx, snap, streamed != null ? Evaluation.topLevel(streamed) : fromTree(JsonCodec.parseObject(ctx.body().buffer()),
        snap.set().types()));
  }

  /**
   * The request an evaluation body asks, read as {@link #evaluation} reads it: streamed, and as
   * a tree only when the stream gives up on it (for {@code verdict bench}).
   *
   * @throws ApiException naming the member at fault when the body is not an evaluation
   */
  public static Request request(byte[] body, ValueTypes types) {
    Request streamed = AuthZenReader.evaluation(body, types);
    return streamed != null ? streamed : fromTree(JsonCodec.parseObject(io.vertx.core.buffer.Buffer.buffer(body)), types)
        .request();
  }

  /**
   * The top level of a body read as a tree: the reader for bodies {@link AuthZenReader} gives
   * up on, which reports what is wrong with them.
   */
  private static Evaluation fromTree(ObjectNode body, ValueTypes types) {
    return Evaluation.topLevel(AuthZenCodec.request(types, Part.of(body, "subject", "$"),
        Part.of(body, "resource", "$"), Part.of(body, "action", "$"), Part.of(body, "context", "$"),
        Part.of(body, "entities", "$")));
  }

  private void decide(RoutingContext ctx, PolicySnapshot snap, Evaluation e) {
    String id = DecisionIds.next();
    java.util.concurrent.CompletionStage<Decision> decided;
    try {
      decided = decisions.decideAsync(snap, e.request(), false, true, call(ctx, "evaluation", id));
    } catch (ApiException x) {
      throw inAuthZenTerms(x, e);
    }
    Completion.then(ctx, decided, new Answer(ctx, id));
  }

  /** The answer to one evaluation, as {@link #evaluation} writes it: for benchmarks of the writer alone. */
  public static io.vertx.core.buffer.Buffer evaluationAnswer(Decision decision, String decisionId) {
    return JsonCodec.write(g -> AuthZenCodec.write(g, decision, decisionId));
  }

  /** Writes one evaluation's answer: one object for the stage's callback and the JSON writer, not two lambdas. */
  private static final class Answer implements java.util.function.Consumer<Decision>, JsonCodec.Writer {
    private final RoutingContext ctx;
    private final String id;
    private Decision decision;

    Answer(RoutingContext ctx, String id) {
      this.ctx = ctx;
      this.id = id;
    }

    @Override
    public void accept(Decision d) {
      decision = d;
      Responses.json(ctx, 200, JsonCodec.write(this));
    }

    @Override
    public void write(com.fasterxml.jackson.core.JsonGenerator g) throws java.io.IOException {
      AuthZenCodec.write(g, decision, id);
    }
  }

  public void evaluations(RoutingContext ctx) {
    PolicySnapshot snap = decisions.snapshot();
    ReceivedBytes received = ReceivedBytes.of(ctx.body().buffer());
    AuthZenReader.Batch streamed = received == null ? null
        : AuthZenReader.evaluations(received.array(), received.offset(), received.length(), snap.set().types(),
            maxItems);
    if (streamed != null && streamed.single() != null) {
      decide(ctx, snap, streamed.single());
      return;
    }
    if (streamed != null) {
      List<Evaluation> read = streamed.items();
      new Batch(ctx, snap, new Items() {
        @Override
        public int size() {
          return read.size();
        }

        @Override
        public Evaluation get(int i) {
          return read.get(i);
        }
      }, streamed.semantic()).from(0);
      return;
    }
    ObjectNode body = JsonCodec.parseObject(ctx.body().buffer());
    JsonNode items = body.get("evaluations");
    if (items == null || items.isNull() || (items.isArray() && items.isEmpty())) {
      // The spec: without evaluations, the request is a single evaluation, answered as one.
      decide(ctx, snap, fromTree(body, snap.set().types()));
      return;
    }
    if (!items.isArray()) {
      throw ApiException.invalidAt("$.evaluations", "`evaluations` must be an array of evaluation objects");
    }
    if (items.size() > maxItems) {
      ObjectNode details = JsonCodec.object();
      details.put("path", "$.evaluations");
      details.put("limit", maxItems);
      throw new ApiException(ErrorCode.TOO_MANY_ITEMS,
          "a batch carries at most " + maxItems + " evaluations, not " + items.size(), details);
    }
    Semantic semantic = semantic(body.get("options"));
    new Batch(ctx, snap, new TreeItems(snap.set().types(), body, items), semantic).from(0);
  }

  /** A batch's evaluations; {@link #get} throws the {@link ApiException} that refuses an item. */
  interface Items {
    int size();

    Evaluation get(int i);
  }

  /** The items of a body read as a tree, each read when the batch comes to it, with the top level as defaults. */
  static final class TreeItems implements Items {
    private final ValueTypes types;
    private final JsonNode items;
    private final Part[] defaults;
    private final SharedEntities entities;

    TreeItems(ValueTypes types, ObjectNode body, JsonNode items) {
      this.types = types;
      this.items = items;
      this.defaults = new Part[] {Part.of(body, "subject", "$"), Part.of(body, "resource", "$"),
          Part.of(body, "action", "$"), Part.of(body, "context", "$")};
      this.entities = new SharedEntities(types, Part.of(body, "entities", "$"));
    }

    @Override
    public int size() {
      return items.size();
    }

    @Override
    public Evaluation get(int i) {
      JsonNode item = items.get(i);
      String at = "$.evaluations[" + i + "]";
      if (!item.isObject()) {
        throw ApiException.invalidAt(at, "an evaluation must be a JSON object");
      }
      Part subject = Part.of(item, "subject", at).or(defaults[0]);
      Part resource = Part.of(item, "resource", at).or(defaults[1]);
      Part context = Part.of(item, "context", at).or(defaults[3]);
      Request req = AuthZenCodec.request(types, subject, resource, Part.of(item, "action", at).or(defaults[2]),
          context, entities.get());
      int own = (subject == defaults[0] ? 0 : Evaluation.SUBJECT_OWN)
          | (resource == defaults[1] ? 0 : Evaluation.RESOURCE_OWN)
          | (context == defaults[3] ? 0 : Evaluation.CONTEXT_OWN);
      return new Evaluation(req, i, own);
    }
  }

  /**
   * The engine names what it refuses in its own terms ({@code $.principal.type},
   * {@code $.context.amount}); an AuthZEN caller sent a {@code subject}, perhaps as a batch's
   * default or inside its n-th evaluation, so the path is rewritten to the member it came from.
   */
  static ApiException inAuthZenTerms(ApiException e, Evaluation asked) {
    return inAuthZenTerms(e, asked.subjectPath(), asked.resourcePath(), asked.contextPath());
  }

  /** The same for a question read from a tree (the searches), whose members' paths are {@link Part}s'. */
  static ApiException inAuthZenTerms(ApiException e, Part subject, Part resource, Part context) {
    return inAuthZenTerms(e, subject.path(), resource.path(), context.path());
  }

  private static ApiException inAuthZenTerms(ApiException e, String subjectPath, String resourcePath,
      String contextPath) {
    if (e.code() != ErrorCode.INVALID_REQUEST || !e.details().path("path").isTextual()) {
      return e;
    }
    String path = e.details().path("path").asText();
    String[][] members = {{"$.principal", subjectPath}, {"$.resource", resourcePath}, {"$.context", contextPath}};
    for (String[] m : members) {
      if (path.equals(m[0]) || path.startsWith(m[0] + ".") || path.startsWith(m[0] + "[")) {
        return ApiException.invalidAt(m[1] + path.substring(m[0].length()), e.getMessage());
      }
    }
    return e;
  }

  /**
   * One batch's evaluations, in order: each waits for the one before (its budgets included),
   * since a semantic may stop the batch at any item. Items whose stages are already complete
   * run in one loop; the batch resumes from a pending one when it completes. The answer is
   * written in one pass once every evaluation is known.
   */
  private final class Batch {
    private final RoutingContext ctx;
    private final PolicySnapshot snap;
    private final Items items;
    private final Semantic semantic;
    /**
     * Per evaluation answered so far: its {@link Decision} or the {@link ApiException} that refused
     * it, and the decision's id; arrays of the batch's size, not a list grown and a pair per item.
     */
    private final Object[] results;
    private final String[] ids;
    private int answered;

    Batch(RoutingContext ctx, PolicySnapshot snap, Items items, Semantic semantic) {
      this.ctx = ctx;
      this.snap = snap;
      this.items = items;
      this.semantic = semantic;
      this.results = new Object[items.size()];
      this.ids = new String[items.size()];
    }

    void from(int first) {
      for (int i = first; i < items.size(); i++) {
        String id;
        java.util.concurrent.CompletableFuture<Decision> pending;
        try {
          Evaluation asked = items.get(i);
          id = DecisionIds.next();
          try {
            pending = decisions.decideAsync(snap, asked.request(), false, true, call(ctx, "evaluations", id))
                .toCompletableFuture();
          } catch (ApiException e) {
            throw inAuthZenTerms(e, asked);
          }
        } catch (ApiException e) {
          results[answered++] = e;
          if (stops(false)) {
            break;
          }
          continue;
        }
        if (!pending.isDone()) {
          int next = i + 1;
          String answeredId = id;
          Completion.then(ctx, pending, d -> {
            if (stops(answered(d, answeredId))) {
              answer();
            } else {
              from(next);
            }
          });
          return;
        }
        if (stops(answered(pending.join(), id))) {
          break;
        }
      }
      answer();
    }

    private void answer() {
      Responses.json(ctx, 200, JsonCodec.write(g -> {
        g.writeStartObject();
        g.writeFieldName(AnswerNames.EVALUATIONS);
        g.writeStartArray();
        for (int i = 0; i < answered; i++) {
          Object r = results[i];
          if (r instanceof Decision d) {
            AuthZenCodec.write(g, d, ids[i]);
          } else {
            AuthZenCodec.writeItemError(g, (ApiException) r);
          }
        }
        g.writeEndArray();
        g.writeEndObject();
      }));
    }

    private boolean answered(Decision d, String id) {
      ids[answered] = id;
      results[answered++] = d;
      return d.allowed();
    }

    private boolean stops(boolean allowed) {
      return (semantic == Semantic.DENY_ON_FIRST_DENY && !allowed)
          || (semantic == Semantic.PERMIT_ON_FIRST_PERMIT && allowed);
    }
  }

  /**
   * A batch's top-level {@code entities}, read once for all its items (reading them is most of
   * the work of an item). A member that cannot be read is each item's error, as before.
   */
  static final class SharedEntities {
    private final ValueTypes types;
    private final Part part;
    private List<EntityData> read;
    private ApiException error;

    SharedEntities(ValueTypes types, Part part) {
      this.types = types;
      this.part = part;
    }

    List<EntityData> get() {
      if (read == null && error == null) {
        try {
          read = AuthZenCodec.entities(types, part);
        } catch (ApiException e) {
          error = e;
        }
      }
      if (error != null) {
        throw error;
      }
      return read;
    }
  }

  static Semantic semantic(JsonNode options) {
    if (options == null || options.isNull()) {
      return Semantic.EXECUTE_ALL;
    }
    if (!options.isObject()) {
      throw ApiException.invalidAt("$.options", "`options` must be a JSON object");
    }
    JsonNode s = options.get("evaluations_semantic");
    if (s == null || s.isNull()) {
      return Semantic.EXECUTE_ALL;
    }
    if (s.isTextual()) {
      switch (s.textValue()) {
        case "execute_all":
          return Semantic.EXECUTE_ALL;
        case "deny_on_first_deny":
          return Semantic.DENY_ON_FIRST_DENY;
        case "permit_on_first_permit":
          return Semantic.PERMIT_ON_FIRST_PERMIT;
        default:
          break;
      }
    }
    throw ApiException.invalidAt("$.options.evaluations_semantic",
        "`evaluations_semantic` is one of \"execute_all\", \"deny_on_first_deny\", \"permit_on_first_permit\"");
  }

  /**
   * Every action the policy set knows for the resource's type, evaluated for this subject and
   * resource; the permitted ones are returned, sorted, a page at a time ({@link Paging}).
   * Budgets are not consumed: nothing is being done.
   */
  public void searchAction(RoutingContext ctx) {
    ObjectNode body = JsonCodec.parseObject(ctx.body().buffer());
    PolicySnapshot snap = decisions.snapshot();
    Part subject = Part.of(body, "subject", "$");
    Part resource = Part.of(body, "resource", "$");
    Part context = Part.of(body, "context", "$");
    List<EntityData> entities = AuthZenCodec.entities(snap.set().types(), Part.of(body, "entities", "$"));
    String type = AuthZenCodec.entity(snap.set().types(), resource, "resource").uid().type();
    Paging page = Paging.of(body, snap.version(), SearchHandlers.question(body));
    ObjectNode out = JsonCodec.object();
    ArrayNode results = out.putArray("results");
    String id = DecisionIds.next();
    String last = null;
    String next = "";
    for (String action : snap.set().actions(type)) {
      if (!page.after().isEmpty() && action.compareTo(page.after()) <= 0) {
        continue;
      }
      ObjectNode a = JsonCodec.object();
      a.put("name", action);
      Request req = AuthZenCodec.request(snap.set().types(), subject, resource, new Part(a, "$.action"), context,
          entities);
      if (!fitsItsAction(snap, req)) {
        continue; // an action this subject, resource or context cannot be asked about is not one it may do
      }
      Decision d = decisions.decide(snap, req, false, false, call(ctx, "search/action", id));
      if (d.allowed()) {
        if (results.size() == page.limit()) {
          next = page.next(last);
          break;
        }
        results.addObject().put("name", action);
        last = action;
      }
    }
    out.set("page", page.response(results.size(), next));
    Responses.json(ctx, 200, out);
  }

  /** Whether {@code req} fits what its action declares ({@code action NAME { … }}). */
  private static boolean fitsItsAction(PolicySnapshot snap, Request req) {
    try {
      snap.set().types().forAction(req);
      return true;
    } catch (dev.verdict.lang.eval.Values.JsonValueException e) {
      return false;
    }
  }

  /** {@code /.well-known/authzen-configuration}: the PDP identifier, the endpoints it serves and its capabilities. */
  public void configuration(RoutingContext ctx) {
    String base = publicUrl.orElseGet(() -> baseOf(ctx));
    ObjectNode out = JsonCodec.object();
    out.put("policy_decision_point", base);
    out.put("access_evaluation_endpoint", base + EVALUATION);
    out.put("access_evaluations_endpoint", base + EVALUATIONS);
    out.put("search_subject_endpoint", base + SearchHandlers.SEARCH_SUBJECT);
    out.put("search_resource_endpoint", base + SearchHandlers.SEARCH_RESOURCE);
    out.put("search_action_endpoint", base + SEARCH_ACTION);
    // Only URNs registered with IANA belong here (AuthZEN 1.0 §9.1.2); none is registered yet, so
    // the list is present and empty rather than filled with names no PEP could look up.
    out.putArray("capabilities");
    Responses.json(ctx, 200, out);
  }

  private static String baseOf(RoutingContext ctx) {
    String host = ctx.request().authority() == null ? null : ctx.request().authority().toString();
    if (host == null || !host.matches("[A-Za-z0-9.\\-:\\[\\]]{1,255}")) {
      host = ctx.request().localAddress().host() + ":" + ctx.request().localAddress().port();
    }
    return (ctx.request().isSSL() ? "https://" : "http://") + host;
  }

  private static CallInfo call(RoutingContext ctx, String endpoint, String decisionId) {
    return new CallInfo(AccessGuard.caller(ctx).name(), endpoint, decisionId, RequestIds.of(ctx));
  }
}
