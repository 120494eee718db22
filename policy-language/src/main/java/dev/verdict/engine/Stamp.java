package dev.verdict.engine;

import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;

/**
 * Sets {@code context.now} from the engine's clock: the one place a request gets its time. A
 * caller's own {@code now} is replaced, since it would let the caller step outside time-based
 * rules; tests that need another time give the engine a fixed clock. The value is a typed
 * {@code Time}, so time comparisons never parse text.
 */
final class Stamp {
  private Stamp() {}

  static Request now(Request request, long nowMillis) {
    return request.withContext(ContextKeys.NOW, new Value.Time(nowMillis));
  }
}
