package dev.verdict.server.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.RoutingContext;

/** Writes JSON answers and JSON errors; every response of the API goes through here. */
public final class Responses {
  private static final CharSequence JSON = HttpHeaders.createOptimized("application/json");
  private static final CharSequence NO_STORE = HttpHeaders.createOptimized("no-store");

  private Responses() {}

  public static void json(RoutingContext ctx, int status, JsonNode body) {
    json(ctx, status, JsonCodec.encode(body));
  }

  /** A JSON answer already written (see {@link JsonCodec#write}). */
  public static void json(RoutingContext ctx, int status, io.vertx.core.buffer.Buffer body) {
    HttpServerResponse r = ctx.response();
    if (r.ended() || r.closed()) {
      return;
    }
    r.setStatusCode(status)
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
        .end(body);
  }

  public static void error(RoutingContext ctx, ApiException e) {
    error(ctx, e, e.code().status());
  }

  /** An error with another status than its code's usual one (a timeout is an internal error, 503). */
  public static void error(RoutingContext ctx, ApiException e, int status) {
    if (e.code() == ErrorCode.UNAUTHENTICATED) {
      ctx.response().putHeader("WWW-Authenticate", "ApiKey");
    }
    json(ctx, status, errorBody(e));
  }

  /**
   * An error answered outside the router (the HTTP layer refused the request before it could be
   * routed, or the connection is about to be closed): the same JSON shape, then the connection
   * closes, since the rest of what the caller sent cannot be trusted to frame a next request.
   */
  public static void errorAndClose(HttpServerResponse r, ApiException e) {
    if (r.ended() || r.closed() || r.headWritten()) {
      return;
    }
    r.setStatusCode(e.code().status())
        .putHeader(HttpHeaders.CONTENT_TYPE, JSON)
        .putHeader(HttpHeaders.CACHE_CONTROL, NO_STORE)
        .putHeader(HttpHeaders.CONNECTION, HttpHeaders.CLOSE)
        .end(JsonCodec.encode(errorBody(e)));
  }

  private static ObjectNode errorBody(ApiException e) {
    ObjectNode body = JsonCodec.object();
    ObjectNode err = body.putObject("error");
    err.put("code", e.code().code());
    err.put("message", e.getMessage());
    err.set("details", e.details());
    return body;
  }
}
