package dev.verdict.lang.ast;

import dev.verdict.lang.source.Span;
import java.util.List;
import java.util.Objects;

/** A type in an entity or context schema. */
public sealed interface TypeExpr {
  Span span();

  /** {@code String}, {@code Number}, {@code Bool}, {@code Ip}, {@code Time}, {@code Duration}, or an entity type. */
  record Named(Ident name) implements TypeExpr {
    public Named {
      Objects.requireNonNull(name, "name is null");
    }

    @Override
    public Span span() {
      return name.span();
    }
  }

  record SetOf(TypeExpr element, Span span) implements TypeExpr {
    public SetOf {
      Objects.requireNonNull(element, "element is null");
    }
  }

  record RecordOf(List<AttrDecl> attrs, Span span) implements TypeExpr {
    public RecordOf {
      attrs = List.copyOf(attrs);
    }
  }

  /** One attribute of a schema record; {@code optional} when written {@code name?: Type}. */
  record AttrDecl(List<Annotation> annotations, Ident name, boolean optional, TypeExpr type, Span span) {
    public AttrDecl {
      annotations = List.copyOf(annotations);
      Objects.requireNonNull(name, "name is null");
      Objects.requireNonNull(type, "type is null");
    }
  }
}
