package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.Objects;

/** A name as written, with where it was written (for carets on the name itself). */
public record Ident(String name, Span span) {
  public Ident {
    Objects.requireNonNull(name, "name is null");
    Objects.requireNonNull(span, "span is null");
  }

  public static Ident of(String name) {
    return new Ident(name, Span.NONE);
  }

  @Override
  public String toString() {
    return name;
  }
}
