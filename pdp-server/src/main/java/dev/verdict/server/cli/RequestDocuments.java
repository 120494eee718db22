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

  /** The largest request document a verb reads, from a file or standard input. */
  static final int MAX_REQUEST_BYTES = 1024 * 1024;

  /**
   * The request document named on a verb's command line: a file, or {@code -} for standard
   * input, at most {@link #MAX_REQUEST_BYTES}, read as {@link #read} reads it.
   */
  static JsonNode load(String request, java.io.InputStream stdin) throws Unreadable, java.io.IOException {
    byte[] bytes;
    if (request.equals("-")) {
      bytes = stdin.readNBytes(MAX_REQUEST_BYTES + 1);
      if (bytes.length > MAX_REQUEST_BYTES) {
        throw new Unreadable("error: request is larger than " + MAX_REQUEST_BYTES + " bytes");
      }
    } else {
      java.nio.file.Path p = java.nio.file.Path.of(request);
      if (!java.nio.file.Files.isRegularFile(p)) {
        throw new Unreadable("error: request file `" + request + "` does not exist");
      }
      if (java.nio.file.Files.size(p) > MAX_REQUEST_BYTES) {
        throw new Unreadable("error: request file is larger than " + MAX_REQUEST_BYTES + " bytes");
      }
      bytes = java.nio.file.Files.readAllBytes(p);
    }
    return read(bytes);
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
