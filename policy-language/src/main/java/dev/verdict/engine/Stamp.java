package dev.verdict.engine;

import dev.verdict.lang.eval.ContextKeys;
import dev.verdict.lang.eval.Request;
import dev.verdict.lang.eval.Value;
import java.util.Map;

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

  /**
   * One engine's stamps of requests without a context of their own (most of them): the stamped
   * context is the same for every such request in the same millisecond, so it is made once
   * per millisecond instead of once per decision (an engine decides thousands in one).
   */
  static final class Recent {
    private record Stamped(long millis, Map<String, Value> context) {}

    /** Immutable, so a racy read sees a whole stamp or the one before it; either is correct for its millis. */
    private volatile Stamped last = new Stamped(Long.MIN_VALUE, Map.of());

    Request now(Request request, long nowMillis) {
      if (!request.context().isEmpty()) {
        return Stamp.now(request, nowMillis);
      }
      return new Request(request.principal(), request.resource(), request.action(), empty(nowMillis),
          request.entities());
    }

    /** {@code request}'s context with {@code now} set. */
    Map<String, Value> context(Request request, long nowMillis) {
      return request.context().isEmpty() ? empty(nowMillis) : Stamp.now(request, nowMillis).context();
    }

    private Map<String, Value> empty(long nowMillis) {
      Stamped s = last;
      if (s.millis() != nowMillis) {
        s = new Stamped(nowMillis, Map.of(ContextKeys.NOW, new Value.Time(nowMillis)));
        last = s;
      }
      return s.context();
    }
  }
}
