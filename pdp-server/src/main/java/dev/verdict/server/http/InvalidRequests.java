package dev.verdict.server.http;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers requests the HTTP layer could not decode (request line or headers too long, a
 * malformed request line): the API's JSON error shape with the status the HTTP layer chose,
 * then the connection closes, since what follows cannot be framed as a request.
 */
public final class InvalidRequests {
  /** The HTTP layer's limits, set on the server and named in the answers. */
  public static final int MAX_INITIAL_LINE = 4 * 1024;
  public static final int MAX_HEADERS = 8 * 1024;

  private InvalidRequests() {}

  public static void answer(HttpServerRequest request) {
    DecoderResult result = request.decoderResult();
    Throwable cause = result == null ? null : result.cause();
    ApiException e;
    if (cause instanceof TooLongHttpLineException) {
      e = new ApiException(ErrorCode.URI_TOO_LONG, "the request line is longer than the limit ("
          + MAX_INITIAL_LINE + " bytes)");
    } else if (cause instanceof TooLongHttpHeaderException) {
      e = new ApiException(ErrorCode.HEADERS_TOO_LARGE, "the request headers are larger than the limit ("
          + MAX_HEADERS + " bytes)");
    } else {
      e = new ApiException(ErrorCode.INVALID_REQUEST, "the HTTP request could not be read");
    }
    Responses.errorAndClose(request.response(), e);
  }
}
