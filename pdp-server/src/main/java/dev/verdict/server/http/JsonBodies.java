package dev.verdict.server.http;

import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.util.Locale;

/**
 * Every body of the API is read as JSON, whatever its {@code Content-Type}: {@code curl -d}
 * labels JSON {@code application/x-www-form-urlencoded}, and the body handler would then
 * decode it as a form, which refuses a JSON body over 1 KiB (its buffering bound for a form
 * field without {@code =}) and passes a smaller one. The form label is therefore taken off
 * before the body is read; multipart bodies are left to fail as JSON like any other non-JSON.
 */
public final class JsonBodies implements PlatformHandler {
  /**
   * The routing context key of the form label taken off, for a handler that must know what the
   * body was declared as (the gateway refuses a form body for a route that protects fields).
   */
  public static final String REMOVED_CONTENT_TYPE = "verdict.removed-content-type";

  @Override
  public void handle(RoutingContext ctx) {
    String type = ctx.request().getHeader(HttpHeaders.CONTENT_TYPE);
    if (type != null && type.toLowerCase(Locale.ROOT).startsWith("application/x-www-form-urlencoded")) {
      ctx.request().headers().remove(HttpHeaders.CONTENT_TYPE);
      ctx.put(REMOVED_CONTENT_TYPE, type);
    }
    ctx.next();
  }
}
