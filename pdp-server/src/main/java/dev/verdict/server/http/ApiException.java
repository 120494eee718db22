package dev.verdict.server.http;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Objects;

/**
 * A request that cannot be answered with a decision, carried to the error writer. It has no
 * stack trace: it is an expected outcome of bad input, never logged as a failure.
 */
public final class ApiException extends RuntimeException {
  private final ErrorCode code;
  private final ObjectNode details;

  public ApiException(ErrorCode code, String message) {
    this(code, message, JsonNodeFactory.instance.objectNode());
  }

  public ApiException(ErrorCode code, String message, ObjectNode details) {
    super(message, null, false, false);
    this.code = Objects.requireNonNull(code, "code is null");
    this.details = Objects.requireNonNull(details, "details is null");
  }

  /** An {@code invalid_request} naming the JSON path of the offending member. */
  public static ApiException invalidAt(String path, String message) {
    ObjectNode d = JsonNodeFactory.instance.objectNode();
    d.put("path", path);
    return new ApiException(ErrorCode.INVALID_REQUEST, message, d);
  }

  public ErrorCode code() {
    return code;
  }

  public ObjectNode details() {
    return details.deepCopy();
  }
}
