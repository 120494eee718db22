package dev.verdict.server.http;

/**
 * The closed set of error codes a caller can see in {@code {"error": {"code", …}}}, each with
 * its HTTP status. Callers may switch on the code; the message is for people and may change.
 */
public enum ErrorCode {
  INVALID_JSON("invalid_json", 400),
  INVALID_REQUEST("invalid_request", 400),
  UNAUTHENTICATED("unauthenticated", 401),
  FORBIDDEN("forbidden", 403),
  NOT_FOUND("not_found", 404),
  METHOD_NOT_ALLOWED("method_not_allowed", 405),
  REQUEST_TIMEOUT("request_timeout", 408),
  PAYLOAD_TOO_LARGE("payload_too_large", 413),
  TOO_MANY_ITEMS("too_many_items", 413),
  UNSUPPORTED_MEDIA_TYPE("unsupported_media_type", 415),
  PLAN_UNSUPPORTED("plan_unsupported", 422),
  URI_TOO_LONG("uri_too_long", 414),
  HEADERS_TOO_LARGE("headers_too_large", 431),
  PUSH_OFF("push_off", 409),
  POLICY_PUSHED("policy_pushed", 409),
  BUNDLE_REFUSED("bundle_refused", 422),
  LINKS_FULL("links_full", 409),
  LINKS_CLUSTERED("links_clustered", 409),
  OVERLOADED("overloaded", 503),
  POLICY_NOT_LOADED("policy_not_loaded", 503),
  REVISION_NOT_REACHED("revision_not_reached", 503),
  STORE_FULL("store_full", 507),
  INTERNAL_ERROR("internal_error", 500);

  private final String code;
  private final int status;

  ErrorCode(String code, int status) {
    this.code = code;
    this.status = status;
  }

  public String code() {
    return code;
  }

  public int status() {
    return status;
  }
}
