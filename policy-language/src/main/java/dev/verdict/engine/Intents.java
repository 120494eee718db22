package dev.verdict.engine;

import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.lang.eval.PolicySet;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;

/** Which intent's limits a request falls under: the one place that is decided. */
final class Intents {
  private Intents() {}

  /** {@code context.intent} when given, else the intent routed for the type and action; null for none. */
  static String of(PolicySet set, Request request) {
    if (request.context().get(ContextKeys.INTENT) instanceof Value.Str s) {
      return s.value();
    }
    return set.intentFor(request.resource().uid().type(), request.action()).orElse(null);
  }
}
