package dev.verdict.engine;

import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.lang.data.EntityUid;
import dev.verdict.lang.eval.EntityData;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import dev.verdict.lang.route.RouteMatch;
import dev.verdict.lang.route.RouteTable;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Turns a matched route into the request it describes: the one place that is done. */
public final class Routes {
  /**
   * Who asks through a {@code @public} route without a token: type {@code Anonymous}, the empty
   * id, no attributes, no roles and no parents. Gateways pass this very instance; a check with it
   * on a route that is not public (or on no route) answers {@link #TOKEN_REQUIRED}, never a
   * decision, so a missing token never reaches the rules of a route that expects one.
   */
  public static final EntityData ANONYMOUS = EntityData.of(new EntityUid("Anonymous", ""), Map.of(), List.of());
  /** The {@link GatewayCheck.Unrouted#reason} of an anonymous check on a route that is not public. */
  public static final String TOKEN_REQUIRED = "token-required";

  private Routes() {}


  /**
   * The route's resource (its type, and the id it binds; {@code ""} for a collection route),
   * its action, and a context of {@code given} plus the route's intent, parameters, the
   * method and the path without its query.
   */
  static Request request(RouteMatch.Matched m, EntityData principal, Map<String, Value> given, String method,
      String pathAndQuery) {
    EntityData resource = new EntityData(new EntityUid(m.resourceType(), m.resourceId().orElse("")), Map.of(),
        List.of(), false);
    return new Request(principal, resource, m.action(), context(m, given, method, pathAndQuery), List.of());
  }

  /**
   * {@code given} plus what a matched route adds to a request's context: its intent, its
   * parameters ({@code params}), the method and the path without its query. Gateway checks and
   * {@code verdict test}'s {@code request} lines both build their context here.
   */
  public static Map<String, Value> context(RouteMatch.Matched m, Map<String, Value> given, String method,
      String pathAndQuery) {
    Map<String, Value> context = new HashMap<>(given);
    m.intent().ifPresent(i -> context.put(ContextKeys.INTENT, new Value.Str(i)));
    Map<String, Value> params = new LinkedHashMap<>();
    m.params().forEach((k, v) -> params.put(k, new Value.Str(v)));
    context.put(ContextKeys.PARAMS, new Value.Rec(params));
    context.put(ContextKeys.METHOD, new Value.Str(method));
    context.put(ContextKeys.PATH, new Value.Str(RouteTable.pathOf(pathAndQuery)));
    return context;
  }

}
