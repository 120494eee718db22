package dev.verdict.server.auth;

import static dev.verdict.server.auth.TokenRejected.Reason.EXPIRED;
import static dev.verdict.server.auth.TokenRejected.Reason.MALFORMED;
import static dev.verdict.server.auth.TokenRejected.Reason.MISSING_CLAIM;
import static dev.verdict.server.auth.TokenRejected.Reason.NOT_YET_VALID;
import static dev.verdict.server.auth.TokenRejected.Reason.WRONG_AUDIENCE;
import static dev.verdict.server.auth.TokenRejected.Reason.WRONG_ISSUER;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * The registered claims (RFC 7519 §4.1) against the configuration and the clock. Dates are
 * compared with the configured skew on the lenient side only.
 */
final class ClaimRules {
  // RFC 3339 cannot write later instants; clamping keeps absurd values from overflowing
  private static final BigDecimal MAX_EPOCH_SECOND = BigDecimal.valueOf(253_402_300_799L);
  private static final BigDecimal MIN_EPOCH_SECOND = BigDecimal.ZERO;

  private final String issuer;
  private final Set<String> audiences;
  private final Duration skew;
  private final boolean requireIssuedAt;

  ClaimRules(JwtConfig config) {
    this.issuer = config.issuer();
    this.audiences = config.audiences();
    this.skew = config.maxClockSkew();
    this.requireIssuedAt = config.requireIssuedAt();
  }

  /** Checks the claims at {@code now} and returns {@code exp}. */
  Instant check(JsonNode claims, Instant now) throws TokenRejected {
    String iss = string(claims, "iss");
    if (iss == null) {
      throw missing("iss");
    }
    if (!iss.equals(issuer)) {
      throw new TokenRejected(WRONG_ISSUER, "token issuer is not the trusted issuer");
    }
    checkAudience(claims.get("aud"));
    Instant exp = date(claims, "exp");
    if (exp == null) {
      throw missing("exp");
    }
    if (!now.isBefore(exp.plus(skew))) {
      throw new TokenRejected(EXPIRED, "token expired at " + exp);
    }
    Instant nbf = date(claims, "nbf");
    if (nbf != null && now.plus(skew).isBefore(nbf)) {
      throw new TokenRejected(NOT_YET_VALID, "token is not valid before " + nbf);
    }
    Instant iat = date(claims, "iat");
    if (iat == null && requireIssuedAt) {
      throw missing("iat");
    }
    if (iat != null && now.plus(skew).isBefore(iat)) {
      throw new TokenRejected(NOT_YET_VALID, "token is issued in the future, at " + iat);
    }
    String sub = string(claims, "sub");
    if (sub == null || sub.isEmpty()) {
      throw missing("sub");
    }
    return exp;
  }

  /** Whether a token with this {@code exp} is still good at {@code now}: the cache-hit check. */
  boolean unexpired(Instant exp, Instant now) {
    return now.isBefore(exp.plus(skew));
  }

  /** How long past {@code exp} a token stays good. */
  Duration skew() {
    return skew;
  }

  private void checkAudience(JsonNode aud) throws TokenRejected {
    if (aud == null || aud.isNull()) {
      throw missing("aud");
    }
    if (aud.isTextual()) {
      if (audiences.contains(aud.textValue())) {
        return;
      }
    } else if (aud.isArray()) {
      if (aud.isEmpty()) {
        throw missing("aud");
      }
      for (JsonNode a : aud) {
        if (!a.isTextual()) {
          throw new TokenRejected(MALFORMED, "claim `aud` must be a string or an array of strings");
        }
      }
      for (JsonNode a : aud) {
        if (audiences.contains(a.textValue())) {
          return;
        }
      }
    } else {
      throw new TokenRejected(MALFORMED, "claim `aud` must be a string or an array of strings");
    }
    throw new TokenRejected(WRONG_AUDIENCE, "token audience does not include this service");
  }

  private static String string(JsonNode claims, String name) throws TokenRejected {
    JsonNode v = claims.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isTextual()) {
      throw new TokenRejected(MALFORMED, "claim `" + name + "` must be a string");
    }
    return v.textValue();
  }

  private static Instant date(JsonNode claims, String name) throws TokenRejected {
    JsonNode v = claims.get(name);
    if (v == null || v.isNull()) {
      return null;
    }
    if (!v.isNumber() || (v.isFloatingPointNumber() && !v.isBigDecimal() && !Double.isFinite(v.doubleValue()))) {
      throw new TokenRejected(MALFORMED, "claim `" + name + "` must be a number of seconds since the epoch");
    }
    BigDecimal seconds = v.decimalValue();
    if (seconds.compareTo(MAX_EPOCH_SECOND) > 0) {
      seconds = MAX_EPOCH_SECOND;
    } else if (seconds.compareTo(MIN_EPOCH_SECOND) < 0) {
      seconds = MIN_EPOCH_SECOND;
    }
    long whole = seconds.longValue();
    long nanos = seconds.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
    return Instant.ofEpochSecond(whole, nanos);
  }

  private static TokenRejected missing(String claim) {
    return new TokenRejected(MISSING_CLAIM, "required claim `" + claim + "` is missing");
  }
}
