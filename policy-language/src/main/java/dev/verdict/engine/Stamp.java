package dev.verdict.engine;

import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;

/**
 * Sets {@code context.now} from the engine's clock: the one place a request gets its time. A
 * caller's own {@code now} is replaced, since it would let the caller step outside time-based
 * rules; tests that need another time give the engine a fixed clock.
 */
final class Stamp {
  /** Reserved context key: the time of the decision. */
  static final String NOW = "now";

  private record Last(long millis, Value text) {}

  // Formatting an instant costs more than the rest of a simple decision's bookkeeping, and at
  // tens of thousands of decisions a second most ask for the same millisecond. Racing threads
  // may both format and overwrite; either result is correct.
  private static volatile Last last = new Last(Long.MIN_VALUE, null);

  private Stamp() {}

  static Request now(Request request, long nowMillis) {
    return request.withContext(NOW, value(nowMillis));
  }

  static Value value(long millis) {
    Last l = last;
    if (l.millis() == millis) {
      return l.text();
    }
    Value v = new Value.Str(java.time.Instant.ofEpochMilli(millis).toString());
    last = new Last(millis, v);
    return v;
  }
}
