package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.Objects;

/** A string literal outside expressions (test names, route templates, intents), unescaped. */
public record Str(String value, Span span) {
  public Str {
    Objects.requireNonNull(value, "value is null");
    Objects.requireNonNull(span, "span is null");
  }

  public static Str of(String value) {
    return new Str(value, Span.NONE);
  }
}
