package dev.verdict.lang.eval;

import dev.verdict.lang.source.Span;

/**
 * Raised inside evaluation when a value is missing or of the wrong kind. Stackless: it is
 * control flow for the fail-closed path, never shown as a trace, and cheap to throw.
 */
final class EvalException extends RuntimeException {
  private final transient Span span;
  private final EvalError.Kind kind;

  EvalException(Span span, String message) {
    this(span, EvalError.Kind.TYPE_MISMATCH, message);
  }

  EvalException(Span span, EvalError.Kind kind, String message) {
    super(message, null, false, false);
    this.span = span;
    this.kind = kind;
  }

  Span span() {
    return span;
  }

  EvalError.Kind kind() {
    return kind;
  }
}
