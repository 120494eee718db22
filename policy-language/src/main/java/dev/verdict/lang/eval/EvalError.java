package dev.verdict.lang.eval;

import dev.verdict.lang.source.Span;
import java.util.Objects;

/**
 * A condition that could not be evaluated: which rule, where, and why. The rule then fails
 * closed: a permit does not apply, a forbid does.
 */
public record EvalError(String ruleId, Span span, String message) {
  public EvalError {
    Objects.requireNonNull(ruleId, "ruleId is null");
    Objects.requireNonNull(span, "span is null");
    Objects.requireNonNull(message, "message is null");
  }

  @Override
  public String toString() {
    return ruleId + " at " + span.location() + ": " + message;
  }
}
