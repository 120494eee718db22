package dev.verdict.server.gateway;

import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.ErrorCode;
import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/**
 * The method and request target of the request a gateway asks about. The gateway states them in
 * headers ({@code X-Original-Method}/{@code X-Original-URI} from nginx, or
 * {@code X-Forwarded-Method}/{@code X-Forwarded-Uri} from Traefik), or, for Envoy's ext_authz
 * HTTP service, they are this request's own method and the path after the Envoy prefix.
 *
 * <p>Only the shape is checked here (present once, bounded, a method token); whether the target
 * is a path we read the same way as the back end is the route table's job, which refuses what
 * it cannot read unambiguously.
 *
 * @param target the raw request target, query included, exactly as the gateway sent it
 */
record OriginalRequest(String method, String target) {
  /** Longest method accepted; real methods are a few letters. */
  static final int MAX_METHOD = 32;
  /** Longest target accepted, above the route table's own limit so that it can say why. */
  static final int MAX_TARGET = 8 * 1024;

  private static final List<String[]> HEADER_PAIRS = List.of(
      new String[] {"X-Original-Method", "X-Original-URI"},
      new String[] {"X-Forwarded-Method", "X-Forwarded-Uri"});

  /**
   * The original request from the gateway's headers; a 400 when they are missing or ambiguous.
   * Both pairs may be present (a Traefik behind nginx, say) only when they agree: a request whose
   * pairs name different requests could be checked as one and served as the other.
   */
  static OriginalRequest fromHeaders(HttpServerRequest request) {
    OriginalRequest found = null;
    String foundPair = null;
    for (String[] pair : HEADER_PAIRS) {
      String method = single(request, pair[0]);
      String target = single(request, pair[1]);
      if (method == null && target == null) {
        continue;
      }
      if (method == null || target == null) {
        throw new ApiException(ErrorCode.INVALID_REQUEST, "the gateway sent `" + (method == null ? pair[1] : pair[0])
            + "` without `" + (method == null ? pair[0] : pair[1]) + "`");
      }
      OriginalRequest r = checked(method, target);
      if (found != null && !found.equals(r)) {
        throw new ApiException(ErrorCode.INVALID_REQUEST, "the gateway sent `" + foundPair + "` and `" + pair[0]
            + "`/`" + pair[1] + "` naming different requests; configure it to send one pair (docs/gateways.md)");
      }
      found = r;
      foundPair = pair[0] + "`/`" + pair[1];
    }
    if (found != null) {
      return found;
    }
    throw new ApiException(ErrorCode.INVALID_REQUEST, "the gateway sent no original request: set"
        + " `X-Original-Method` and `X-Original-URI` (nginx) or `X-Forwarded-Method` and `X-Forwarded-Uri` (Traefik)");
  }

  /** Envoy mode: this request's method, and its raw target after {@code prefix}. */
  static OriginalRequest fromEnvoy(HttpServerRequest request, String prefix) {
    String uri = request.uri();
    if (uri == null || !uri.startsWith(prefix + "/")) {
      // the router matched a normalised path; the raw one must carry the prefix literally
      return checked(request.method().name(), "");
    }
    return checked(request.method().name(), uri.substring(prefix.length()));
  }

  private static String single(HttpServerRequest request, String name) {
    List<String> all = request.headers().getAll(name);
    if (all.isEmpty()) {
      return null;
    }
    if (all.size() > 1) {
      // two values could be read differently by the gateway and by us
      throw new ApiException(ErrorCode.INVALID_REQUEST, "the gateway sent `" + name + "` more than once");
    }
    return all.get(0).trim();
  }

  private static OriginalRequest checked(String method, String target) {
    if (method.isEmpty() || method.length() > MAX_METHOD) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, "the original method must be 1 to " + MAX_METHOD
          + " characters");
    }
    for (int i = 0; i < method.length(); i++) {
      char c = method.charAt(i);
      if (c < 'A' || c > 'Z') {
        throw new ApiException(ErrorCode.INVALID_REQUEST, "the original method must be an upper-case HTTP method"
            + " such as `GET`");
      }
    }
    if (target.length() > MAX_TARGET) {
      throw new ApiException(ErrorCode.INVALID_REQUEST, "the original URI is longer than " + MAX_TARGET
          + " characters");
    }
    return new OriginalRequest(method, target);
  }
}
