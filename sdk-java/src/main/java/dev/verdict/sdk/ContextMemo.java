package dev.verdict.sdk;

import dev.verdict.lang.eval.Value;
import dev.verdict.lang.eval.ValueTypes;
import dev.verdict.lang.eval.Values;
import java.util.Map;

/**
 * The last request context read into engine values, kept for the next check whose context has
 * the same entries: an application usually checks many times with one context (its client's
 * address, whether it passed MFA), and reading it costs more than comparing it, since declared
 * types are parsed ({@code Ip}, {@code Time}) on every read. Only contexts of plain values
 * (strings, booleans, whole numbers) are kept, as an immutable copy, so a context the
 * application changes afterwards is compared by what it holds then, never by identity.
 */
final class ContextMemo {
  private record Last(ValueTypes types, Map<String, ?> given, Map<String, Value> read) {}

  private volatile Last last;

  Map<String, Value> read(Map<String, ?> context, ValueTypes types) throws Values.JsonValueException {
    if (context.isEmpty()) {
      return Map.of();
    }
    Last l = last;
    if (l != null && l.types() == types && l.given().equals(context)) {
      return l.read();
    }
    Map<String, Value> read = EngineValues.context(context, types);
    if (plain(context)) {
      read = Map.copyOf(read);
      last = new Last(types, Map.copyOf(context), read);
    }
    return read;
  }

  private static boolean plain(Map<String, ?> context) {
    for (Map.Entry<String, ?> e : context.entrySet()) {
      Object v = e.getValue();
      if (e.getKey() == null || !(v instanceof String || v instanceof Boolean || v instanceof Integer
          || v instanceof Long || v instanceof Short || v instanceof Byte)) {
        return false;
      }
    }
    return true;
  }
}
