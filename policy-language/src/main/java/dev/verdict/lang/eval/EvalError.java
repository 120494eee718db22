package dev.verdict.lang.eval;

import dev.verdict.lang.source.Span;
import java.util.Locale;
import java.util.Objects;

/**
 * A condition that could not be evaluated: which rule, where, why, and a code for the kind of
 * failure (for gateway answers, logs and metrics, which must not carry the message: it may
 * quote attribute values). The rule then fails closed: a permit does not apply, a forbid does.
 */
public record EvalError(String ruleId, Span span, String message, Kind kind) {
  /** The closed set of failure kinds; {@link #code} is their stable wire form. */
  public enum Kind {
    /** A value of the wrong type for an operator, function or condition. */
    TYPE_MISMATCH,
    /** An attribute or context member the request did not carry. */
    MISSING_ATTRIBUTE,
    /** An entity the request names but whose data it does not give. */
    MISSING_ENTITY,
    /** A value of the right type that does not parse (an IP, a time, a duration, a range). */
    INVALID_VALUE,
    /** Arithmetic outside the range of times. */
    OUT_OF_RANGE,
    /** The request's entity hierarchy is too deep or has a cycle. */
    HIERARCHY,
    /** A role condition of a field rule could not be evaluated. */
    ROLE_CONDITION,
    /** A rate limit's key could not be computed; the request is refused. */
    LIMIT_KEY,
    /** The budget store did not answer (a cluster that is unreachable or too slow); refused. */
    BUDGET_UNAVAILABLE,
    /** No policy set is loaded; every request is refused. */
    NOT_LOADED,
    /** The entity store could not answer from memory (a cluster that cannot be read); refused. */
    ENTITIES_UNAVAILABLE;

    public String code() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  public EvalError {
    Objects.requireNonNull(ruleId, "ruleId is null");
    Objects.requireNonNull(span, "span is null");
    Objects.requireNonNull(message, "message is null");
    Objects.requireNonNull(kind, "kind is null");
  }

  @Override
  public String toString() {
    return ruleId + " at " + span.location() + ": " + message;
  }
}
