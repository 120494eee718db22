package dev.verdict.server.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;

/**
 * The slot for {@code GET|POST /v1/gateway/check} (nginx {@code auth_request}, Envoy
 * {@code ext_authz}, Traefik ForwardAuth). The router mounts it, with the request id and
 * timeout handlers in front, when one is given; it does its own (JWT) authentication.
 */
public interface GatewayHandler extends Handler<RoutingContext> {
  String PATH = "/v1/gateway/check";
}
