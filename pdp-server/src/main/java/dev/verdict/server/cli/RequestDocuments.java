package dev.verdict.server.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.verdict.server.http.ApiException;
import dev.verdict.server.http.JsonCodec;
import io.vertx.core.buffer.Buffer;

/**
 * Request documents for {@code verdict eval} and {@code verdict bench}, read as the server reads
 * a body ({@link JsonCodec}): the same bounds, a member named twice refused, nothing after the
 * document. So a request the server refuses is refused here too, with the same words.
 */
final class RequestDocuments {
  private RequestDocuments() {}

  /** A request document that cannot be read, and the line saying why. */
  static final class Unreadable extends Exception {
    Unreadable(String message) {
      super(message, null, false, false);
    }
  }

  static JsonNode read(byte[] bytes) throws Unreadable {
    try {
      return JsonCodec.parseObject(Buffer.buffer(bytes));
    } catch (ApiException e) {
      JsonNode d = e.details();
      if (d != null && d.has("line")) {
        throw new Unreadable("error: the request is not valid JSON at line " + d.get("line").asInt() + ", column "
            + d.get("column").asInt() + ": " + e.getMessage());
      }
      String at = d != null && d.has("path") ? " at " + d.get("path").asText() : "";
      throw new Unreadable("error: invalid request" + at + ": " + e.getMessage().replace("the body", "the request"));
    }
  }
}
