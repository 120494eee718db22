package dev.verdict.server.http;

import dev.verdict.server.decision.DecisionIds;
import io.vertx.core.http.HttpHeaders;
import io.vertx.ext.web.RoutingContext;

/**
 * Gives every request an id, echoed in {@code X-Request-ID}: the caller's when it is short and
 * of a safe alphabet (it ends up in logs and headers), otherwise a new random one.
 */
public final class RequestIds {
  /** Pre-encoded once: the name is written into every answer's head. */
  static final CharSequence HEADER = HttpHeaders.createOptimized("X-Request-ID");
  static final String KEY = "verdict.requestId";
  static final int MAX_LENGTH = 128;

  private RequestIds() {}

  /** Settles {@code ctx}'s id and puts it on the answer; see {@link RequestStart}. */
  static void assign(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = acceptable(given) ? given : generate();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
  }

  static boolean acceptable(String id) {
    if (id == null || id.isEmpty() || id.length() > MAX_LENGTH) {
      return false;
    }
    for (int i = 0; i < id.length(); i++) {
      char c = id.charAt(i);
      boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
          || c == '-' || c == '_' || c == '.' || c == ':' || c == '/' || c == '+' || c == '=';
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  /** 128 random bits as hex, the decision id's form; request ids are for correlation, not secrets. */
  static String generate() {
    return DecisionIds.next();
  }

  public static String of(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "" : id;
  }
}
