package dev.verdict.server.gateway;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.lang.eval.Decision;
import dev.verdict.lang.mask.WriteCheck;
import dev.verdict.lang.mask.WriteMask;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.ErrorCode;
import dev.verdict.server.http.JsonBodies;
import dev.verdict.server.http.JsonCodec;
import io.vertx.core.buffer.Buffer;
import io.vertx.ext.web.RequestBody;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Locale;

/**
 * The mass-assignment check at the edge: when the gateway sends the original request's body
 * (Envoy {@code with_request_body}, Traefik {@code forwardBody}) and the allowed decision denies
 * writing some fields, the body must not set any of them, with exactly the SDK servlet filter's
 * semantics ({@link WriteCheck}). Only a body that can be read whole is checked; everything
 * else is refused, never passed unchecked: a body the gateway cut short (Envoy's
 * {@code x-envoy-auth-partial-body: true}) is 413, a body declared as something other than JSON
 * 415, a body that is not JSON 400. Bodies over the server's body limit never get here (413
 * from the body handler). A decision without denied fields, or a request without a body, passes
 * as before: the back end still gets {@code X-Verdict-Write-Deny}.
 */
final class GatewayBody {
  /** Envoy sets it to {@code true} when it sent only the first {@code max_request_bytes}. */
  static final String ENVOY_PARTIAL = "x-envoy-auth-partial-body";
  /** Names the fields a refused body sets, for the client (as the 403 body does). */
  static final String DENIED_FIELDS = "X-Verdict-Denied-Fields";

  private GatewayBody() {}

  /**
   * The denied fields the body sets, sorted; empty when the request may go on.
   *
   * @throws ApiException when there is a body to check that cannot be read whole as JSON
   */
  static List<String> deniedFields(RoutingContext ctx, Decision d) {
    if (d.writeDenied().isEmpty()) {
      return List.of();
    }
    RequestBody requestBody = ctx.body();
    Buffer body = requestBody == null ? null : requestBody.buffer();
    if (body == null || body.length() == 0) {
      return List.of();
    }
    String fields = String.join(", ", d.writeDenied());
    if ("true".equalsIgnoreCase(ctx.request().getHeader(ENVOY_PARTIAL))) {
      throw new ApiException(ErrorCode.PAYLOAD_TOO_LARGE, "the gateway sent only part of the body, so the fields"
          + " this route protects (" + fields + ") cannot be checked; raise Envoy's `max_request_bytes`"
          + " (docs/gateways.md)");
    }
    String removed = ctx.get(JsonBodies.REMOVED_CONTENT_TYPE);
    String type = removed != null ? removed : ctx.request().getHeader("Content-Type");
    if (type != null && !isJson(type)) {
      throw new ApiException(ErrorCode.UNSUPPORTED_MEDIA_TYPE, "this route protects fields (" + fields + "): send"
          + " the body as JSON (`Content-Type: application/json`)");
    }
    JsonNode parsed = JsonCodec.parseDocument(body);
    return WriteCheck.deniedFields(WriteMask.of(d.writeDenied()), parsed);
  }

  private static boolean isJson(String contentType) {
    String t = contentType.toLowerCase(Locale.ROOT);
    int semi = t.indexOf(';');
    String media = (semi < 0 ? t : t.substring(0, semi)).trim();
    return media.equals("application/json") || (media.startsWith("application/") && media.endsWith("+json"));
  }
}
