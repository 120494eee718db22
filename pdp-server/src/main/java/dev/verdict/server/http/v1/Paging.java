package dev.verdict.server.http.v1;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.JsonCodec;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;

/**
 * The {@code page} of an AuthZEN search: {@code limit} in, {@code next_token} and {@code count}
 * out. A token is opaque to the caller: the position after which the next page starts, bound to
 * the policy version and to the question, so a token from before a reload, or from another
 * search, is a clear {@code invalid_request} rather than a page of a different answer.
 *
 * @param limit the most results of this page
 * @param after the key of the last result of the previous page; empty for the first page
 */
record Paging(int limit, String after, String version, String question) {
  static final int DEFAULT_LIMIT = 100;
  static final int MAX_LIMIT = 1000;
  /** A token is a small JSON document; anything much larger is not one of ours. */
  private static final int MAX_TOKEN_CHARS = 2048;

  /**
   * The page asked for in {@code body.page}.
   *
   * @param question what the search asks (its subject, resource, action and context), hashed into the token
   */
  static Paging of(ObjectNode body, String version, String question) {
    String digest = digest(question);
    JsonNode page = body.get("page");
    if (page == null || page.isNull()) {
      return new Paging(DEFAULT_LIMIT, "", version, digest);
    }
    if (!page.isObject()) {
      throw ApiException.invalidAt("$.page", "`page` must be an object with optional `token` and `limit`");
    }
    int limit = DEFAULT_LIMIT;
    JsonNode l = page.get("limit");
    if (l != null && !l.isNull()) {
      if (!l.canConvertToInt() || !l.isIntegralNumber() || l.intValue() < 1 || l.intValue() > MAX_LIMIT) {
        throw ApiException.invalidAt("$.page.limit", "`limit` must be a whole number from 1 to " + MAX_LIMIT);
      }
      limit = l.intValue();
    }
    JsonNode t = page.get("token");
    if (t == null || t.isNull() || (t.isTextual() && t.textValue().isEmpty())) {
      return new Paging(limit, "", version, digest);
    }
    if (!t.isTextual() || t.textValue().length() > MAX_TOKEN_CHARS) {
      throw badToken();
    }
    JsonNode decoded;
    try {
      decoded = JsonCodec.parseObject(io.vertx.core.buffer.Buffer.buffer(Base64.getUrlDecoder().decode(t.textValue())));
    } catch (RuntimeException e) {
      throw badToken();
    }
    if (!decoded.path("v").isTextual() || !decoded.path("q").isTextual() || !decoded.path("a").isTextual()) {
      throw badToken();
    }
    if (!decoded.get("v").textValue().equals(version)) {
      throw ApiException.invalidAt("$.page.token", "the policy set changed since this search began (the token is for "
          + decoded.get("v").textValue() + ", the server now serves " + version
          + "); start the search again without a token");
    }
    if (!decoded.get("q").textValue().equals(digest)) {
      throw ApiException.invalidAt("$.page.token", "the token belongs to another search; send the same subject,"
          + " resource, action and context as the search that returned it, or start again without a token");
    }
    return new Paging(limit, decoded.get("a").textValue(), version, digest);
  }

  /** The token for the page after the one that ended at {@code lastKey}. */
  String next(String lastKey) {
    ObjectNode o = JsonCodec.object();
    o.put("v", version);
    o.put("q", question);
    o.put("a", lastKey);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(o.toString().getBytes(StandardCharsets.UTF_8));
  }

  /** {@code {"next_token": …, "count": n}}; the token is empty on the last page. */
  ObjectNode response(int count, String nextToken) {
    ObjectNode p = JsonCodec.object();
    p.put("next_token", nextToken);
    p.put("count", count);
    return p;
  }

  private static ApiException badToken() {
    return ApiException.invalidAt("$.page.token", "`token` is not a token this server issued; pass `next_token`"
        + " of the previous page unchanged, or start again without a token");
  }

  private static String digest(String s) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(d, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
