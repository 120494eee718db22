package dev.verdict.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The slot for {@code GET|POST /v1/gateway/check} (nginx {@code auth_request}, Envoy
 * {@code ext_authz}, Traefik ForwardAuth) and {@code /v1/gateway/envoy/*}. The router mounts
 * it, with the request id, timeout and caller (API key) handlers in front, when one is given;
 * it authenticates the end user's bearer token itself.
 */
public interface GatewayHandler extends Handler<RoutingContext> {
  String PATH = "/v1/gateway/check";
  /** Envoy ext_authz (HTTP service) mode: the original path follows this prefix, any method. */
  String ENVOY_PREFIX = "/v1/gateway/envoy";
  /** Set (to {@code true}) on the routing context of requests that came through {@link #ENVOY_PREFIX}. */
  String ENVOY_MODE = "verdict.gateway.envoy";
}
