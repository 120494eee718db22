package dev.verdict.engine;

import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.route.RouteMatch;

/** The answer to a route-aware check of an HTTP request: decided, or matching no route. */
public sealed interface GatewayCheck permits GatewayCheck.Routed, GatewayCheck.Unrouted {

  /** The policy version whose routes (and rules) answered. */
  String version();

  /**
   * The request matched a route and was decided.
   *
   * @param request what was decided: the route's resource, action, intent and parameters
   */
  record Routed(RouteMatch.Matched route, Request request, Decision decision) implements GatewayCheck {
    @Override
    public String version() {
      return decision.policyVersion();
    }
  }

  /**
   * No route matched, or the path was refused before matching; always a deny.
   *
   * @param reason a short word for the gateway's answer ({@code no-route}, {@code bad-path}, …)
   * @param message what a person reading the log needs to fix it
   */
  record Unrouted(String reason, String message, String version) implements GatewayCheck {}
}
