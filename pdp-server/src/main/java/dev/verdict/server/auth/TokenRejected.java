package dev.verdict.server.auth;

import java.util.Locale;
import java.util.Objects;

/**
 * A bearer token that was refused, with a reason fit for metrics and a message fit for logs. The
 * message never contains the token, nor any claim value taken from it.
 */
public final class TokenRejected extends Exception {
  private static final long serialVersionUID = 1L;

  /** Why a token was refused. */
  public enum Reason {
    /** No token at all. */
    MISSING,
    /** Not a well-formed compact JWS with JSON header and claims, or over the size limits. */
    MALFORMED,
    /** {@code alg} is {@code none} or not in the allow-list (this covers HMAC/RSA confusion). */
    UNSUPPORTED_ALGORITHM,
    /** No key in the JWKS matches the token's {@code kid} and algorithm. */
    UNKNOWN_KEY,
    /** The signature does not verify with the selected key. */
    BAD_SIGNATURE,
    /** {@code exp} is past, beyond the allowed clock skew. */
    EXPIRED,
    /** {@code nbf} or {@code iat} is in the future, beyond the allowed clock skew. */
    NOT_YET_VALID,
    /** {@code iss} is not the configured issuer. */
    WRONG_ISSUER,
    /** {@code aud} holds none of the configured audiences. */
    WRONG_AUDIENCE,
    /** A required claim ({@code iss}, {@code aud}, {@code exp}, {@code sub}, maybe {@code iat}) is absent. */
    MISSING_CLAIM,
    /** The {@code typ} header is not an accepted token type. */
    WRONG_TYPE,
    /** The signing keys could not be loaded or fetched; the token may be fine. */
    JWKS_UNAVAILABLE;

    /** The reason in snake case, e.g. {@code bad_signature}, for metric tags and log fields. */
    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Reason reason;

  TokenRejected(Reason reason, String message) {
    // no stack trace: rejections are routine, attacker-driven and must stay cheap
    super(message, null, false, false);
    this.reason = Objects.requireNonNull(reason, "reason is null");
  }

  public Reason reason() {
    return reason;
  }
}
