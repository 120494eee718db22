package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.Objects;
import java.util.Optional;

/** {@code @id("frozen")}, {@code @reason("…")} or a bare marker such as {@code @sensitive}. */
public record Annotation(Ident name, Optional<Str> value, Span span) {
  public Annotation {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(value, "value is null");
    Objects.requireNonNull(span, "span is null");
  }

  /** The value of the first annotation called {@code name} in {@code list}. */
  public static Optional<String> find(java.util.List<Annotation> list, String name) {
    for (Annotation a : list) {
      if (a.name().name().equals(name)) {
        return Optional.of(a.value().map(Str::value).orElse(""));
      }
    }
    return Optional.empty();
  }

  public static boolean has(java.util.List<Annotation> list, String name) {
    return find(list, name).isPresent();
  }
}
