package dev.verdict.server.gateway;

import io.vertx.core.http.HttpServerRequest;
import java.util.List;

/** The bearer token of {@code Authorization: Bearer …} (RFC 6750 §2.1), or null when there is none. */
final class BearerToken {
  private static final String SCHEME = "bearer ";

  private BearerToken() {}

  /**
   * @return the token, null when no bearer credential is present, or the empty string when the
   *     header is malformed (repeated, or a bearer scheme without a token), which is refused as
   *     an invalid token rather than read as "no token"
   */
  static String of(HttpServerRequest request) {
    List<String> all = request.headers().getAll("Authorization");
    String bearer = null;
    for (String value : all) {
      String v = value.trim();
      if (v.length() >= SCHEME.length() - 1 && v.regionMatches(true, 0, SCHEME, 0, SCHEME.length() - 1)
          && (v.length() == SCHEME.length() - 1 || v.charAt(SCHEME.length() - 1) == ' ')) {
        if (bearer != null) {
          return "";
        }
        bearer = v.substring(SCHEME.length() - 1).trim();
      }
    }
    return bearer;
  }
}
