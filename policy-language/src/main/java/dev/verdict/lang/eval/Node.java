package dev.verdict.lang.eval;

import dev.verdict.lang.source.Span;

/**
 * One step of a planned condition. Planned once when the policy set is compiled; every name,
 * constant and function is resolved then, so evaluation does no lookups by string except
 * attribute reads.
 */
abstract class Node {
  final Span span;
  /** The expression as written, for messages and traces. */
  final String text;

  Node(Span span, String text) {
    this.span = span;
    this.text = text;
  }

  abstract Value eval(Env env);

  /** Evaluates a condition: it must be a Bool. */
  final boolean test(Env env) {
    Value v = eval(env);
    if (v instanceof Value.Bool b) {
      return b.value();
    }
    throw new EvalException(span, "`" + text + "` is a " + v.kind() + ", not a Bool");
  }

  /** A constant, when the whole node is one (used for folding). */
  Value constant() {
    return null;
  }

  EvalException error(String message) {
    return new EvalException(span, message);
  }

  EvalException error(EvalError.Kind kind, String message) {
    return new EvalException(span, kind, message);
  }
}
